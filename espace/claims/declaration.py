"""A holder's claims: the declaration wizard's draft, step by step (contract, event, questions,
date, place), its limits and its error. Every function that takes an id checks it belongs to the
holder in the query itself, so "not yours" and "does not exist" look the same.

What the holder's claims hold and how they are read: ``declaration_queries``; the damaged items,
files and messages: ``declaration_contents``; sending the draft and express settlement:
``declaration_sending``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from espace.claims import perils
from espace.claims.models import Claim, ClaimStatus
from espace.contracts.models import Contract, ContractStatus, InsuredProperty
from espace.core import formatting as fmt
from espace.core import postal_codes
from espace.core.formatting import PARIS
from espace.core.models import utcnow

STEPS = ("Contrat", "Événement", "Questions", "Date", "Lieu", "Biens", "Photos", "Récapitulatif")
(
    STEP_CONTRACT,
    STEP_PERIL,
    STEP_QUESTIONS,
    STEP_WHEN,
    STEP_WHERE,
    STEP_ITEMS,
    STEP_FILES,
    STEP_SUMMARY,
) = range(8)
MAX_ITEMS = 50
MIN_DESCRIPTION = 10
# Drafts a holder may keep at once: each can hold 20 files of 10 Mo, so an unlimited number would
# let one account fill the disk. Five covers a holder with several properties and a declaration
# started twice.
MAX_OPEN_DRAFTS = 5
TOO_MANY_DRAFTS = (
    f"Vous avez déjà {MAX_OPEN_DRAFTS} déclarations en cours de rédaction : reprenez-en une, ou "
    "supprimez celles dont vous n'avez plus besoin depuis « Mes sinistres », avant d'en commencer "
    "une autre."
)


class ClaimInputError(ValueError):
    """French messages by field id; nothing was saved for the fields in error."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# ----- the draft, step by step ---------------------------------------------------------------


def _owned_active_contract(session: Session, holder_id: int, contract_id: int) -> Contract:
    contract = session.exec(
        select(Contract).where(
            Contract.id == contract_id,
            Contract.holder_id == holder_id,
            Contract.status == ContractStatus.ACTIVE,
        )
    ).first()
    if contract is None:
        raise ClaimInputError({"contract": "Choisissez un de vos contrats en cours."})
    return contract


def _touch(session: Session, claim: Claim, step: int) -> None:
    claim.draft_step = max(claim.draft_step, step)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()


def open_drafts(*, session: Session, holder_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Claim)
        .where(Claim.holder_id == holder_id, Claim.status == ClaimStatus.DRAFT)
    ).one()


def start_draft(
    *, session: Session, holder_id: int, account_id: int | None, contract_id: int
) -> Claim:
    """A new draft, unless the holder already has ``MAX_OPEN_DRAFTS`` (ClaimInputError on
    "contract")."""
    contract = _owned_active_contract(session, holder_id, contract_id)
    if open_drafts(session=session, holder_id=holder_id) >= MAX_OPEN_DRAFTS:
        raise ClaimInputError({"contract": TOO_MANY_DRAFTS})
    claim = Claim(holder_id=holder_id, contract_id=contract.id, declared_by_account_id=account_id)
    session.add(claim)
    session.flush()
    _touch(session, claim, STEP_PERIL)
    return claim


def set_contract(*, session: Session, claim: Claim, contract_id: int) -> None:
    claim.contract_id = _owned_active_contract(session, claim.holder_id, contract_id).id
    _touch(session, claim, STEP_PERIL)


def set_peril(*, session: Session, claim: Claim, peril_code: str) -> None:
    if perils.peril(peril_code) is None:
        raise ClaimInputError({"peril": "Choisissez ce qui s'est passé."})
    if claim.peril != peril_code:
        claim.peril, claim.answers = peril_code, {}
    _touch(session, claim, STEP_QUESTIONS)


def set_answers(*, session: Session, claim: Claim, raw: dict, today: date) -> None:
    found = perils.peril(claim.peril)
    if found is None:
        raise ClaimInputError({"peril": "Choisissez d'abord ce qui s'est passé."})
    answers, errors = perils.clean_answers(found, raw, today=today)
    if errors:
        raise ClaimInputError(errors)
    claim.answers = answers
    _touch(session, claim, STEP_WHEN)


def parse_when(
    day_text: str, time_text: str, *, now: datetime
) -> tuple[datetime | None, dict[str, str]]:
    day = perils.parse_date(day_text)
    if day is None:
        return None, {"occurred_date": "Indiquez la date du sinistre (JJ/MM/AAAA)."}
    hour = time(12, 0)
    if (time_text or "").strip():
        try:
            hour = time.fromisoformat(time_text.strip()[:5])
        except ValueError:
            return None, {"occurred_time": "Heure invalide : utilisez le format HH:MM."}
    local = datetime.combine(day, hour, tzinfo=PARIS)
    local_now = now.astimezone(PARIS)
    if day > local_now.date() or local > local_now + timedelta(minutes=5):
        return None, {"occurred_date": "La date du sinistre ne peut pas être dans le futur."}
    if day < local_now.date() - timedelta(days=5 * 365):
        return None, {
            "occurred_date": (
                "Cette date est trop ancienne (plus de 5 ans) : contactez votre gestionnaire."
            )
        }
    return local.astimezone(now.tzinfo), {}


