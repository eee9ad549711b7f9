"""Online cancellation ("Résilier mon contrat", article L113-14 du Code des assurances).

The holder chooses a ground; ``preview`` computes, before anything is confirmed, the date the
cancellation takes effect, the unearned premium refunded and the debits cancelled; ``request``
checks everything again, demands a single-use step-up proof (it checks it itself), records the
request, ends the contract's cover the day before the effective date, revokes its attestations from
that date, cancels the debits after it, adjusts the instalment that straddles it, and acknowledges
receipt on screen (the returned row), by e-mail and as a PDF in "Mes documents".

Grounds and their effective dates (the first day without cover):
- loi Hamon (L113-15-2): after the first year, at any time; one month after we receive it;
- loi Chatel (L113-15-1): at the anniversary, by the deadline the annual notice gave (two months
  before the anniversary, or 20 days after a late notice);
- move or change of situation (L113-16): within three months of the event; one month after receipt;
- sale of the home (L121-10): the day after the sale, never before the request;
- other legal cases (death, retirement...): one month after receipt.
A supporting document is required where the ground rests on an event (move, sale, other). Files are
checked like a claim's (type from the content, size, the file must open) and kept privately.

The unearned premium is the part of what was paid that covers days from the effective date:
instalment by instalment, in proportion to the days of its period.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from espace import routes
from espace.billing import refunds
from espace.billing.instalments import add_months
from espace.billing.models import Payment, PaymentStatus
from espace.billing.payments import PAID_STATUSES
from espace.claims.models import StaffAuditLog
from espace.claims.uploads import UploadRejected, check_upload
from espace.contracts import attestations
from espace.contracts.models import Attestation, Contract, ContractStatus, Formula
from espace.contracts.portfolio import next_anniversary
from espace.core import formatting as fmt
from espace.core.models import today_paris, utcnow
from espace.documents import library, private_files
from espace.documents.addresses import holder_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.letter import (
    Amounts,
    Boxed,
    Facts,
    LetterData,
    Paragraph,
    Section,
    render_letter,
)
from espace.identity import staff_access, staff_reads, stepup
from espace.identity.models import Policyholder
from espace.lifecycle.models import (
    Cancellation,
    CancellationFile,
    CancellationGround,
    CancellationStatus,
    ContractRenewal,
)
from espace.lifecycle.renewal import CHATEL_NOTICE_MONTHS
from espace.notifications import notices
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit

G = CancellationGround
GROUND_LABELS = {
    G.HAMON: "Résiliation à tout moment après la première année (loi Hamon)",
    G.CHATEL: "Refus de la reconduction à l'échéance annuelle (loi Chatel)",
    G.MOVE: "Déménagement ou changement de situation (article L113-16)",
    G.SALE: "Vente du logement assuré",
    G.OTHER: "Autre cas prévu par la loi (décès, retraite, changement de régime matrimonial…)",
}
EVENT_LABELS = {
    G.MOVE: "Date du déménagement ou du changement de situation",
    G.SALE: "Date de la vente (signature de l'acte)",
    G.OTHER: "Date de l'événement",
}
FILE_HELP = {
    G.HAMON: "",
    G.CHATEL: "",
    G.MOVE: "Un justificatif du déménagement : nouveau bail, acte d'achat, facture d'électricité "
    "ou attestation de résidence à la nouvelle adresse.",
    G.SALE: "L'attestation de vente établie par le notaire.",
    G.OTHER: "Un justificatif de l'événement (acte de décès, attestation de départ à la "
    "retraite…).",
}
EVENT_WINDOW_MONTHS = 3  # L113-16: the request follows the event within three months
MAX_FILES = 5
MAX_DETAILS = 1000


class CancellationError(ValueError):
    """A refused request: ``errors`` maps a field (contract, ground, event_date, files,
    new_insurer_name...) to a French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class CancellationRequest:
    ground: str
    event_date: date | None = None
    details: str = ""
    new_insurer_name: str = ""
    new_insurer_address: str = ""
    new_insurer_contract: str = ""


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Preview:
    contract_id: int
    contract_number: str
    ground: str
    ground_label: str
    received_on: date
    effective_date: date  # first day without cover
    last_day: date  # last day covered
    refund_cents: int
    cancelled_debits: int
    cancelled_cents: int
    adjusted_cents: int  # what the instalment straddling the date is reduced by
    explanation: str
    needs_files: bool
    file_help: str


