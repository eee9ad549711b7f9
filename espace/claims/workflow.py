"""The claims back office: the queue, and what each staff role may do to a claim.

Every action checks the staff member's role (and, for experts, that the claim is theirs), moves
the claim through ``stages`` (which dates it and tells the holder) and is written to the
audit log with who and when.

This module holds the handling of a claim (assign, ask for documents, refuse, close, reopen,
reply, add a document); the role x status table and the checks are in ``workflow_permissions``,
the expert's assessment and the payment in ``workflow_assessment``, the queue and what staff read
in ``workflow_views``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from espace.claims import declaration_contents, stages
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimFileKind
from espace.claims.workflow_permissions import STATUSES, R, S, _audit, _claim_for, _require_status
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.models import StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory

# ----- actions -------------------------------------------------------------------------------


def assign_handler(*, session: Session, staff_id: int, claim_id: int, handler_id: int) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "assign_handler")
    _require_status(claim, STATUSES["assign_handler"], "Ce dossier est terminé.")
    if staff.role == R.HANDLER and handler_id != staff.id:
        raise StaffForbidden("Un gestionnaire ne peut prendre un dossier que pour lui-même.")
    handler = session.get(StaffUser, handler_id)
    if handler is None or not handler.is_active or handler.role not in (R.HANDLER, R.MANAGER):
        raise ClaimInputError({"handler": "Choisissez un gestionnaire."})
    claim.handler_id = handler.id
    session.add(claim)
    _audit(session, staff, "assign_handler", claim, handler.full_name)
    return claim


def request_documents(*, session: Session, staff_id: int, claim_id: int, what: str) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "request_documents")
    _require_status(claim, STATUSES["request_documents"], "Ce dossier est terminé ou déjà payé.")
    what = (what or "").strip()
    if len(what) < 5:
        raise ClaimInputError({"requested": "Précisez les documents attendus."})
    claim.requested_documents = what[:1000]
    stages.move(
        session=session,
        claim=claim,
        kind=S.DOCUMENTS_REQUESTED,
        staff_id=staff.id,
        detail=f"Documents demandés : {claim.requested_documents}",
    )
    _audit(session, staff, "request_documents", claim, what)
    return claim


def refuse(*, session: Session, staff_id: int, claim_id: int, reason: str) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "refuse")
    _require_status(claim, STATUSES["refuse"], "Ce dossier ne peut plus être refusé.")
    reason = (reason or "").strip()
    if len(reason) < 20:
        raise ClaimInputError(
            {"refusal": "Motivez le refus pour l'assuré (20 caractères au moins)."}
        )
    claim.refusal_reason = reason[:1000]
    stages.move(
        session=session,
        claim=claim,
        kind=S.REFUSED,
        staff_id=staff.id,
        detail=f"Motif : {claim.refusal_reason}",
    )
    _audit(session, staff, "refuse", claim, reason)
    return claim


def close(*, session: Session, staff_id: int, claim_id: int) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "close")
    nothing_owed = (
        claim.status == S.INDEMNITY_COMPUTED and (claim.indemnity_cents or 0) <= claim.paid_cents
    )
    if claim.status not in STATUSES["close"] and not nothing_owed:
        raise ClaimInputError(
            {"action": "Un dossier se clôture après le paiement (sinon, refusez-le)."}
        )
    stages.move(
        session=session,
        claim=claim,
        kind=S.CLOSED,
        staff_id=staff.id,
        detail="Votre dossier est clôturé.",
    )
    _audit(session, staff, "close", claim)
    return claim


def reopen(*, session: Session, staff_id: int, claim_id: int, reason: str) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "reopen")
    _require_status(
        claim, STATUSES["reopen"], "Seul un dossier clôturé ou refusé peut être rouvert."
    )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ClaimInputError({"reopen": "Indiquez pourquoi le dossier est rouvert."})
    claim.closed_at, claim.refusal_reason = None, ""
    stages.move(
        session=session,
        claim=claim,
        kind="reopened",
        status=S.RECEIVED,
        staff_id=staff.id,
        detail=reason,
    )
    _audit(session, staff, "reopen", claim, reason)
    return claim


def reply(*, session: Session, staff_id: int, claim_id: int, body: str) -> None:
    staff, claim = _claim_for(session, staff_id, claim_id, "messages")
    declaration_contents.post_message(session=session, claim=claim, body=body, staff_id=staff.id)
    link = stages.claim_link(claim)
    email = messages.email(
        "claim_message", staff_name=staff.full_name, number=claim.number, link=outbox.link(link)
    )
    notices.notify(
        session=session,
        holder_id=claim.holder_id,
        category=NotificationCategory.CLAIMS,
        title=f"Nouveau message sur votre sinistre {claim.number}",
        body=body.strip()[:200],
        link=link,
        email_subject=email.subject,
        email_body=email.body,
    )
    _audit(session, staff, "reply", claim)


def upload(
    *, session: Session, staff_id: int, claim_id: int, data: bytes, filename: str, kind: str
) -> None:
    staff, claim = _claim_for(session, staff_id, claim_id, "upload")
    allowed = (
        ClaimFileKind.CORRESPONDENCE,
        ClaimFileKind.QUOTE,
        ClaimFileKind.INVOICE,
        ClaimFileKind.PAYMENT_PROOF,
        ClaimFileKind.PHOTO,
        ClaimFileKind.DOCUMENT,
    )
    if kind not in allowed:
        raise ClaimInputError({"kind": "Choisissez le type de document."})
    record = declaration_contents.add_file(
        session=session, claim=claim, data=data, filename=filename, kind=kind, staff_id=staff.id
    )
    stages.record(
        session=session,
        claim=claim,
        kind="documents_added",
        staff_id=staff.id,
        detail=f"« {record.filename} » ajouté par votre gestionnaire.",
    )
    _audit(session, staff, "upload", claim, record.filename)


def today_paris(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(PARIS).date()
