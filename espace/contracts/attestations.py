"""Issuing attestations and letting anyone check them through the QR code's signed reference."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session, col, select

from espace.contracts import terms
from espace.contracts.certificates import attestation_data
from espace.contracts.models import (
    Attestation,
    AttestationKind,
    Contract,
    ContractStatus,
    InsuredProperty,
)
from espace.contracts.portfolio import next_anniversary
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id, today_paris, utcnow
from espace.core.settings import get_settings
from espace.documents import library
from espace.documents.models import Document, DocumentKind
from espace.identity.models import Policyholder
from espace.notifications import outbox

TITLES: dict[str, str] = {  # keyed by AttestationKind, whose members are their text
    AttestationKind.STANDARD: "Attestation d'assurance habitation",
    AttestationKind.DETAILED: "Attestation d'assurance habitation détaillée",
    AttestationKind.SEASONAL: "Attestation d'assurance — location saisonnière",
    AttestationKind.TEMPORARY: "Attestation d'assurance temporaire",
}
KIND_LABELS: dict[str, str] = {  # keyed by AttestationKind
    AttestationKind.STANDARD: "Standard (bailleur, administration)",
    AttestationKind.DETAILED: "Détaillée (syndic, banque : garanties et plafonds)",
    AttestationKind.SEASONAL: "Location saisonnière",
    AttestationKind.TEMPORARY: "Temporaire (période choisie)",
}
MAX_SEASONAL_DAYS = 90
MAX_TEMPORARY_DAYS = 365


class AttestationError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AttestationRequest:
    kind: str
    start: date | None = None  # seasonal and temporary
    end: date | None = None
    place: str = ""  # seasonal rental address


@lru_cache
def _signing_key() -> bytes:
    secret = get_settings().secret_key.get_secret_value().encode()
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"espace", info=b"attestation-reference"
    ).derive(secret)


def sign(public_id: str) -> str:
    mac = hmac.new(_signing_key(), public_id.encode(), hashlib.sha256).digest()[:12]
    return f"{public_id}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def _unsign(reference: str) -> str | None:
    public_id, _, _ = (reference or "").rpartition(".")
    if not public_id or not hmac.compare_digest(sign(public_id), reference):
        return None
    return public_id


def verify_url(reference: str) -> str:
    return outbox.link(f"/verifier?ref={reference}")


def _validity(
    contract: Contract, request: AttestationRequest, today: date
) -> tuple[date, date, str]:
    contract_end = contract.end_date or (
        next_anniversary(contract.start_date, today) - timedelta(days=1)
    )
    if request.kind in (AttestationKind.STANDARD, AttestationKind.DETAILED):
        return max(today, contract.start_date), contract_end, ""
    if request.kind == AttestationKind.SEASONAL and not request.place.strip():  # the form's order
        raise AttestationError("Indiquez l'adresse de la location saisonnière.", "place")
    if request.start is None:
        raise AttestationError("Indiquez la date de début.", "start")
    if request.end is None:
        raise AttestationError("Indiquez la date de fin.", "end")
    if request.end < request.start:
        raise AttestationError("La date de fin doit suivre la date de début.", "end")
    if request.start < today:
        raise AttestationError("La période ne peut pas commencer dans le passé.", "start")
    if request.start < contract.start_date or (
        contract.end_date and request.end > contract.end_date
    ):
        raise AttestationError("La période doit être couverte par votre contrat.", "end")
    days = (request.end - request.start).days + 1
    if request.kind == AttestationKind.SEASONAL:
        if days > MAX_SEASONAL_DAYS:
            raise AttestationError(
                f"Une location saisonnière dure au plus {MAX_SEASONAL_DAYS} jours.", "end"
            )
        purpose = (
            f"Location saisonnière au {request.place.strip()[:150]} du "
            f"{fmt.date_fr(request.start)} au {fmt.date_fr(request.end)} : la garantie "
            "responsabilité civile villégiature du contrat couvre l'assuré pour les dommages "
            "causés au logement loué."
        )
        return request.start, request.end, purpose
    if days > MAX_TEMPORARY_DAYS:
        raise AttestationError("Une attestation temporaire couvre au plus un an.", "end")
    return (
        request.start,
        request.end,
        f"Attestation délivrée pour la période du {fmt.date_fr(request.start)} au "
        f"{fmt.date_fr(request.end)}.",
    )


def _attested(version, kind: str) -> tuple:
    """What an attestation of ``kind`` states about the terms (the detailed one lists the cover
    too)."""
    home = (
        version.formula_id,
        version.address_line1,
        version.address_line2,
        version.postal_code,
        version.city,
        version.property_type,
        version.rooms,
        version.surface_m2,
        version.occupancy,
    )
    if kind != AttestationKind.DETAILED:
        return home
    return (
        *home,
        version.furniture_capital_cents,
        version.deductible_cents,
        sorted(o["code"] for o in version.options),
    )


def _within_one_version(
    session: Session, contract: Contract, kind: str, valid_from: date, valid_until: date
) -> date:
    """An attestation states the terms in force from its first day: it ends the day before a signed
    change of what it states (a move, another formula...). A chosen period that crosses one is
    refused."""
    periods = terms.boundaries(
        session=session, contract=contract, start=valid_from, end=valid_until
    )
    if not periods:
        return valid_until
    first = _attested(periods[0].version, kind)
    change = next((p.start for p in periods[1:] if _attested(p.version, kind) != first), None)
    if change is None:
        return valid_until
    if kind in (AttestationKind.STANDARD, AttestationKind.DETAILED):
        return change - timedelta(days=1)
    raise AttestationError(
        f"Votre contrat change le {fmt.date_fr(change)} (avenant) : demandez une attestation "
        f"jusqu'au {fmt.date_fr(change - timedelta(days=1))}, puis une autre à partir du "
        f"{fmt.date_fr(change)}.",
        "end",
    )


def issue(
    *,
    session: Session,
    holder_id: int,
    contract_id: int,
    request: AttestationRequest,
    today: date | None = None,
) -> Document:
    """Issue and store an attestation for one of *this holder's* active contracts."""
    from espace.documents.pdf.attestation import render_attestation

    if request.kind not in TITLES:
        raise AttestationError("Choisissez le type d'attestation.", "kind")
    contract = session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()
    if contract is None:
        raise AttestationError("Choisissez l'un de vos contrats.", "contract")
    if contract.status != ContractStatus.ACTIVE:
        raise AttestationError(
            "Ce contrat n'est plus en cours : aucune attestation ne peut être délivrée.", "contract"
        )
    today = today or today_paris()
    valid_from, valid_until, purpose = _validity(contract, request, today)
    valid_until = _within_one_version(session, contract, request.kind, valid_from, valid_until)
    public_id = secrets.token_urlsafe(12)
    reference = sign(public_id)
    human_ref = f"ATT-{today.year}-{public_id[:6].upper()}"
    data = attestation_data(
        session=session,
        contract=contract,
        kind=request.kind,
        title=TITLES[request.kind],
        reference=human_ref,
        verify_url=verify_url(reference),
        valid_from=valid_from,
        valid_until=valid_until,
        purpose=purpose,
        issued_on=today,
    )
    document = Document(
        holder_id=holder_id,
        contract_id=contract.id,
        kind=DocumentKind.ATTESTATION,
        title=f"{TITLES[request.kind]} — {contract.number}",
        reference=human_ref,
        period_start=valid_from,
        period_end=valid_until,
    )
    library.store_pdf(document, render_attestation(data))
    session.add(document)
    session.flush()
    session.add(
        Attestation(
            document_id=saved_id(document),
            contract_id=saved_id(contract),
            kind=request.kind,
            public_id=public_id,
            valid_from=valid_from,
            valid_until=valid_until,
            purpose=purpose,
        )
    )
    return document