@dataclass(frozen=True)
class CancellationRow:
    """A cancellation as the holder (and the staff view) sees it."""

    id: int
    reference: str
    contract_number: str
    holder_name: str
    ground_label: str
    received_at: datetime
    effective_date: date
    refund_cents: int
    status: str
    document_id: int | None
    new_insurer: str


# ---- rules ----------------------------------------------------------------------------------


def _owned_contract(session: Session, holder_id: int, contract_id: int) -> Contract:
    contract = session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()
    if contract is None:
        raise CancellationError({"contract": "Contrat introuvable."})
    if contract.status != ContractStatus.ACTIVE:
        raise CancellationError({"contract": "Ce contrat n'est plus en cours."})
    pending = session.exec(
        select(Cancellation).where(
            Cancellation.contract_id == contract.id,
            Cancellation.status == CancellationStatus.RECEIVED,
        )
    ).first()
    if pending is not None or contract.end_date is not None:
        end = pending.effective_date if pending else contract.end_date + timedelta(days=1)
        raise CancellationError(
            {
                "contract": "La résiliation de ce contrat est déjà enregistrée : elle prend effet "
                f"le {fmt.date_fr(end)}."
            }
        )
    return contract


def _chatel_deadline(session: Session, contract: Contract, anniversary: date) -> date:
    notice = session.exec(
        select(ContractRenewal).where(
            ContractRenewal.contract_id == contract.id,
            ContractRenewal.anniversary == anniversary,
        )
    ).first()
    if notice is not None and notice.chatel_deadline is not None:
        return notice.chatel_deadline
    return add_months(anniversary, -CHATEL_NOTICE_MONTHS)


def effective_date(
    *, session: Session, contract: Contract, request: CancellationRequest, today: date
) -> tuple[date, str]:
    """(first day without cover, the French sentence explaining it), or CancellationError."""
    ground = request.ground
    if ground not in set(G):
        raise CancellationError({"ground": "Choisissez le motif de votre résiliation."})
    one_month = add_months(today, 1)
    if ground == G.HAMON:
        first_year_end = next_anniversary(contract.start_date, contract.start_date)
        if today < first_year_end:
            raise CancellationError(
                {
                    "ground": "La loi Hamon permet de résilier après la première année de contrat, "
                    f"soit à partir du {fmt.date_fr(first_year_end)}. Avant, un autre motif "
                    "(déménagement, vente…) peut s'appliquer."
                }
            )
        return one_month, (
            "Loi Hamon : la résiliation prend effet un mois après la réception de votre demande, "
            f"le {fmt.date_fr(one_month)}."
        )
    if ground == G.CHATEL:
        anniversary = next_anniversary(contract.start_date, today)
        deadline = _chatel_deadline(session, contract, anniversary)
        if today > deadline:
            raise CancellationError(
                {
                    "ground": "Le délai pour refuser la reconduction à l'échéance du "
                    f"{fmt.date_fr(anniversary)} a pris fin le {fmt.date_fr(deadline)}. "
                    + (
                        "Vous pouvez résilier à tout moment au titre de la loi Hamon."
                        if today >= next_anniversary(contract.start_date, contract.start_date)
                        else ""
                    )
                }
            )
        return anniversary, (
            "Loi Chatel : votre contrat n'est pas reconduit ; il prend fin à son échéance du "
            f"{fmt.date_fr(anniversary)} (demande reçue avant la date limite du "
            f"{fmt.date_fr(deadline)})."
        )
    event = request.event_date
    if event is None:
        raise CancellationError({"event_date": f"Indiquez la {EVENT_LABELS[ground].lower()}."})
    if event > today + timedelta(days=92):
        raise CancellationError(
            {"event_date": "Cette date est trop lointaine : faites votre demande plus près."}
        )
    if ground == G.SALE:
        start = max(event + timedelta(days=1), today + timedelta(days=1))
        return start, (
            "Vente du logement : le contrat prend fin le lendemain de la vente, et au plus tôt le "
            f"lendemain de votre demande : le {fmt.date_fr(start)}."
        )
    if event > today:
        raise CancellationError(
            {"event_date": "Faites votre demande une fois l'événement survenu."}
        )
    if ground == G.MOVE and add_months(event, EVENT_WINDOW_MONTHS) < today:
        raise CancellationError(
            {
                "event_date": "L'article L113-16 demande que la résiliation suive l'événement "
                f"dans les {EVENT_WINDOW_MONTHS} mois. Au-delà, la loi Hamon s'applique."
            }
        )
    return one_month, (
        "La résiliation prend effet un mois après la réception de votre demande, le "
        f"{fmt.date_fr(one_month)}."
    )


