"""A holder's claims: the declaration wizard's draft, sending it, and what the holder does after
(documents, messages). Every function that takes an id checks it belongs to the holder in the
query itself, so "not yours" and "does not exist" look the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from espace.claims import deadlines, perils, recognition, stages, uploads
from espace.claims import indemnity as claim_indemnity
from espace.claims.deadlines import Deadline
from espace.claims.models import (
    Claim,
    ClaimFile,
    ClaimFileKind,
    ClaimItem,
    ClaimMessage,
    ClaimStatus,
)
from espace.contracts import terms
from espace.contracts.models import Contract, ContractStatus, InsuredProperty
from espace.core import formatting as fmt
from espace.core import postal_codes
from espace.core.db import savepoint
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.documents import private_files
from espace.identity.models import StaffRole, StaffUser
from espace.webhooks.events import emit

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

# Express settlement: published rules (shown to holders and staff).
EXPRESS_PERILS = ("glass_breakage",)
EXPRESS_MAX_CENTS = 100_000
EXPRESS_RULES = (
    "Règlement express : bris de glace garanti, facture ou devis joint (reconnu automatiquement "
    "dans un PDF, ou choisissez « Facture » ou « Devis » comme type de fichier), montant déclaré "
    "jusqu'à 1 000 €, déclaration dans les délais et aucun autre sinistre sur le contrat depuis "
    "12 mois."
)


class ClaimInputError(ValueError):
    """French messages by field id; nothing was saved for the fields in error."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# ----- reading -------------------------------------------------------------------------------


def eligible_contracts(
    *, session: Session, holder_id: int
) -> list[tuple[Contract, InsuredProperty]]:
    return list(
        session.exec(
            select(Contract, InsuredProperty)
            .join(InsuredProperty, InsuredProperty.id == Contract.property_id)
            .where(Contract.holder_id == holder_id, Contract.status == ContractStatus.ACTIVE)
            .order_by(Contract.number)
        ).all()
    )


def list_claims(*, session: Session, holder_id: int) -> list[Claim]:
    return list(
        session.exec(
            select(Claim)
            .where(Claim.holder_id == holder_id)
            .order_by(
                Claim.submitted_at.is_(None).desc(), Claim.submitted_at.desc(), Claim.id.desc()
            )
        ).all()
    )


def owned_claim(
    *, session: Session, holder_id: int, claim_id: int | None = None, number: str | None = None
) -> Claim | None:
    query = select(Claim).where(Claim.holder_id == holder_id)
    if claim_id is not None:
        query = query.where(Claim.id == claim_id)
    elif number:
        query = query.where(Claim.number == number.strip().upper())
    else:
        return None
    return session.exec(query).first()


def owned_draft(*, session: Session, holder_id: int, claim_id: int) -> Claim | None:
    claim = owned_claim(session=session, holder_id=holder_id, claim_id=claim_id)
    return claim if claim is not None and claim.status == ClaimStatus.DRAFT else None


def items(*, session: Session, claim_id: int) -> list[ClaimItem]:
    return list(
        session.exec(
            select(ClaimItem).where(ClaimItem.claim_id == claim_id).order_by(ClaimItem.id)
        ).all()
    )


def files(*, session: Session, claim_id: int) -> list[ClaimFile]:
    return list(
        session.exec(
            select(ClaimFile).where(ClaimFile.claim_id == claim_id).order_by(ClaimFile.id)
        ).all()
    )


def messages(*, session: Session, claim_id: int) -> list[ClaimMessage]:
    return list(
        session.exec(
            select(ClaimMessage)
            .where(ClaimMessage.claim_id == claim_id)
            .order_by(ClaimMessage.created_at, ClaimMessage.id)
        ).all()
    )


def file_for_holder(*, session: Session, holder_id: int, file_id: int) -> ClaimFile | None:
    return session.exec(
        select(ClaimFile)
        .join(Claim, Claim.id == ClaimFile.claim_id)
        .where(ClaimFile.id == file_id, Claim.holder_id == holder_id)
    ).first()


def declared_total(*, session: Session, claim_id: int) -> int:
    return session.exec(
        select(func.coalesce(func.sum(ClaimItem.estimate_cents), 0)).where(
            ClaimItem.claim_id == claim_id
        )
    ).one()


