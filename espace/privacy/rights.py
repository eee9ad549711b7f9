"""GDPR ("Mes données"): consents, erasure requests and their completion by staff.

What we keep and why: ``data_inventory``; the export (access and portability): ``export``.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from espace.claims.models import StaffAuditLog
from espace.contracts.models import Contract
from espace.core.models import saved_id, today_paris, utcnow
from espace.dashboard.models import DashboardLayout
from espace.identity import stepup
from espace.identity.models import (
    Account,
    ActionToken,
    AuthSession,
    KnownDevice,
    OneTimeCode,
    PasswordHistory,
    Policyholder,
    ProfileChange,
    RecoveryCode,
)
from espace.identity.passwords import hash_password
from espace.identity.sessions import revoke_all_for_account
from espace.identity.stepup import StepUpProof
from espace.notifications import outbox
from espace.notifications.models import (
    Notification,
    NotificationSettings,
    OutboxMessage,
    PushSubscription,
)
from espace.privacy.models import REQUEST_DEADLINE, Consent, PrivacyRequest
from espace.support.models import ArticleFeedback
from espace.webhooks.events import emit

# ---------------------------------------------------------------------------------------------
# Consents
# ---------------------------------------------------------------------------------------------

PURPOSES: dict[str, str] = {
    "offers_email": "Recevoir nos offres commerciales par e-mail",
    "offers_sms": "Recevoir nos offres commerciales par SMS",
    "partners": "Partager mes coordonnées avec nos partenaires pour leurs offres",
}


def consents(*, session: Session, holder_id: int) -> dict[str, bool]:
    """The current choice per purpose: the latest row, not granted when there is none."""
    current = dict.fromkeys(PURPOSES, False)
    for row in reversed(consent_history(session=session, holder_id=holder_id)):
        if row.purpose in current:
            current[row.purpose] = row.granted
    return current


def consent_history(*, session: Session, holder_id: int) -> list[Consent]:
    """Every change, newest first."""
    query = select(Consent).where(Consent.holder_id == holder_id)
    return list(
        session.exec(query.order_by(col(Consent.changed_at).desc(), col(Consent.id).desc())).all()
    )


def set_consent(
    *, session: Session, holder_id: int, purpose: str, granted: bool, source: str = "espace"
) -> Consent | None:
    """Record a change (nothing when the choice is the same); returns the new row or None."""
    if purpose not in PURPOSES:
        raise ValueError(f"finalité inconnue : {purpose}")
    if consents(session=session, holder_id=holder_id)[purpose] == bool(granted):
        return None
    row = Consent(holder_id=holder_id, purpose=purpose, granted=bool(granted), source=source[:30])
    session.add(row)
    session.flush()
    return row


# ---------------------------------------------------------------------------------------------
# Erasure
# ---------------------------------------------------------------------------------------------

ERASURE_EXPLANATION = (
    "Votre compte Espace est fermé et les données qui ne sont plus nécessaires sont effacées : "
    "téléphone, adresse e-mail, historique de vos coordonnées, appareils, notifications, "
    "préférences, consentements, et l'adresse et le contenu des e-mails et SMS que nous vous "
    "avons envoyés. En revanche, la loi nous oblige à conserver vos contrats, vos paiements, vos "
    "sinistres et leurs documents, vos échanges avec nos conseillers, avec les nom, prénom, date "
    "de naissance et adresse qui les identifient, jusqu'au {until} (fin du contrat + 10 ans). Ces "
    "données sont alors archivées, accessibles aux seules personnes habilitées, puis supprimées à "
    "cette date. Nous traitons votre demande dans un délai d'un mois."
)


def retention_until(*, session: Session, holder_id: int) -> str:
    """The date (dd/mm/yyyy) until which contract data is kept, or a description while a contract
    runs."""
    ends = list(
        session.exec(select(col(Contract.end_date)).where(Contract.holder_id == holder_id)).all()
    )
    if not ends:
        return today_paris().strftime("%d/%m/%Y")
    known = [end for end in ends if end is not None]
    if len(known) < len(ends):  # a contract without an end: it still runs
        return "dixième anniversaire de la fin de votre dernier contrat"
    last = max(known)
    try:
        until = last.replace(year=last.year + 10)
    except ValueError:  # 29 February
        until = last.replace(year=last.year + 10, day=28)
    return until.strftime("%d/%m/%Y")


def erasure_explanation(*, session: Session, holder_id: int) -> str:
    return ERASURE_EXPLANATION.format(until=retention_until(session=session, holder_id=holder_id))


class PrivacyError(LookupError):
    """Unknown account or request (or not this holder's)."""


def _delete(session: Session, rows) -> int:
    count = 0
    for row in rows:
        session.delete(row)
        count += 1
    return count


def _forget_account_secrets(session: Session, account: Account) -> None:
    """Sessions revoked; devices, codes, tokens and old password hashes deleted."""
    revoke_all_for_account(session=session, account_id=saved_id(account), reason="erasure")
    for auth in session.exec(
        select(AuthSession).where(
            AuthSession.account_id == account.id, col(AuthSession.device_id).is_not(None)
        )
    ).all():
        auth.device_id = None
        session.add(auth)
    session.flush()
    for model in (KnownDevice, OneTimeCode, ActionToken, RecoveryCode, PasswordHistory):
        _delete(session, session.exec(select(model).where(model.account_id == account.id)).all())


def _forget_preferences(session: Session, holder_id: int) -> None:
    """Preferences, notices, the history of contact details (old e-mails and phones) and help
    feedback."""
    for model in (
        PushSubscription,
        NotificationSettings,
        Notification,
        DashboardLayout,
        ProfileChange,
        ArticleFeedback,
    ):
        _delete(session, session.exec(select(model).where(model.holder_id == holder_id)).all())
    for purpose in PURPOSES:
        session.add(
            Consent(holder_id=holder_id, purpose=purpose, granted=False, source="effacement")
        )


def _contact_points(session: Session, account: Account, person: Policyholder) -> set[str]:
    """Every e-mail address and phone number the holder used with us (current and in the
    history)."""
    points = {account.email, person.email, person.phone}
    for change in session.exec(
        select(ProfileChange).where(
            ProfileChange.holder_id == person.id, col(ProfileChange.field).in_(("email", "phone"))
        )
    ).all():
        points.update((change.old_value, change.new_value))
    return {point for point in points if point} | {point.lower() for point in points if point}


ERASED_BODY = "[contenu effacé à la demande de la personne (RGPD)]"


def _forget_outbox(
    session: Session,
    *,
    account_id: int,
    contact_points: set[str],
    anonymous: str,
    keep_id: int | None = None,
) -> int:
    """Strip the e-mails and SMS sent to the holder of what identifies them or tells about them.

    The row itself stays, with its channel, category, dates and delivery status: the trace that a
    security or contract notice was sent (art. 5.2 RGPD, accountability; proof of information in a
    dispute) needs no address and no content. ``keep_id``: the erasure confirmation while it still
    has to be delivered."""
    query = select(OutboxMessage).where(
        (col(OutboxMessage.account_id) == account_id)
        | col(OutboxMessage.recipient).in_(sorted(contact_points) or [""])
    )
    count = 0
    for message in session.exec(query).all():
        if message.id == keep_id or (
            message.body == ERASED_BODY and message.recipient in (anonymous, "")
        ):
            continue
        message.recipient = anonymous if message.channel == "email" else ""
        message.subject, message.body, message.error = "", ERASED_BODY, ""
        session.add(message)
        count += 1
    return count


def _confirm(session: Session, *, to: str, account_id: int, explanation: str) -> OutboxMessage:
    return outbox.send_email_template(
        session=session,
        to=to,
        account_id=account_id,
        category="security",
        template="erasure_received",
        explanation=explanation,
    )


_ERASURE_NOTE = (
    "Fait à la demande : compte fermé (mot de passe inutilisable), sessions révoquées, appareils, "
    "codes, abonnements push, notifications, préférences, tableau de bord, historique des "
    "coordonnées et avis sur l'aide supprimés, consentements retirés, téléphone effacé, e-mail "
    "remplacé par {email}, adresses et contenus des e-mails et SMS envoyés effacés (leur date et "
    "leur type restent), confirmation envoyée à l'ancienne adresse. Conservés (obligation légale) "
    ": identité, adresse, contrats, paiements, sinistres et documents, échanges avec les "
    "conseillers, journaux de connexion (13 mois). Reste à faire : vérifier les systèmes de "
    "gestion et partenaires, archiver le dossier."
)


def request_erasure(
    *,
    session: Session,
    holder_id: int,
    account_id: int,
    proof: StepUpProof,
    now: datetime | None = None,
) -> PrivacyRequest:
    """Close the account now, erase what the law lets go, and open a request for staff to finish.

    Needs a step-up proof of this account, spent by the request (``stepup.require_step_up``)."""
    stepup.require_step_up(
        session=session,
        proof=proof,
        account_id=account_id,
        holder_id=holder_id,
        now=now,
        single_use=True,
    )
    account = session.exec(
        select(Account).where(Account.id == account_id, Account.holder_id == holder_id)
    ).first()
    person = session.get(Policyholder, holder_id)
    if account is None or person is None:
        raise PrivacyError("compte introuvable")
    original_email = account.email
    anonymous = f"supprime-{account.id}@anonyme.invalid"
    explanation = erasure_explanation(session=session, holder_id=holder_id)
    contact_points = _contact_points(session, account, person)  # before the history of changes goes
    confirmation = _confirm(
        session, to=original_email, account_id=saved_id(account), explanation=explanation
    )
    # The confirmation keeps its address until it is delivered; complete() strips it with the rest.
    _forget_outbox(
        session,
        account_id=saved_id(account),
        contact_points=contact_points,
        anonymous=anonymous,
        keep_id=None if confirmation.status == "sent" else confirmation.id,
    )

    _forget_account_secrets(session, account)
    account.is_active = False
    account.password_hash = hash_password(secrets.token_urlsafe(48))
    account.email = anonymous
    account.totp_secret_encrypted = account.totp_pending_encrypted = None
    account.totp_enabled_at = None
    account.phone_verified_at = None
    account.password_changed_at = utcnow()
    session.add(account)
    person.email, person.phone = anonymous, ""
    session.add(person)
    _forget_preferences(session, holder_id)

    now = now or utcnow()
    request = PrivacyRequest(
        holder_id=holder_id,
        kind="erasure",
        status="open",
        created_at=now,
        due_at=now + REQUEST_DEADLINE,
        note=_ERASURE_NOTE.format(email=anonymous)[:1000],
    )
    session.add(request)
    session.flush()
    emit(
        "gdpr.requested",
        {"request_id": request.id, "holder_id": holder_id, "kind": "erasure"},
        session=session,
    )
    return request


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def open_requests(*, session: Session) -> list[PrivacyRequest]:
    """Open requests, the most urgent first; read ``request.overdue`` for the one-month deadline."""
    query = select(PrivacyRequest).where(PrivacyRequest.status == "open")
    return list(
        session.exec(query.order_by(col(PrivacyRequest.due_at), col(PrivacyRequest.id))).all()
    )


def complete(*, session: Session, request_id: int, staff_id: int, note: str = "") -> PrivacyRequest:
    """Mark an open request done, with the staff member's note (and an audit log line)."""
    request = session.exec(
        select(PrivacyRequest).where(
            PrivacyRequest.id == request_id, PrivacyRequest.status == "open"
        )
    ).first()
    if request is None:
        raise PrivacyError("demande introuvable ou déjà traitée")
    request.status, request.completed_at = "done", utcnow()
    addition = f"Traité par l'agent n° {staff_id} : {note.strip()}".strip()
    request.note = "\n".join(part for part in (request.note, addition) if part)[-1000:]
    session.add(request)
    if request.kind == "erasure":  # the confirmation e-mail had to be delivered first: strip it now
        for account in session.exec(
            select(Account).where(Account.holder_id == request.holder_id)
        ).all():
            _forget_outbox(
                session, account_id=saved_id(account), contact_points=set(), anonymous=account.email
            )
    session.add(
        StaffAuditLog(
            staff_id=staff_id,
            action="privacy_request_done",
            object_type="privacy_request",
            object_id=saved_id(request),
            detail=note.strip()[:1000],
        )
    )
    session.flush()
    return request
