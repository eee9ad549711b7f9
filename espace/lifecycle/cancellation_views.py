"""What the holder reads of a cancellation: the row shown on screen, the cancellation page's
context, the holder's own supporting documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from espace.contracts.models import Contract, Formula
from espace.contracts.portfolio import next_anniversary
from espace.identity.models import Policyholder
from espace.lifecycle.cancellation_rules import GROUND_LABELS, _chatel_deadline
from espace.lifecycle.models import Cancellation, CancellationFile, CancellationStatus


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


def file_for_holder(*, session: Session, holder_id: int, file_id: int) -> CancellationFile | None:
    """A supporting document of the holder's own request (None for anyone else's)."""
    return session.exec(
        select(CancellationFile)
        .join(Cancellation, Cancellation.id == CancellationFile.cancellation_id)
        .where(CancellationFile.id == file_id, Cancellation.holder_id == holder_id)
    ).first()