def occurred_local(claim: Claim) -> datetime | None:
    return claim.occurred_at.astimezone(PARIS) if claim.occurred_at else None


def deadline_for(claim: Claim, *, today: date) -> Deadline | None:
    found = perils.peril(claim.peril)
    occurred = occurred_local(claim)
    if found is None or occurred is None:
        return None
    order_date = (
        perils.parse_date(claim.answers.get("order_date", ""))
        if found.deadline == "natcat"
        else None
    )
    return deadlines.deadline(
        kind=found.deadline, occurred=occurred.date(), today=today, order_date=order_date
    )


def loss_date(claim: Claim, *, today: date | None = None) -> date:
    """The day of the loss (Paris time), whose contract terms assess the claim; today while
    undated."""
    occurred = occurred_local(claim)
    return occurred.date() if occurred else (today or datetime.now(PARIS).date())


def loss_terms(*, session: Session, claim: Claim):
    """The contract's terms in force on the day of the loss (formula, home as insured, capital...);
    those of its start when the loss predates it."""
    contract = session.get(Contract, claim.contract_id)
    day = max(loss_date(claim), contract.start_date)
    return terms.version_on(session=session, contract_id=contract.id, day=day) or terms.snapshot(
        session=session, contract=contract
    )


def estimate(*, session: Session, claim: Claim) -> claim_indemnity.Indemnity:
    """The declared damage under the contract's terms in force on the day of the loss."""
    contract = session.get(Contract, claim.contract_id)
    return claim_indemnity.compute(
        session=session,
        contract=contract,
        peril_code=claim.peril,
        damage_cents=declared_total(session=session, claim_id=claim.id),
        on=loss_date(claim),
        answers=claim.answers,
    )


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


def _amount(text: str, field: str, errors: dict[str, str], *, required: bool) -> int | None:
    try:
        cents = fmt.parse_euros(text)
    except ValueError:
        errors[field] = "Montant invalide : par exemple 250 ou 1 234,50."
        return None
    if cents is None:
        if required:
            errors[field] = "Indiquez un montant."
        return None
    if cents <= 0 or cents > 100_000_000:
        errors[field] = "Le montant doit être compris entre 0,01 € et 1 000 000 €."
        return None
    return cents


def add_item(
    *,
    session: Session,
    claim: Claim,
    description: str,
    category: str,
    purchase_date: str,
    purchase_price: str,
    estimate_text: str,
    today: date,
) -> ClaimItem:
    errors: dict[str, str] = {}
    description = (description or "").strip()
    if len(description) < 2:
        errors["item_description"] = "Décrivez le bien (par exemple « Parquet du salon »)."
    if category not in perils.ITEM_CATEGORY_LABELS:
        errors["item_category"] = "Choisissez une catégorie."
    bought = None
    if (purchase_date or "").strip():
        bought = perils.parse_date(purchase_date)
        if bought is None:
            errors["item_purchase_date"] = "Date invalide : utilisez le format JJ/MM/AAAA."
        elif bought > today:
            errors["item_purchase_date"] = "La date d'achat ne peut pas être dans le futur."
    price = _amount(purchase_price, "item_purchase_price", errors, required=False)
    estimate_cents = _amount(estimate_text, "item_estimate", errors, required=True)
    if len(items(session=session, claim_id=claim.id)) >= MAX_ITEMS:
        errors["item_description"] = f"Une déclaration compte au plus {MAX_ITEMS} biens."
    if errors:
        raise ClaimInputError(errors)
    item = ClaimItem(
        claim_id=claim.id,
        description=description[:200],
        category=category,
        purchase_date=bought,
        purchase_price_cents=price,
        estimate_cents=estimate_cents,
    )
    session.add(item)
    session.flush()  # the new item is in the sum below (autoflush or not): never count it twice
    claim.declared_total_cents = declared_total(session=session, claim_id=claim.id)
    _touch(session, claim, STEP_ITEMS)
    return item


