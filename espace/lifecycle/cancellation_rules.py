"""Online cancellation: the grounds, their effective dates and what a request would change.

Grounds and their effective dates (the first day without cover):
- loi Hamon (L113-15-2): after the first year, at any time; one month after we receive it;
- loi Chatel (L113-15-1): at the anniversary, by the deadline the annual notice gave (two months
  before the anniversary, or 20 days after a late notice);
- move or change of situation (L113-16): within three months of the event; one month after receipt;
- sale of the home (L121-10): the day after the sale, never before the request;
- other legal cases (death, retirement...): one month after receipt.
A supporting document is required where the ground rests on an event (move, sale, other).

The unearned premium is the part of what was paid that covers days from the effective date:
instalment by instalment, in proportion to the days of its period.

``preview`` shows all of it before anything is confirmed; ``cancellation.request_cancellation``
checks it again and records the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from espace.billing.instalments import add_months
from espace.billing.models import Payment, PaymentStatus
from espace.billing.payments import PAID_STATUSES
from espace.contracts.models import Contract, ContractStatus
from espace.contracts.portfolio import next_anniversary
from espace.core import formatting as fmt
from espace.core.models import today_paris
from espace.lifecycle.models import (
    Cancellation,
    CancellationGround,
    CancellationStatus,
    ContractRenewal,
)
from espace.lifecycle.renewal_notice import CHATEL_NOTICE_MONTHS

G = CancellationGround
STATUS_LABELS = {
    CancellationStatus.RECEIVED: "Reçue",
    CancellationStatus.EFFECTIVE: "Effective",
    CancellationStatus.REFUSED: "Refusée",
}
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