def _money_effects(
    session: Session, contract: Contract, effective: date
) -> tuple[int, list[Payment], list[tuple[Payment, int]]]:
    """(unearned premium paid, scheduled instalments to cancel, (instalment, new amount) to
    reduce)."""
    refund = 0
    cancelled: list[Payment] = []
    reduced: list[tuple[Payment, int]] = []
    rows = session.exec(
        select(Payment).where(
            Payment.contract_id == contract.id,
            Payment.holder_id == contract.holder_id,
            Payment.period_end >= effective,
        )
    ).all()
    for payment in rows:
        days = (payment.period_end - payment.period_start).days + 1
        unearned_days = (payment.period_end - max(effective, payment.period_start)).days + 1
        unearned = payment.amount_cents * unearned_days // days
        if payment.status in PAID_STATUSES:
            refund += unearned
        elif payment.status == PaymentStatus.SCHEDULED:
            if payment.period_start >= effective:
                cancelled.append(payment)
            else:
                reduced.append((payment, payment.amount_cents - unearned))
    return refund, cancelled, reduced


def _check_insurer(request: CancellationRequest) -> dict:
    if request.ground != G.HAMON:
        return {}
    name = request.new_insurer_name.strip()[:120]
    if not name:
        return {}
    return {
        "name": name,
        "address": request.new_insurer_address.strip()[:300],
        "contract": request.new_insurer_contract.strip()[:40],
    }


def preview(
    *,
    session: Session,
    holder_id: int,
    contract_id: int,
    request: CancellationRequest,
    today: date | None = None,
) -> Preview:
    """What the request would do, shown before confirming; changes nothing."""
    today = today or today_paris()
    contract = _owned_contract(session, holder_id, contract_id)
    effective, explanation = effective_date(
        session=session, contract=contract, request=request, today=today
    )
    refund, cancelled, reduced = _money_effects(session, contract, effective)
    return Preview(
        contract_id=contract.id,
        contract_number=contract.number,
        ground=request.ground,
        ground_label=GROUND_LABELS[G(request.ground)],
        received_on=today,
        effective_date=effective,
        last_day=effective - timedelta(days=1),
        refund_cents=refund,
        cancelled_debits=len(cancelled),
        cancelled_cents=sum(p.amount_cents for p in cancelled),
        adjusted_cents=sum(p.amount_cents - amount for p, amount in reduced),
        explanation=explanation,
        needs_files=bool(FILE_HELP[G(request.ground)]),
        file_help=FILE_HELP[G(request.ground)],
    )


# ---- the request ----------------------------------------------------------------------------


def request_cancellation(
    *,
    session: Session,
    holder_id: int,
    contract_id: int,
    request: CancellationRequest,
    files: list[UploadedFile],
    proof: stepup.StepUpProof | None,
    today: date | None = None,
    now: datetime | None = None,
) -> Cancellation:
    """Record the cancellation (see the module). Needs a single-use step-up proof of this holder;
    refuses without the documents the ground needs. Returns the acknowledged request."""
    now = now or utcnow()
    today = today or today_paris()
    plan = preview(
        session=session, holder_id=holder_id, contract_id=contract_id, request=request, today=today
    )
    if len(request.details) > MAX_DETAILS:
        raise CancellationError({"details": f"{MAX_DETAILS} caractères au plus."})
    if plan.needs_files and not files:
        raise CancellationError({"files": f"Joignez le justificatif demandé : {plan.file_help}"})
    if len(files) > MAX_FILES:
        raise CancellationError({"files": f"{MAX_FILES} fichiers au plus."})
    checked = []
    for index, upload in enumerate(files):
        try:
            checked.append(
                (
                    check_upload(data=upload.data, filename=upload.filename, existing_count=index),
                    upload.data,
                )
            )
        except UploadRejected as error:
            raise CancellationError({"files": error.message}) from None
    account = stepup.require_step_up(
        session=session, proof=proof, holder_id=holder_id, now=now, single_use=True
    )
    contract = _owned_contract(session, holder_id, contract_id)
    refund, cancelled, reduced = _money_effects(session, contract, plan.effective_date)
    changes = _changes(session, contract, cancelled, reduced)
    row = Cancellation(
        reference=f"RES-{today.year}-{secrets.token_hex(3).upper()}",
        contract_id=contract.id,
        holder_id=holder_id,
        ground=plan.ground,
        event_date=request.event_date if plan.ground not in (G.HAMON, G.CHATEL) else None,
        details=request.details.strip()[:MAX_DETAILS],
        new_insurer=_check_insurer(request),
        received_at=now,
        effective_date=plan.effective_date,
        refund_cents=refund,
        cancelled_debits=len(cancelled),
        account_id=account.id,
        changes=changes,
    )
    session.add(row)
    session.flush()
    for meta, data in checked:
        key, sha = private_files.put(session=session, data=data, extension=meta.extension)
        session.add(
            CancellationFile(
                cancellation_id=row.id,
                filename=meta.filename,
                mime_type=meta.mime_type,
                size_bytes=meta.size_bytes,
                storage_key=key,
                sha256=sha,
                uploaded_at=now,
            )
        )
    for payment in cancelled:
        session.delete(payment)
    for payment, amount in reduced:
        payment.tax_cents = payment.tax_cents * amount // max(payment.amount_cents, 1)
        payment.amount_cents = amount
        payment.period_end = plan.last_day
        session.add(payment)
    contract.end_date = plan.last_day
    session.add(contract)
    attestations.revoke_for_contract(
        session=session,
        contract_id=contract.id,
        reason="Résiliation du contrat",
        effective=plan.effective_date,
        today=today,
    )
    session.flush()
    document = _acknowledgement(session, contract, row, plan, [m for m, _ in checked])
    row.document_id = document.id
    session.add(row)
    session.flush()
    refunds.create_for_cancellation(
        session=session,
        holder_id=holder_id,
        contract_id=contract.id,
        cancellation_id=row.id,
        cancellation_reference=row.reference,
        amount_cents=refund,
        now=now,
    )
    _tell_holder(session, contract, row, plan)
    _emit_cancellation_requested(session, row)
    return row