def remove_item(*, session: Session, claim: Claim, item_id: int) -> bool:
    item = session.exec(
        select(ClaimItem).where(ClaimItem.id == item_id, ClaimItem.claim_id == claim.id)
    ).first()
    if item is None:
        return False
    session.delete(item)
    session.flush()
    claim.declared_total_cents = declared_total(session=session, claim_id=claim.id)
    _touch(session, claim, claim.draft_step)
    return True


def items_done(*, session: Session, claim: Claim) -> None:
    if not items(session=session, claim_id=claim.id):
        raise ClaimInputError({"items": "Ajoutez au moins un bien endommagé, avec son estimation."})
    _touch(session, claim, STEP_FILES)


def add_file(
    *,
    session: Session,
    claim: Claim,
    data: bytes,
    filename: str,
    kind: str = "",
    staff_id: int | None = None,
) -> ClaimFile:
    """Check by content, store privately with a thumbnail for photos. Raises
    uploads.UploadRejected."""
    # The cap is the holder's: staff documents (expert report, letters) never count against it.
    count = (
        0
        if staff_id is not None
        else session.exec(
            select(func.count())
            .select_from(ClaimFile)
            .where(ClaimFile.claim_id == claim.id, ClaimFile.uploaded_by_staff_id.is_(None))
        ).one()
    )
    checked = uploads.check_upload(data=data, filename=filename, existing_count=count)
    thumb = uploads.thumbnail(data=data, mime_type=checked.mime_type)
    key, digest = private_files.put(session=session, data=data, extension=checked.extension)
    thumb_key = private_files.put(session=session, data=thumb, extension="jpg")[0] if thumb else ""
    detected_amount = None
    if kind not in ClaimFileKind.__members__.values():  # "Détecter": recognised by content
        kind = ClaimFileKind.PHOTO if checked.kind == "photo" else ClaimFileKind.DOCUMENT
        if checked.mime_type == "application/pdf":
            found = recognition.recognise_pdf(data)
            kind, detected_amount = found.kind or kind, found.amount_cents
    elif kind in (ClaimFileKind.INVOICE, ClaimFileKind.QUOTE) and checked.mime_type.endswith("pdf"):
        detected_amount = recognition.recognise_pdf(data).amount_cents
    captured = recognition.capture_time(data) if checked.kind == "photo" else None
    record = ClaimFile(
        claim_id=claim.id,
        kind=kind,
        filename=checked.filename,
        mime_type=checked.mime_type,
        size_bytes=checked.size_bytes,
        sha256=digest,
        storage_key=key,
        thumbnail_key=thumb_key,
        uploaded_by_staff_id=staff_id,
        captured_at=captured,
        detected_amount_cents=detected_amount,
    )
    session.add(record)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    return record


def remove_draft_file(*, session: Session, claim: Claim, file_id: int) -> bool:
    if claim.status != ClaimStatus.DRAFT:
        return False
    record = session.exec(
        select(ClaimFile).where(ClaimFile.id == file_id, ClaimFile.claim_id == claim.id)
    ).first()
    if record is None:
        return False
    session.delete(record)
    session.flush()
    private_files.delete_after_commit(
        session=session, keys=(record.storage_key, record.thumbnail_key)
    )
    return True


def files_done(*, session: Session, claim: Claim) -> None:
    _touch(session, claim, STEP_SUMMARY)


def delete_draft(*, session: Session, claim: Claim) -> None:
    """The draft, its items and its files (the stored files go once the transaction commits)."""
    if claim.status != ClaimStatus.DRAFT:
        return
    for model in (ClaimItem, ClaimFile):
        for row in session.exec(select(model).where(model.claim_id == claim.id)).all():
            session.delete(row)
            if isinstance(row, ClaimFile):
                private_files.delete_after_commit(
                    session=session, keys=(row.storage_key, row.thumbnail_key)
                )
    session.flush()
    session.delete(claim)
    session.flush()


# ----- sending -------------------------------------------------------------------------------


def missing_steps(*, session: Session, claim: Claim) -> dict[int, str]:
    """What stops the draft from being sent, by wizard step."""
    missing: dict[int, str] = {}
    if not claim.peril:
        missing[STEP_PERIL] = "Choisissez ce qui s'est passé."
    else:
        found = perils.peril(claim.peril)
        _, errors = perils.clean_answers(found, claim.answers, today=date.max)
        if errors:
            missing[STEP_QUESTIONS] = "Répondez aux questions sur l'événement."
    if claim.occurred_at is None or len(claim.description.strip()) < MIN_DESCRIPTION:
        missing[STEP_WHEN] = "Indiquez la date et décrivez ce qui s'est passé."
    if not items(session=session, claim_id=claim.id):
        missing[STEP_ITEMS] = "Ajoutez au moins un bien endommagé."
    return missing


