"""A declaration filled on a phone without network (a flooded basement) and sent by the device once
the connection returns.

The device keeps the declaration encrypted in the browser and sends it in one request with a key it
generated. Sending goes through the very steps of the wizard (``declaration.start_draft``,
``set_peril``, ``set_answers``, ``set_when``, ``set_location``, ``add_item``, ``add_file``,
``submit``), so that every rule applies: contract owned and in force, drafts cap, answers, dates and
cover, upload checks, deadlines, express settlement. A key already used by the holder answers with
the claim it created, so that a retry never creates a second claim."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from espace.claims import (
    declaration,
    declaration_contents,
    declaration_queries,
    declaration_sending,
    peril_data,
    perils,
    uploads,
)
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, OfflineSubmission
from espace.core import formatting as fmt
from espace.core.db import savepoint
from espace.core.formatting import PARIS

MAX_PHOTOS = 5
# The largest valid request: its photos of 10 Mo each, plus 1 Mo for the form fields and framing.
MAX_REQUEST_BYTES = MAX_PHOTOS * uploads.MAX_BYTES + 1024 * 1024
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ANSWER_PREFIX = "q_"  # form fields carrying the answers to the peril's questions: q_<question id>


@dataclass(frozen=True)
class OfflineDeclaration:
    """What the offline form sends, as typed on the device (checked by the wizard's steps)."""

    contract_id: int | None
    peril: str
    answers: dict[str, str]
    occurred_date: str
    occurred_time: str
    description: str
    item_description: str
    item_category: str
    item_estimate: str
    photos: list[tuple[bytes, str]] = field(default_factory=list)


@dataclass(frozen=True)
class OfflineResult:
    number: str
    next_step: str
    duplicate: bool  # the key had already been sent: the claim created then


def holder_tag(holder_id: int, secret: str) -> str:
    """An opaque tag of the holder, stored with each declaration on the device: the page never
    shows or sends another person's declaration (a session ended without logout, then someone
    else signed in on the same browser)."""
    digest = hmac.new(secret.encode(), f"offline-claim:{holder_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def form(*, session: Session, holder_id: int, tag: str) -> dict:
    """What the offline page needs to fill a declaration without network: the holder's own
    contracts in force (number and address only) and the perils with their questions."""
    contracts = [
        {
            "id": contract.id,
            "number": contract.number,
            "address": f"{prop.address_line1}, {prop.postal_code} {prop.city}",
        }
        for contract, prop in declaration_queries.eligible_contracts(
            session=session, holder_id=holder_id
        )
    ]
    return {
        "version": 1,
        "holder": tag,
        "contracts": contracts,
        "perils": [
            {
                "code": peril.code,
                "label": peril.label,
                "summary": peril.summary,
                "questions": [
                    {
                        "id": question.id,
                        "label": question.label,
                        "kind": question.kind,
                        "options": [list(option) for option in question.options],
                        "required": question.required,
                        "hint": question.hint,
                        "show_if": list(question.show_if) if question.show_if else None,
                        "max_length": question.max_length,
                    }
                    for question in peril.questions
                ],
            }
            for peril in peril_data.PERILS
        ],
        "categories": [list(category) for category in perils.ITEM_CATEGORIES],
        "max_photos": MAX_PHOTOS,
        "max_photo_bytes": uploads.MAX_BYTES,
    }


def _already_sent(session: Session, holder_id: int, key: str) -> Claim | None:
    return session.exec(
        select(Claim)
        .join(OfflineSubmission, OfflineSubmission.claim_id == Claim.id)
        .where(
            OfflineSubmission.holder_id == holder_id,
            OfflineSubmission.idempotency_key == key,
            Claim.holder_id == holder_id,
        )
    ).first()


def _duplicate(claim: Claim) -> OfflineResult:
    return OfflineResult(claim.number or "", "", duplicate=True)


def _step(errors: dict[str, str], action) -> bool:
    """Run one wizard step; its French errors join the others (the first message per field)."""
    try:
        action()
    except ClaimInputError as error:
        for name, message in error.errors.items():
            errors.setdefault(name, message)
        return False
    return True


def submit_offline(
    *,
    session: Session,
    holder_id: int,
    account_id: int | None,
    key: str,
    data: OfflineDeclaration,
    now: datetime,
) -> OfflineResult:
    """Create, fill and send the claim, or answer with the one this key already created.

    Raises ClaimInputError (French messages by field) with nothing kept: the caller rolls the
    transaction back, and the device keeps the declaration for the holder to correct it."""
    if not KEY_PATTERN.match(key or ""):
        raise ClaimInputError({"key": "Cette déclaration n'a pas pu être identifiée : réessayez."})
    existing = _already_sent(session, holder_id, key)
    if existing is not None:
        return _duplicate(existing)
    marker = OfflineSubmission(holder_id=holder_id, idempotency_key=key)
    try:
        with savepoint(session):
            session.add(marker)
            session.flush()
    except IntegrityError:  # the same key sent at the same moment (page and service worker)
        existing = _already_sent(session, holder_id, key)
        if existing is not None:
            return _duplicate(existing)
        raise ClaimInputError(
            {"key": "Cette déclaration est déjà en cours d'envoi : patientez un instant."}
        ) from None

    if data.contract_id is None:
        raise ClaimInputError({"contract": "Choisissez un de vos contrats en cours."})
    if len(data.photos) > MAX_PHOTOS:
        raise ClaimInputError(
            {"photos": f"Joignez au plus {MAX_PHOTOS} photos ; vous en ajouterez d'autres ensuite."}
        )
    claim = declaration.start_draft(
        session=session, holder_id=holder_id, account_id=account_id, contract_id=data.contract_id
    )
    today = now.astimezone(PARIS).date()
    errors: dict[str, str] = {}
    _step(
        errors, lambda: declaration.set_peril(session=session, claim=claim, peril_code=data.peril)
    )
    if "peril" not in errors:
        _step(
            errors,
            lambda: declaration.set_answers(
                session=session, claim=claim, raw=data.answers, today=today
            ),
        )
    _step(
        errors,
        lambda: declaration.set_when(
            session=session,
            claim=claim,
            day_text=data.occurred_date,
            time_text=data.occurred_time,
            description=data.description,
            now=now,
        ),
    )
    _step(errors, lambda: declaration.set_location(session=session, claim=claim, kind="property"))
    if _step(
        errors,
        lambda: declaration_contents.add_item(
            session=session,
            claim=claim,
            description=data.item_description,
            category=data.item_category,
            purchase_date="",
            purchase_price="",
            estimate_text=data.item_estimate,
            today=today,
        ),
    ):
        _step(errors, lambda: declaration_contents.items_done(session=session, claim=claim))
    refused = []
    for content, filename in data.photos:
        try:
            declaration_contents.add_file(
                session=session, claim=claim, data=content, filename=filename, kind=""
            )
        except uploads.UploadRejected as error:
            refused.append(error.message)
    if refused:
        errors["photos"] = " ".join(refused)
    if errors:
        raise ClaimInputError(errors)
    declaration_contents.files_done(session=session, claim=claim)
    sent = declaration_sending.submit(session=session, claim=claim, now=now)
    marker.claim_id = claim.id
    session.add(marker)
    session.flush()
    return OfflineResult(sent.claim.number or "", _next_step_text(sent), duplicate=False)


def _next_step_text(sent: declaration_sending.Sent) -> str:
    if sent.due_at is None:
        return sent.next_step
    return f"{sent.next_step} (d'ici le {fmt.date_fr(sent.due_at)})"