def _changes(
    session: Session,
    contract: Contract,
    cancelled: list[Payment],
    reduced: list[tuple[Payment, int]],
) -> dict:
    """What the request is about to change, as it was before (JSON), so that a refusal restores
    exactly that: the debits deleted (whole rows), the instalment reduced (its amount, tax and
    period), the attestations not yet revoked (their validity and reason, their PDF's period)."""
    deleted = [p.model_dump(mode="json") for p in cancelled]
    shortened = [
        {
            "id": p.id,
            "amount_cents": p.amount_cents,
            "tax_cents": p.tax_cents,
            "period_end": p.period_end.isoformat(),
        }
        for p, _ in reduced
    ]
    kept = []
    for att in session.exec(
        select(Attestation).where(
            Attestation.contract_id == contract.id, Attestation.revoked_at.is_(None)
        )
    ).all():
        document = session.get(Document, att.document_id) if att.document_id else None
        kept.append(
            {
                "id": att.id,
                "valid_until": att.valid_until.isoformat(),
                "revoked_reason": att.revoked_reason,
                "document_period_end": (
                    document.period_end.isoformat() if document and document.period_end else None
                ),
            }
        )
    return {"deleted_payments": deleted, "reduced_payments": shortened, "attestations": kept}


def _emit_cancellation_requested(session: Session, row: Cancellation) -> None:
    """The integration event "cancellation.requested" for the insurer's systems, in the same
    transaction as the request (delivered by the worker after the commit)."""
    emit("cancellation.requested", cancellation_event(row), session=session)


def cancellation_event(row: Cancellation) -> dict:
    """The payload of the "cancellation.requested" event (no personal data beyond the ids)."""
    return {
        "reference": row.reference,
        "contract_id": row.contract_id,
        "holder_id": row.holder_id,
        "ground": row.ground,
        "received_at": row.received_at.isoformat(),
        "effective_date": row.effective_date.isoformat(),
        "refund_cents": row.refund_cents,
        "new_insurer": row.new_insurer or None,
    }


