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


# What "covered" means in everyday terms, per category: (an example that is covered, one that is not).
EXAMPLES = {
    "home_damage": ("La foudre grille votre box et votre téléviseur.", "Un appareil tombe en panne d'usure."),
    "civil_liability": ("Votre enfant casse les lunettes d'un camarade.", "Un accident avec votre voiture (assurance auto)."),
    "theft_vandalism": ("Un cambrioleur force votre porte et emporte votre ordinateur.",
                        "Un vol sans effraction, porte laissée ouverte."),
    "water_damage": ("Une fuite de votre lave-linge abîme le parquet et le plafond du voisin.",
                     "La réparation du tuyau qui fuit lui-même."),
    "fire": ("Un court-circuit déclenche un incendie dans la cuisine.", "Une brûlure de cigarette sur le canapé, sans incendie."),
    "natural_disaster": ("Une inondation reconnue par arrêté de catastrophe naturelle.",
                         "Des dégâts d'inondation sans arrêté publié au Journal officiel."),
    "storm_hail_snow": ("La tempête arrache des tuiles et la pluie entre dans le salon.", "Une antenne extérieure tordue par le vent."),
    "glass_breakage": ("Une baie vitrée brisée par un ballon.", "Une rayure sur une vitre."),
    "legal_protection": ("Un litige avec l'artisan qui a mal refait votre salle de bains.", "Une amende de stationnement."),
    "assistance": ("Un serrurier en urgence après un cambriolage, la nuit.", "Un dépannage sans lien avec un sinistre garanti."),
}


def example(category: str) -> tuple[str, str]:
    return EXAMPLES.get(category, ("", ""))
