"""Contract changes made by the insurer (staff or CLI)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from espace.models import Contract, ContractStatus
from espace.services import attestations


def terminate(*, session: Session, number: str, end_date: date, reason: str = "Résiliation") -> Contract:
    contract = session.exec(select(Contract).where(Contract.number == number)).first()
    if contract is None:
        raise LookupError(f"Contrat inconnu : {number}")
    contract.status = ContractStatus.TERMINATED
    contract.end_date = end_date
    session.add(contract)
    attestations.revoke_for_contract(session=session, contract_id=contract.id, reason=reason)
    return contract