def _acknowledgement(
    session: Session, contract: Contract, row: Cancellation, plan: Preview, files: list
) -> Document:
    holder = session.get(Policyholder, contract.holder_id)
    formula = session.get(Formula, contract.formula_id)
    name, address = holder_lines(holder)
    facts = [
        ("Date de réception", fmt.datetime_fr(row.received_at)),
        ("Contrat", f"n°\u00a0{contract.number} (formule {formula.name})"),
        ("Motif", plan.ground_label),
    ]
    if row.event_date:
        facts.append((EVENT_LABELS[G(row.ground)], fmt.date_fr(row.event_date)))
    if row.new_insurer:
        insurer = row.new_insurer
        facts.append(
            (
                "Nouvel assureur",
                ", ".join(
                    v for v in (insurer["name"], insurer["address"], insurer["contract"]) if v
                ),
            )
        )
    if files:
        facts.append(("Justificatifs reçus", ", ".join(f.filename for f in files)))
    blocks = [
        Paragraph(
            f"Nous avons bien reçu le {fmt.datetime_fr(row.received_at)}, depuis votre espace "
            f"client, votre demande de résiliation du contrat d'assurance habitation "
            f"n°\u00a0{contract.number}. Le présent accusé de réception en fait foi."
        ),
        Section("Votre demande"),
        Facts(facts),
        Boxed(
            f"Date d'effet de la résiliation : {fmt.date_fr(row.effective_date)}",
            f"{plan.explanation} Vous êtes couvert jusqu'au {fmt.date_fr(plan.last_day)} inclus. "
            "Vos attestations d'assurance cessent d'être valables à partir du "
            f"{fmt.date_fr(row.effective_date)}.",
        ),
        Section("Votre cotisation"),
        Amounts(
            [
                (
                    f"Prélèvements à venir annulés ({row.cancelled_debits})",
                    fmt.money(plan.cancelled_cents),
                ),
                ("Échéance en cours réduite de", fmt.money(plan.adjusted_cents)),
            ],
            ("Cotisation non courue remboursée", fmt.money(row.refund_cents)),
        ),
        Paragraph(
            "La part de cotisation correspondant à la période postérieure à la date d'effet vous "
            "est remboursée au prorata, dans un délai de trente jours, sur le compte de "
            "prélèvement ou par virement.",
            small=True,
        ),
    ]
    if row.ground == G.HAMON and row.new_insurer:
        blocks.append(
            Paragraph(
                "Votre nouvel assureur nous ayant été indiqué, nous lui confirmerons la date de "
                "fin de votre contrat pour que votre logement reste assuré sans interruption.",
                small=True,
            )
        )
    data = LetterData(
        title="Accusé de réception de votre demande de résiliation",
        reference=row.reference,
        issued_on=fmt.date_fr(row.received_at),
        holder_name=name,
        holder_address=address,
        facts=[("Contrat n°", contract.number)],
        blocks=blocks,
    )
    document = Document(
        holder_id=contract.holder_id,
        contract_id=contract.id,
        kind=DocumentKind.CANCELLATION,
        title=f"Accusé de réception de résiliation — {contract.number}",
        reference=row.reference,
        issued_at=row.received_at,
        period_end=plan.last_day,
        amount_cents=row.refund_cents,
    )
    library.store_pdf(document, render_letter(data))
    session.add(document)
    session.flush()
    return document


def _tell_holder(session: Session, contract: Contract, row: Cancellation, plan: Preview) -> None:
    effective = fmt.date_fr(row.effective_date)
    notices.notify(
        session=session,
        holder_id=contract.holder_id,
        category=NotificationCategory.DOCUMENTS,
        title=f"Résiliation enregistrée — {contract.number}",
        body=f"Votre contrat prend fin le {effective}. Votre accusé de réception est dans « Mes "
        "documents ».",
        link=routes.DOCUMENTS,
        email_subject=f"Accusé de réception de votre demande de résiliation — {contract.number}",
        email_body=(
            "Bonjour,\n\n"
            f"Nous avons bien reçu le {fmt.datetime_fr(row.received_at)} votre demande de "
            f"résiliation du contrat {contract.number} (référence {row.reference}).\n\n"
            f"Motif : {plan.ground_label}.\n"
            f"Date d'effet : {effective} ; vous êtes couvert jusqu'au "
            f"{fmt.date_fr(plan.last_day)} inclus.\n"
            f"Cotisation non courue remboursée : {fmt.money(row.refund_cents)}.\n"
            f"Prélèvements à venir annulés : {row.cancelled_debits}.\n\n"
            "L'accusé de réception est disponible en PDF dans votre espace, rubrique « Mes "
            "documents ».\n"
        ),
        critical=True,
    )


# ---- reading --------------------------------------------------------------------------------


def _row(row: Cancellation, number: str, holder: Policyholder) -> CancellationRow:
    insurer = row.new_insurer or {}
    return CancellationRow(
        id=row.id,
        reference=row.reference,
        contract_number=number,
        holder_name=f"{holder.first_name} {holder.last_name}",
        ground_label=GROUND_LABELS.get(row.ground, row.ground),
        received_at=row.received_at,
        effective_date=row.effective_date,
        refund_cents=row.refund_cents,
        status=row.status,
        document_id=row.document_id,
        new_insurer=", ".join(v for v in insurer.values() if v),
    )