@dataclass(frozen=True)
class Sent:
    claim: Claim
    next_step: str
    due_at: datetime | None
    express: bool


def _next_number(session: Session, year: int) -> str:
    prefix = f"SIN-{year}-"
    last = session.exec(
        select(Claim.number).where(Claim.number.like(f"{prefix}%")).order_by(Claim.number.desc())
    ).first()
    return f"{prefix}{(int(last[-6:]) if last else 0) + 1:06d}"


def _assign_number(session: Session, claim: Claim, year: int) -> None:
    """The next number of the year; two claims sent at the same moment retry rather than fail."""
    from sqlalchemy.exc import IntegrityError

    for attempt in range(5):
        try:
            with savepoint(session):
                claim.number = _next_number(session, year)
                session.add(claim)
                session.flush()
            return
        except IntegrityError:
            claim.number = None
            if attempt == 4:
                raise


def _least_busy_handler(session: Session) -> int | None:
    handlers = session.exec(
        select(StaffUser)
        .where(StaffUser.role == StaffRole.HANDLER, StaffUser.is_active)
        .order_by(StaffUser.id)
    ).all()
    if not handlers:
        return None
    load = dict(
        session.exec(
            select(Claim.handler_id, func.count())
            .where(Claim.status.in_(stages.OPEN_STATUSES))
            .group_by(Claim.handler_id)
        ).all()
    )
    return min(handlers, key=lambda staff: (load.get(staff.id, 0), staff.id)).id


def submit(*, session: Session, claim: Claim, now: datetime) -> Sent:
    if claim.status != ClaimStatus.DRAFT:
        raise ClaimInputError({"claim": "Cette déclaration a déjà été envoyée."})
    missing = missing_steps(session=session, claim=claim)
    contract = session.get(Contract, claim.contract_id)
    if contract.holder_id != claim.holder_id or contract.status != ContractStatus.ACTIVE:
        missing[STEP_CONTRACT] = "Choisissez un de vos contrats en cours."
    elif claim.occurred_at is not None and _outside_cover(contract, claim.occurred_at):
        missing[STEP_WHEN] = _outside_cover(contract, claim.occurred_at)
    if missing:
        raise ClaimInputError({f"step_{step}": message for step, message in missing.items()})
    today = now.astimezone(PARIS).date()
    found_deadline = deadline_for(claim, today=today)
    result = estimate(session=session, claim=claim)
    _assign_number(session, claim, today.year)
    claim.submitted_at = now
    claim.declared_total_cents = result.damage_cents
    claim.estimate = result.as_dict()
    claim.declaration_deadline = found_deadline.due if found_deadline else None
    claim.late_declaration = bool(found_deadline and found_deadline.late)
    claim.handler_id = _least_busy_handler(session)
    session.add(claim)
    session.flush()
    peril_label = perils.label(claim.peril).lower()
    detail = (
        f"Nous avons bien reçu votre déclaration ({peril_label}, survenu le "
        f"{fmt.date_fr(claim.occurred_at)}). Estimation de l'indemnité : "
        f"{fmt.money(result.indemnity_cents)}."
    )
    event = stages.move(session=session, claim=claim, kind=ClaimStatus.RECEIVED, detail=detail)
    emit(
        "claim.declared",
        {
            "claim_id": claim.id,
            "number": claim.number,
            "holder_id": claim.holder_id,
            "contract_id": claim.contract_id,
            "peril": claim.peril,
            "declared_by": "holder" if claim.declared_by_account_id else "insurer",
        },
        session=session,
    )
    express_reason = express_eligibility(session=session, claim=claim, indemnity=result)
    if express_reason:
        event = settle_express(
            session=session, claim=claim, indemnity=result, reason=express_reason
        )
    return Sent(claim, event.next_step, event.due_at, bool(express_reason))