def _outside_cover(contract: Contract, occurred: datetime) -> str:
    """A French message when the contract did not cover that day ("" when it did)."""
    day = occurred.astimezone(PARIS).date()
    if day < contract.start_date:
        return (
            f"Votre contrat {contract.number} a pris effet le {fmt.date_fr(contract.start_date)} "
            ": il ne couvre pas cette date."
        )
    if contract.end_date is not None and day > contract.end_date:
        return (
            f"Votre contrat {contract.number} a pris fin le {fmt.date_fr(contract.end_date)} : il "
            "ne couvre pas cette date."
        )
    return ""


def set_when(
    *,
    session: Session,
    claim: Claim,
    day_text: str,
    time_text: str,
    description: str,
    now: datetime,
) -> None:
    occurred, errors = parse_when(day_text, time_text, now=now)
    description = (description or "").strip()
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = (
            "Décrivez ce qui s'est passé en quelques phrases (10 caractères au moins)."
        )
    if occurred is not None and occurred.astimezone(PARIS).date() < claim.created_at.astimezone(
        PARIS
    ).date() - timedelta(days=5 * 365):
        errors["occurred_date"] = "Cette date est trop ancienne."
    if occurred is not None and "occurred_date" not in errors:
        message = _outside_cover(session.get(Contract, claim.contract_id), occurred)
        if message:
            errors["occurred_date"] = message
    if errors:
        raise ClaimInputError(errors)
    claim.occurred_at, claim.description = occurred, description[:4000]
    _touch(session, claim, STEP_WHERE)


def _typed_address(street: str, postal_code: str, town: str) -> tuple[str, str, str]:
    """The address typed when the loss happened elsewhere: (street, postal code, town as spelled
    officially), or ClaimInputError with a French message next to each wrong field."""
    street = " ".join((street or "").split())
    errors: dict[str, str] = {}
    if not street:
        errors["location_street"] = "Indiquez le numéro et la voie (par exemple 12 rue des Lilas)."
    elif len(street) < 3 or not any(c.isalpha() for c in street):
        errors["location_street"] = "Adresse incomplète : indiquez le numéro et le nom de la voie."
    elif len(street) > 120:
        errors["location_street"] = "L'adresse est trop longue (120 caractères au plus)."
    checked, town_errors = postal_codes.check(postal_code, town)
    errors.update({f"location_{field}": message for field, message in town_errors.items()})
    if errors or checked is None:
        raise ClaimInputError(errors)
    return street, checked.postal_code, checked.town


def location_text(claim: Claim, home: InsuredProperty | None) -> str:
    """Where the loss happened, as the holder and staff read it."""
    if claim.location_kind == "address":
        return f"{claim.location_street}, {claim.location_postal_code} {claim.location_town}"
    if claim.location_kind == "geolocation" and claim.latitude is not None:
        return f"Position GPS : {fmt.number(claim.latitude)}, {fmt.number(claim.longitude)}"
    if home is None:
        return "À l'adresse du logement assuré"
    return f"{home.address_line1}, {home.postal_code} {home.city}"


def set_location(
    *,
    session: Session,
    claim: Claim,
    kind: str,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
    street: str = "",
    postal_code: str = "",
    town: str = "",
) -> None:
    """Where the loss happened: the insured home ("property"), an address the holder types
    ("address": postal code and town checked), or the device's position ("geolocation")."""
    if kind == "address":
        street, postal_code, town = _typed_address(street, postal_code, town)
        claim.location_street, claim.location_postal_code, claim.location_town = (
            street,
            postal_code,
            town,
        )
        claim.latitude = claim.longitude = claim.location_accuracy_m = None
    elif kind == "geolocation":
        if (
            latitude is None
            or longitude is None
            or not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
        ):
            raise ClaimInputError(
                {"location": "La position n'a pas pu être lue : choisissez l'adresse du logement."}
            )
        claim.latitude, claim.longitude = round(latitude, 6), round(longitude, 6)
        claim.location_accuracy_m = int(accuracy_m) if accuracy_m is not None else None
    elif kind == "property":
        claim.latitude = claim.longitude = claim.location_accuracy_m = None
    else:
        raise ClaimInputError({"location": "Choisissez où s'est produit le sinistre."})
    if kind != "address":
        claim.location_street = claim.location_postal_code = claim.location_town = ""
    claim.location_kind = kind
    _touch(session, claim, STEP_ITEMS)
