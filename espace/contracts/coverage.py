"""What a contract covers on a date, in plain French: guarantees of its formula and options taken,
with ceilings, deductibles and exclusions.

``cover_on(contract, on)`` is the one answer to "what is covered, up to how much, with which
deductible, on day D": it reads the version of the terms in force that day (``terms``), so a claim
uses its loss date, an attestation its validity, the contract page today. ``lines_for`` answers the
same for a hypothetical choice (the formula comparison)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from espace.contracts import labels, terms
from espace.contracts.models import (
    Contract,
    ContractOptionDef,
    ContractTerms,
    DeductibleKind,
    Formula,
    FormulaGuarantee,
    Guarantee,
)
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id


@dataclass(frozen=True)
class CoverLine:
    code: str
    category: str  # stored value, e.g. "water_damage"
    category_label: str
    name: str
    ceiling: str
    deductible: str
    ceiling_cents: (
        int | None
    )  # None: up to the furniture capital / replacement value (see ``ceiling``)
    deductible_cents: int | None  # fixed amount when there is one
    exclusions: list[str] = field(default_factory=list)
    article_refs: str = ""
    source: str = "formula"  # "formula" | "option"
    option_code: str = ""
    grants: bool = (
        True  # makes its category covered (a formula guarantee, or an option granting one)
    )
    deductible_kind: str = DeductibleKind.CONTRACT
    deductible_value: int = 0


@dataclass(frozen=True)
class TakenOption:
    code: str
    name: str
    annual_price_cents: int


@dataclass(frozen=True)
class Cover:
    """The cover of a contract on one day, from the version of its terms in force that day."""

    contract_id: int
    on: date
    version: ContractTerms
    formula_code: str
    formula_name: str
    furniture_capital_cents: int
    deductible_cents: int
    options: list[TakenOption]
    lines: list[CoverLine]

    def line_for(self, category: str) -> CoverLine | None:
        """The guarantee that answers a category: the formula's, else an option granting it."""
        return next(
            (line for line in self.lines if line.category == category and line.grants), None
        )

    def covers(self, category: str) -> bool:
        return self.line_for(category) is not None

    def lines_in(self, category: str) -> list[CoverLine]:
        return [line for line in self.lines if line.category == category]


def deductible_text(
    kind: str, value: int, contract_deductible_cents: int | None
) -> tuple[str, int | None]:
    if kind == DeductibleKind.NONE:
        return "Aucune", 0
    if kind == DeductibleKind.FIXED:
        return fmt.money(value), value
    if kind == DeductibleKind.PERCENT:
        return f"{fmt.number(value / 100)} % des dommages", None
    if kind == DeductibleKind.LEGAL:
        return f"{fmt.money(value)} (franchise légale)", value
    return fmt.money(contract_deductible_cents), contract_deductible_cents


_AMOUNT = re.compile(r"\d[\d \u00a0\u202f]*(?:,\d+)?\s?€")


def _ceiling_text(ceiling_cents: int | None, note: str) -> str:
    if ceiling_cents is None:
        return note
    if not note:
        return fmt.money(ceiling_cents)
    # "4 500 000,00 € (dont dommages matériels : 1 500 000,00 €)": the note continues the
    # sentence (lower case) and its amounts are written like the ceiling's.
    note = _AMOUNT.sub(lambda m: fmt.money(fmt.parse_euros(m.group(0))), note)
    return f"{fmt.money(ceiling_cents)} ({note[:1].lower()}{note[1:]})"


def lines_for(
    *, session: Session, formula_id: int, options: Iterable[str], deductible_cents: int
) -> list[CoverLine]:
    """The guarantees of a formula in catalogue order, then those of the options taken."""
    rows = session.exec(
        select(FormulaGuarantee, Guarantee)
        .join(Guarantee, col(Guarantee.id) == FormulaGuarantee.guarantee_id)
        .where(FormulaGuarantee.formula_id == formula_id)
        .order_by(col(Guarantee.id))  # catalogue order
    ).all()
    lines = []
    for cover, guarantee in rows:
        deductible, deductible_cents_ = deductible_text(
            cover.deductible_kind, cover.deductible_value, deductible_cents
        )
        lines.append(
            CoverLine(
                code=guarantee.code,
                category=guarantee.category,
                category_label=labels.label(labels.GUARANTEE_CATEGORY, guarantee.category),
                name=guarantee.name,
                ceiling=_ceiling_text(cover.ceiling_cents, cover.ceiling_note),
                deductible=deductible,
                ceiling_cents=cover.ceiling_cents,
                deductible_cents=deductible_cents_,
                exclusions=list(cover.exclusions),
                article_refs=guarantee.article_refs,
                deductible_kind=cover.deductible_kind,
                deductible_value=cover.deductible_value,
            )
        )
    codes = set(options)
    if not codes:
        return lines
    formula_categories = {line.category for line in lines}
    defs = session.exec(
        select(ContractOptionDef)
        .where(col(ContractOptionDef.code).in_(sorted(codes)))
        .order_by(col(ContractOptionDef.id))
    ).all()
    granting = {
        g.code: g
        for g in session.exec(
            select(Guarantee).where(
                col(Guarantee.code).in_([o.guarantee_code for o in defs if o.guarantee_code])
            )
        ).all()
    }
    for option in defs:
        granted = granting.get(option.guarantee_code)
        if granted is not None and granted.category in formula_categories:
            continue  # the formula already includes it (the tariff refuses this combination anyway)
        category = granted.category if granted else option.guarantee_category
        kind, value = option.deductible_kind, option.deductible_value
        if kind == DeductibleKind.BASE:
            base = next(
                (line for line in lines if line.category == category and line.source == "formula"),
                None,
            )
            kind, value = (
                (base.deductible_kind, base.deductible_value)
                if base
                else (DeductibleKind.CONTRACT, 0)
            )
        deductible, deductible_cents_ = deductible_text(kind, value, deductible_cents)
        lines.append(
            CoverLine(
                code=granted.code if granted else option.code,
                category=category,
                category_label=labels.label(labels.GUARANTEE_CATEGORY, category),
                name=f"{granted.name if granted else option.name} (option)",
                ceiling=_ceiling_text(option.ceiling_cents, option.ceiling_note),
                deductible=deductible,
                ceiling_cents=option.ceiling_cents,
                deductible_cents=deductible_cents_,
                exclusions=list(option.exclusions),
                article_refs=option.article_refs or (granted.article_refs if granted else ""),
                source="option",
                option_code=option.code,
                grants=granted is not None,
                deductible_kind=kind,
                deductible_value=value,
            )
        )
    return lines