def express_eligibility(
    *, session: Session, claim: Claim, indemnity: claim_indemnity.Indemnity
) -> str:
    """The reason the claim qualifies for express settlement, or "" if it does not."""
    if claim.peril not in EXPRESS_PERILS or not indemnity.covered or indemnity.indemnity_cents <= 0:
        return ""
    if claim.late_declaration or indemnity.damage_cents > EXPRESS_MAX_CENTS:
        return ""
    proof = session.exec(
        select(ClaimFile).where(
            ClaimFile.claim_id == claim.id,
            ClaimFile.kind.in_((ClaimFileKind.INVOICE, ClaimFileKind.QUOTE)),
        )
    ).first()
    if proof is None:
        return ""
    since = (claim.submitted_at or utcnow()) - timedelta(days=365)
    other = session.exec(
        select(Claim.id).where(
            Claim.contract_id == claim.contract_id,
            Claim.id != claim.id,
            Claim.submitted_at.is_not(None),
            Claim.submitted_at >= since,
        )
    ).first()
    if other is not None:
        return ""
    return (
        f"Bris de glace avec justificatif, montant déclaré de {fmt.money(indemnity.damage_cents)} "
        f"(jusqu'à {fmt.money(EXPRESS_MAX_CENTS)}), déclaré dans les délais, aucun autre sinistre "
        "depuis 12 mois."
    )


def settle_express(
    *, session: Session, claim: Claim, indemnity: claim_indemnity.Indemnity, reason: str
):
    claim.express, claim.express_reason = True, reason[:300]
    claim.assessed_damage_cents = indemnity.damage_cents
    claim.ceiling_cents, claim.deductible_cents = (
        indemnity.ceiling_cents,
        indemnity.deductible_cents,
    )
    claim.indemnity_cents = indemnity.indemnity_cents
    detail = (
        f"Votre sinistre remplit les conditions du règlement express : {reason} "
        f"Indemnité : {fmt.money(indemnity.indemnity_cents)} ({indemnity.explanation})"
    )
    return stages.move(
        session=session,
        claim=claim,
        kind="express",
        status=ClaimStatus.INDEMNITY_COMPUTED,
        detail=detail,
    )


# ----- after sending -------------------------------------------------------------------------


def add_document(
    *, session: Session, claim: Claim, data: bytes, filename: str, kind: str = ""
) -> ClaimFile:
    """The holder adds a document to a sent claim (at any time, even closed: it may reopen it)."""
    if claim.status == ClaimStatus.DRAFT:
        return add_file(session=session, claim=claim, data=data, filename=filename, kind=kind)
    record = add_file(session=session, claim=claim, data=data, filename=filename, kind=kind)
    stages.record(
        session=session,
        claim=claim,
        kind="documents_added",
        detail=f"« {record.filename} » ajouté.",
    )
    emit(
        "claim.document_added",
        {"claim_id": claim.id, "file_id": record.id, "holder_id": claim.holder_id},
        session=session,
    )
    return record


def post_message(
    *, session: Session, claim: Claim, body: str, staff_id: int | None = None
) -> ClaimMessage:
    body = (body or "").strip()
    if not body:
        raise ClaimInputError({"message": "Écrivez votre message avant de l'envoyer."})
    if len(body) > 4000:
        raise ClaimInputError(
            {"message": "Votre message est trop long (4 000 caractères au plus)."}
        )
    if claim.status == ClaimStatus.DRAFT:
        raise ClaimInputError({"message": "Envoyez d'abord votre déclaration."})
    message = ClaimMessage(claim_id=claim.id, staff_id=staff_id, body=body)
    session.add(message)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    if staff_id is None:  # the holder wrote
        emit(
            "claim.message_posted",
            {"claim_id": claim.id, "message_id": message.id, "holder_id": claim.holder_id},
            session=session,
        )
    return message


def mark_staff_messages_read(*, session: Session, claim: Claim) -> None:
    now = utcnow()
    for message in session.exec(
        select(ClaimMessage).where(
            ClaimMessage.claim_id == claim.id,
            ClaimMessage.staff_id.is_not(None),
            ClaimMessage.read_at.is_(None),
        )
    ).all():
        message.read_at = now
        session.add(message)