# ---- public verification -----------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    status: str  # "valide" | "expirée" | "révoquée" | "inconnue"
    kind: str = ""
    holder: str = ""
    town: str = ""
    valid_from: str = ""
    valid_until: str = ""


def mask_name(holder: Policyholder) -> str:
    """'Mme Camille Martin' -> 'Mme C. M*****'"""
    last = holder.last_name.strip()
    return f"{holder.civility} {holder.first_name[:1]}. {last[:1]}{'*' * max(2, len(last) - 1)}"


def verify(*, session: Session, reference: str, today: date | None = None) -> Verification:
    """What a third party may learn from the QR code: kind, masked name, town, period, status."""
    public_id = _unsign(reference.strip()[:80])
    row = (
        session.exec(select(Attestation).where(Attestation.public_id == public_id)).first()
        if public_id
        else None
    )
    if row is None:
        return Verification(status="inconnue")
    contract = get_existing(session, Contract, row.contract_id)
    holder = get_existing(session, Policyholder, contract.holder_id)
    prop = terms.version_on(
        session=session,
        contract_id=saved_id(contract),
        day=max(row.valid_from, contract.start_date),
    ) or get_existing(session, InsuredProperty, contract.property_id)  # the home it names
    today = today or today_paris()
    ended = contract.status == ContractStatus.TERMINATED or (
        contract.end_date is not None and contract.end_date < today
    )
    status = (
        "révoquée"
        if row.revoked_at or ended
        else "expirée"
        if row.valid_until < today
        else "valide"
    )
    return Verification(
        status=status,
        kind=TITLES[row.kind],
        holder=mask_name(holder),
        town=prop.city,
        valid_from=fmt.date_fr(row.valid_from),
        valid_until=fmt.date_fr(row.valid_until),
    )


def revoke_for_contract(
    *,
    session: Session,
    contract_id: int,
    reason: str,
    effective: date | None = None,
    today: date | None = None,
) -> int:
    """Attestations of the contract stop being valid from ``effective`` (default: now).

    From a later date (a move, a cancellation taking effect later), those valid beyond it end the
    day before (``valid_until`` and the document's period shortened, the reason kept) and those
    starting on or after it are revoked at once. Returns the number of attestations affected."""
    today = today or today_paris()
    rows = session.exec(
        select(Attestation).where(
            Attestation.contract_id == contract_id, col(Attestation.revoked_at).is_(None)
        )
    ).all()
    count = 0
    for row in rows:
        if effective is None or effective <= today or row.valid_from >= effective:
            row.revoked_at, row.revoked_reason = utcnow(), reason[:60]
        elif row.valid_until >= effective:
            row.valid_until, row.revoked_reason = effective - timedelta(days=1), reason[:60]
            document = session.get(Document, row.document_id)
            if document is not None:
                document.period_end = row.valid_until
                session.add(document)
        else:
            continue
        session.add(row)
        count += 1
    return count