def for_contract(*, session: Session, holder_id: int, contract_id: int) -> CancellationRow | None:
    """This holder's latest cancellation of this contract (None for another holder's)."""
    found = session.exec(
        select(Cancellation, Contract.number, Policyholder)
        .join(Contract, Contract.id == Cancellation.contract_id)
        .join(Policyholder, Policyholder.id == Cancellation.holder_id)
        .where(
            Cancellation.contract_id == contract_id,
            Cancellation.holder_id == holder_id,
            Contract.holder_id == holder_id,
        )
        .order_by(Cancellation.id.desc())
    ).first()
    return _row(*found) if found else None


def list_for_staff(*, session: Session, staff_id: int, limit: int = 200) -> list[CancellationRow]:
    """Cancellations, newest first, for handlers and managers (the role is checked here); each one
    shown is logged as a read of that holder's data, and the listing in the staff audit log."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    rows = session.exec(
        select(Cancellation, Contract.number, Policyholder)
        .join(Contract, Contract.id == Cancellation.contract_id)
        .join(Policyholder, Policyholder.id == Cancellation.holder_id)
        .order_by(Cancellation.received_at.desc(), Cancellation.id.desc())
        .limit(limit)
    ).all()
    for cancellation, _number, holder in rows:
        staff_reads.record(
            session=session,
            staff_id=staff.id,
            holder_id=holder.id,
            object_type="cancellation",
            object_id=cancellation.id,
        )
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="list_cancellations",
            object_type="cancellation",
            object_id=0,
            detail=f"{len(rows)} demande(s) de résiliation consultée(s)",
        )
    )
    session.flush()
    return [_row(*found) for found in rows]


@dataclass(frozen=True)
class Screen:
    """What the cancellation page shows for one of the holder's contracts."""

    contract_id: int
    contract_number: str
    formula: str
    address: str
    start_date: date
    hamon_from: date  # first day a Hamon cancellation is possible
    next_anniversary: date
    chatel_deadline: date
    existing: CancellationRow | None


def screen(*, session: Session, holder_id: int, number: str, today: date) -> Screen | None:
    """The page's context for this holder's contract ``number`` (None: not one of theirs)."""
    contract = session.exec(
        select(Contract).where(
            Contract.number == number.strip().upper()[:10], Contract.holder_id == holder_id
        )
    ).first()
    if contract is None:
        return None
    from espace.contracts.models import InsuredProperty

    formula = session.get(Formula, contract.formula_id)
    prop = session.get(InsuredProperty, contract.property_id)
    anniversary = next_anniversary(contract.start_date, today)
    # a refused request no longer stands: the holder may ask again
    existing = for_contract(session=session, holder_id=holder_id, contract_id=contract.id)
    return Screen(
        contract_id=contract.id,
        contract_number=contract.number,
        formula=formula.name,
        address=f"{prop.address_line1}, {prop.postal_code} {prop.city}",
        start_date=contract.start_date,
        hamon_from=next_anniversary(contract.start_date, contract.start_date),
        next_anniversary=anniversary,
        chatel_deadline=_chatel_deadline(session, contract, anniversary),
        existing=existing if existing and existing.status != CancellationStatus.REFUSED else None,
    )


def check_file(*, data: bytes, filename: str, existing_count: int) -> str:
    """A supporting document checked as the form receives it (the request checks it again);
    returns its display name, or raises CancellationError."""
    if existing_count >= MAX_FILES:
        raise CancellationError({"files": f"{MAX_FILES} fichiers au plus."})
    try:
        return check_upload(data=data, filename=filename, existing_count=existing_count).filename
    except UploadRejected as error:
        raise CancellationError({"files": error.message}) from None


# ---- the back office: one request, its files, refusal -------------------------------------------

REFUSABLE_GROUNDS = (G.MOVE, G.SALE, G.OTHER)  # grounds resting on an event the holder must prove
MIN_REASON = 10


@dataclass(frozen=True)
class StaffFile:
    id: int
    filename: str
    size_bytes: int
    mime_type: str


@dataclass(frozen=True)
class StaffDetail:
    """One cancellation as handlers and managers see it."""

    row: CancellationRow
    holder_id: int
    ground: str
    event_label: str
    event_date: date | None
    details: str
    last_day: date
    files: list[StaffFile]
    refund: object | None  # billing.models.PremiumRefund
    refusal_reason: str
    refused_at: datetime | None
    can_refuse: bool
    refuse_help: str


def _staff_lookup(session: Session, cancellation_id: int):
    return session.exec(
        select(Cancellation, Contract.number, Policyholder)
        .join(Contract, Contract.id == Cancellation.contract_id)
        .join(Policyholder, Policyholder.id == Cancellation.holder_id)
        .where(Cancellation.id == cancellation_id)
    ).first()


