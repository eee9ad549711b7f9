"""Indemnity = min(ceiling, assessed damage − deductible), never below zero.

The ceiling and the deductible come from the contract's terms in force on the date of the loss (the
guarantee of the formula that answers the peril, or an option granting it); a ceiling written as "up
to the furniture capital" uses that version's capital; the natural-disaster deductible is the legal
one."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlmodel import Session

from espace.claims.perils import peril as find_peril
from espace.contracts import coverage
from espace.contracts.catalogue_data import (
    DROUGHT_DEDUCTIBLE_CENTS,
    NATURAL_DISASTER_DEDUCTIBLE_CENTS,
)
from espace.contracts.models import Contract, DeductibleKind, GuaranteeCategory
from espace.core import formatting as fmt


@dataclass(frozen=True)
class Indemnity:
    covered: bool
    guarantee: str  # the guarantee's name, empty when none applies
    damage_cents: int
    ceiling_cents: int
    deductible_cents: int
    indemnity_cents: int
    explanation: str  # French, shown to the holder and to staff

    def as_dict(self) -> dict:
        return asdict(self)


def settle(*, damage_cents: int, ceiling_cents: int, deductible_cents: int) -> int:
    return max(0, min(ceiling_cents, damage_cents - deductible_cents))


def _deductible(
    line: coverage.CoverLine,
    contract_deductible_cents: int,
    damage_cents: int,
    category: str,
    answers: dict,
) -> int:
    if category == GuaranteeCategory.NATURAL_DISASTER:  # set by law, whatever the contract says
        if answers.get("event_type") == "drought":
            return DROUGHT_DEDUCTIBLE_CENTS
        return (
            line.deductible_value
            if line.deductible_kind == DeductibleKind.LEGAL
            else NATURAL_DISASTER_DEDUCTIBLE_CENTS
        )
    kind = line.deductible_kind
    if kind == DeductibleKind.NONE:
        return 0
    if kind in (DeductibleKind.FIXED, DeductibleKind.LEGAL):
        return line.deductible_value
    if kind == DeductibleKind.PERCENT:
        return damage_cents * line.deductible_value // 10_000
    return contract_deductible_cents


def compute(
    *,
    session: Session,
    contract: Contract,
    peril_code: str,
    damage_cents: int,
    on: date,
    category: str = "",
    answers: dict | None = None,
) -> Indemnity:
    """The indemnity under the terms in force on ``on``, the date of the loss.

    ``category`` overrides the peril's guarantee category (staff choose it for "other" events);
    ``answers`` (the declaration's) matter for catastrophes naturelles (drought, published
    order)."""
    answers = answers or {}
    found = find_peril(peril_code)
    damage_cents = max(0, damage_cents)
    category = category or (found.category if found else None) or ""
    if found is None or not category:
        return Indemnity(
            False,
            "",
            damage_cents,
            0,
            0,
            0,
            "Votre gestionnaire détermine la garantie qui s'applique à cet événement, puis le "
            "montant.",
        )
    cover = coverage.cover_on(session=session, contract=contract, on=on)
    if cover is None:
        state = "n'avait pas encore pris effet" if on < contract.start_date else "avait pris fin"
        return Indemnity(
            False,
            "",
            damage_cents,
            0,
            0,
            0,
            f"Le {fmt.date_fr(on)}, votre contrat {state} : aucune garantie ne s'applique. "
            "Votre gestionnaire étudiera tout de même votre déclaration.",
        )
    line = cover.line_for(category)
    if line is None:
        return Indemnity(
            False,
            "",
            damage_cents,
            0,
            0,
            0,
            f"Votre formule {cover.formula_name} ne comprend pas de garantie pour cet événement. "
            "Votre gestionnaire étudiera tout de même votre déclaration.",
        )
    ceiling = (
        line.ceiling_cents if line.ceiling_cents is not None else cover.furniture_capital_cents
    )
    deductible = _deductible(line, cover.deductible_cents, damage_cents, category, answers)
    amount = settle(damage_cents=damage_cents, ceiling_cents=ceiling, deductible_cents=deductible)
    explanation = (
        f"{line.name} : {fmt.money(damage_cents)} de dommages − franchise de "
        f"{fmt.money(deductible)}, dans la limite du plafond de {fmt.money(ceiling)} = "
        f"{fmt.money(amount)}."
    )
    if category == GuaranteeCategory.NATURAL_DISASTER and answers.get("order_published") != "yes":
        explanation += (
            " Sous réserve de la publication de l'arrêté de catastrophe naturelle au Journal "
            "officiel : sans arrêté, cette garantie ne s'applique pas."
        )
    return Indemnity(True, line.name, damage_cents, ceiling, deductible, amount, explanation)
