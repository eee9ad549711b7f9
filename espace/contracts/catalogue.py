"""The insurer's catalogue as the screens read it: formulas and optional covers."""

from __future__ import annotations

from sqlmodel import Session, col, select

from espace.contracts.models import ContractOptionDef, Formula
from espace.core.models import saved_id


def formula(*, session: Session, formula_id: int | None) -> Formula | None:
    return session.get(Formula, formula_id) if formula_id else None


def formula_ids(*, session: Session) -> dict[str, int]:
    """Each formula's id by its code (ESSENTIELLE, CONFORT, INTEGRALE)."""
    return {f.code: saved_id(f) for f in session.exec(select(Formula)).all()}


def option_definitions(*, session: Session) -> list[ContractOptionDef]:
    """The optional covers a contract may add, in catalogue order."""
    return list(session.exec(select(ContractOptionDef).order_by(col(ContractOptionDef.id))).all())