def _refusable(row: Cancellation, refund) -> tuple[bool, str]:
    if row.status != CancellationStatus.RECEIVED:
        return False, "La demande n'est plus en cours : elle ne peut plus être refusée."
    if row.ground not in REFUSABLE_GROUNDS:
        return False, (
            "Ce motif (loi Hamon ou Chatel) ne dépend d'aucun justificatif : la demande ne peut "
            "pas être refusée."
        )
    if refund is not None and refund.status not in (
        refunds.R.AWAITING_BANK,
        refunds.R.TO_PAY,
        refunds.R.CANCELLED,
    ):
        return False, "Le remboursement a déjà été transmis à la banque : refus impossible."
    return True, ""


def detail_for_staff(*, session: Session, staff_id: int, cancellation_id: int) -> StaffDetail:
    """One request with its files and refund, for handlers and managers (the role is checked
    here); the read is logged in the holder's trace and the staff audit log. LookupError when
    unknown."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    found = _staff_lookup(session, cancellation_id)
    if found is None:
        raise LookupError("cancellation")
    row, number, holder = found
    files = session.exec(
        select(CancellationFile)
        .where(CancellationFile.cancellation_id == row.id)
        .order_by(CancellationFile.id)
    ).all()
    refund = refunds.for_cancellation(session=session, cancellation_id=row.id)
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=holder.id,
        object_type="cancellation",
        object_id=row.id,
        detail=f"Demande de résiliation {row.reference}",
    )
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="view_cancellation",
            object_type="cancellation",
            object_id=row.id,
            detail=f"Demande {row.reference} consultée",
        )
    )
    session.flush()
    can_refuse, help_text = _refusable(row, refund)
    return StaffDetail(
        row=_row(row, number, holder),
        holder_id=holder.id,
        ground=row.ground,
        event_label=EVENT_LABELS.get(row.ground, ""),
        event_date=row.event_date,
        details=row.details,
        last_day=row.effective_date - timedelta(days=1),
        files=[StaffFile(f.id, f.filename, f.size_bytes, f.mime_type) for f in files],
        refund=refund,
        refusal_reason=row.refusal_reason,
        refused_at=row.refused_at,
        can_refuse=can_refuse,
        refuse_help=help_text,
    )


def file_for_staff(*, session: Session, staff_id: int, file_id: int) -> CancellationFile | None:
    """A supporting document for handlers and managers (role checked here: StaffForbidden);
    each download is logged in the holder's trace."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    found = session.exec(
        select(CancellationFile, Cancellation)
        .join(Cancellation, Cancellation.id == CancellationFile.cancellation_id)
        .where(CancellationFile.id == file_id)
    ).first()
    if found is None:
        return None
    record, row = found
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=row.holder_id,
        object_type="cancellation",
        object_id=row.id,
        detail=f"Justificatif {record.filename[:80]} ({row.reference})",
    )
    return record


def file_for_holder(*, session: Session, holder_id: int, file_id: int) -> CancellationFile | None:
    """A supporting document of the holder's own request (None for anyone else's)."""
    return session.exec(
        select(CancellationFile)
        .join(Cancellation, Cancellation.id == CancellationFile.cancellation_id)
        .where(CancellationFile.id == file_id, Cancellation.holder_id == holder_id)
    ).first()


