"""A contract's guarantees in plain French: ceilings, deductibles and exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from espace import formatting as fmt
from espace import labels
from espace.models import Contract, DeductibleKind, FormulaGuarantee, Guarantee


@dataclass(frozen=True)
class CoverLine:
    code: str
    category: str  # stored value, e.g. "water_damage"
    category_label: str
    name: str
    ceiling: str
    deductible: str
    ceiling_cents: int | None
    deductible_cents: int | None  # fixed amount when there is one
    exclusions: list[str] = field(default_factory=list)
    article_refs: str = ""


def deductible_text(kind: str, value: int, contract: Contract) -> tuple[str, int | None]:
    if kind == DeductibleKind.NONE:
        return "Aucune", 0
    if kind == DeductibleKind.FIXED:
        return fmt.money(value), value
    if kind == DeductibleKind.PERCENT:
        return f"{fmt.number(value / 100)} % des dommages", None
    if kind == DeductibleKind.LEGAL:
        return f"{fmt.money(value)} (franchise légale)", value
    return fmt.money(contract.deductible_cents), contract.deductible_cents


def cover_lines(*, session: Session, contract: Contract) -> list[CoverLine]:
    rows = session.exec(
        select(FormulaGuarantee, Guarantee).join(Guarantee, Guarantee.id == FormulaGuarantee.guarantee_id)
        .where(FormulaGuarantee.formula_id == contract.formula_id).order_by(Guarantee.id)  # catalogue order
    ).all()
    lines = []
    for cover, guarantee in rows:
        ceiling = fmt.money(cover.ceiling_cents) if cover.ceiling_cents is not None else cover.ceiling_note
        if cover.ceiling_cents is not None and cover.ceiling_note:
            ceiling = f"{ceiling} ({cover.ceiling_note})"
        deductible, deductible_cents = deductible_text(cover.deductible_kind, cover.deductible_value, contract)
        lines.append(CoverLine(
            code=guarantee.code, category=guarantee.category,
            category_label=labels.label(labels.GUARANTEE_CATEGORY, guarantee.category), name=guarantee.name,
            ceiling=ceiling, deductible=deductible, ceiling_cents=cover.ceiling_cents, deductible_cents=deductible_cents,
            exclusions=list(cover.exclusions), article_refs=guarantee.article_refs,
        ))
    return lines