def cover_of(*, session: Session, version: ContractTerms, on: date) -> Cover:
    formula = get_existing(session, Formula, version.formula_id)
    prices = terms.terms_of(version).options
    names = (
        dict(
            session.exec(
                select(ContractOptionDef.code, ContractOptionDef.name).where(
                    col(ContractOptionDef.code).in_(sorted(prices))
                )
            ).all()
        )
        if prices
        else {}
    )
    return Cover(
        contract_id=version.contract_id,
        on=on,
        version=version,
        formula_code=formula.code,
        formula_name=formula.name,
        furniture_capital_cents=version.furniture_capital_cents,
        deductible_cents=version.deductible_cents,
        options=[
            TakenOption(code, names.get(code, code), price)
            for code, price in sorted(prices.items())
        ],
        lines=lines_for(
            session=session,
            formula_id=version.formula_id,
            options=prices,
            deductible_cents=version.deductible_cents,
        ),
    )


def cover_on(*, session: Session, contract: Contract, on: date) -> Cover | None:
    """What ``contract`` covers on ``on`` (None before its terms start and after its end date)."""
    if contract.end_date is not None and on > contract.end_date:
        return None
    version = terms.version_on(session=session, contract_id=saved_id(contract), day=on)
    return cover_of(session=session, version=version, on=on) if version is not None else None


def shown_day(contract: Contract, day: date) -> date:
    """The day whose terms a page or document about ``day`` shows: within the contract's life."""
    day = max(day, contract.start_date)
    return min(day, contract.end_date) if contract.end_date is not None else day


def cover_lines(*, session: Session, contract: Contract, on: date) -> list[CoverLine]:
    cover = cover_on(session=session, contract=contract, on=on)
    return cover.lines if cover else []


# What "covered" means in everyday terms, per category: (an example that is covered, one that is
# not).
EXAMPLES = {
    "home_damage": (
        "La foudre grille votre box et votre téléviseur.",
        "Un appareil tombe en panne d'usure.",
    ),
    "civil_liability": (
        "Votre enfant casse les lunettes d'un camarade.",
        "Un accident avec votre voiture (assurance auto).",
    ),
    "theft_vandalism": (
        "Un cambrioleur force votre porte et emporte votre ordinateur.",
        "Un vol sans effraction, porte laissée ouverte.",
    ),
    "water_damage": (
        "Une fuite de votre lave-linge abîme le parquet et le plafond du voisin.",
        "La réparation du tuyau qui fuit lui-même.",
    ),
    "fire": (
        "Un court-circuit déclenche un incendie dans la cuisine.",
        "Une brûlure de cigarette sur le canapé, sans incendie.",
    ),
    "natural_disaster": (
        "Une inondation reconnue par arrêté de catastrophe naturelle.",
        "Des dégâts d'inondation sans arrêté publié au Journal officiel.",
    ),
    "storm_hail_snow": (
        "La tempête arrache des tuiles et la pluie entre dans le salon.",
        "Une antenne extérieure tordue par le vent.",
    ),
    "glass_breakage": ("Une baie vitrée brisée par un ballon.", "Une rayure sur une vitre."),
    "legal_protection": (
        "Un litige avec l'artisan qui a mal refait votre salle de bains.",
        "Une amende de stationnement.",
    ),
    "assistance": (
        "Un serrurier en urgence après un cambriolage, la nuit.",
        "Un dépannage sans lien avec un sinistre garanti.",
    ),
}


def example(category: str) -> tuple[str, str]:
    return EXAMPLES.get(category, ("", ""))