def acknowledgement_for_staff(
    *, session: Session, staff_id: int, cancellation_id: int
) -> Document | None:
    """The acknowledgement PDF of a request, for handlers and managers (role checked, logged)."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    row = session.get(Cancellation, cancellation_id)
    if row is None or row.document_id is None:
        return None
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=row.holder_id,
        object_type="cancellation",
        object_id=row.id,
        detail=f"Accusé de réception {row.reference}",
    )
    return session.exec(
        select(Document).where(Document.id == row.document_id, Document.holder_id == row.holder_id)
    ).first()


def refuse(
    *,
    session: Session,
    staff_id: int,
    cancellation_id: int,
    reason: str,
    today: date | None = None,
    now: datetime | None = None,
) -> Cancellation:
    """A handler refuses a request whose ground is not proven (move, sale, other legal case: never
    Hamon or Chatel, which rest on dates alone). In one transaction: the refund (not yet sent) is
    cancelled, the contract's cover, the deleted debits, the reduced instalment and the
    attestations are restored exactly as the request found them, and the holder is told why (notice
    and e-mail). CancellationError with a French message by field."""
    now = now or utcnow()
    today = today or today_paris()
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise CancellationError({"reason": "Expliquez à l'assuré pourquoi la demande est refusée."})
    if len(reason) > MAX_DETAILS:
        raise CancellationError({"reason": f"{MAX_DETAILS} caractères au plus."})
    row = session.get(Cancellation, cancellation_id)
    if row is None:
        raise CancellationError({"cancellation": "Demande introuvable."})
    contract = session.exec(
        select(Contract).where(Contract.id == row.contract_id, Contract.holder_id == row.holder_id)
    ).one()
    refund = refunds.for_cancellation(session=session, cancellation_id=row.id)
    allowed, why = _refusable(row, refund)
    if not allowed or contract.status != ContractStatus.ACTIVE:
        raise CancellationError({"cancellation": why or "Le contrat n'est plus en cours."})
    if refund is not None:
        try:
            refunds.cancel(
                session=session,
                refund=refund,
                reason=f"Résiliation {row.reference} refusée",
                now=now,
            )
        except refunds.RefundError as error:
            raise CancellationError({"cancellation": str(error)}) from None
    _restore(session, contract, row.changes or {}, today)
    row.status, row.refused_at, row.refused_by_staff_id = CancellationStatus.REFUSED, now, staff.id
    row.refusal_reason = reason
    session.add(row)
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="refuse_cancellation",
            object_type="cancellation",
            object_id=row.id,
            detail=f"Résiliation {row.reference} refusée : {reason}"[:1000],
            at=now,
        )
    )
    session.flush()
    notices.notify(
        session=session,
        holder_id=row.holder_id,
        category=NotificationCategory.DOCUMENTS,
        title=f"Demande de résiliation refusée — {contract.number}",
        body=f"{reason} Votre contrat continue : vos garanties et vos échéances sont rétablies.",
        link=routes.CONTRACTS,
        email_subject=f"Votre demande de résiliation — {contract.number}",
        email_body=(
            "Bonjour,\n\n"
            f"Nous ne pouvons pas donner suite à votre demande de résiliation du contrat "
            f"{contract.number} (référence {row.reference}, reçue le "
            f"{fmt.datetime_fr(row.received_at)}).\n\n"
            f"Motif : {reason}\n\n"
            "Votre contrat continue sans interruption : vos garanties, vos attestations et vos "
            "échéances sont rétablies. Vous pouvez refaire une demande depuis votre espace avec "
            "le justificatif attendu, ou nous écrire depuis la messagerie.\n"
        ),
        critical=True,
    )
    emit(
        "cancellation.refused",
        {
            "reference": row.reference,
            "contract_id": row.contract_id,
            "holder_id": row.holder_id,
            "refused_at": now.isoformat(),
        },
        session=session,
    )
    return row


def _restore(session: Session, contract: Contract, changes: dict, today: date) -> None:
    """Undo what ``request_cancellation`` changed (see ``_changes``)."""
    contract.end_date = None
    session.add(contract)
    for data in changes.get("deleted_payments", []):
        if session.get(Payment, data["id"]) is None:
            session.add(Payment.model_validate(data))
    for data in changes.get("reduced_payments", []):
        payment = session.get(Payment, data["id"])
        if payment is None:
            continue
        old_end = date.fromisoformat(data["period_end"])
        if payment.status == PaymentStatus.SCHEDULED:
            payment.amount_cents, payment.tax_cents = data["amount_cents"], data["tax_cents"]
        elif data["amount_cents"] > payment.amount_cents:
            # collected at its reduced amount meanwhile: the rest is due as its own instalment
            session.add(
                Payment(
                    contract_id=payment.contract_id,
                    holder_id=payment.holder_id,
                    due_date=max(today, payment.due_date),
                    period_start=payment.period_end + timedelta(days=1),
                    period_end=old_end,
                    amount_cents=data["amount_cents"] - payment.amount_cents,
                    tax_cents=max(data["tax_cents"] - payment.tax_cents, 0),
                    method=payment.method,
                )
            )
            continue
        payment.period_end = old_end
        session.add(payment)
    for data in changes.get("attestations", []):
        att = session.get(Attestation, data["id"])
        if att is None:
            continue
        att.revoked_at, att.revoked_reason = None, data["revoked_reason"]
        att.valid_until = date.fromisoformat(data["valid_until"])
        session.add(att)
        document = session.get(Document, att.document_id) if att.document_id else None
        if document is not None and data.get("document_period_end"):
            document.period_end = date.fromisoformat(data["document_period_end"])
            session.add(document)
    session.flush()
