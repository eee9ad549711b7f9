"""Legal declaration deadlines (Code des assurances, art. L113-2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from espace.core import formatting as fmt
from espace.core.working_days import add_working_days


@dataclass(frozen=True)
class Deadline:
    due: date | None  # None: not known yet (natural disaster without a published order)
    late: bool
    rule: str  # the rule in French
    consequence: str  # shown when late; empty otherwise


LATE_CONSEQUENCE = (
    "Votre déclaration arrive après le délai légal. Nous l'étudions quand même : l'assureur ne "
    "peut refuser de vous indemniser pour ce seul retard que s'il lui a causé un préjudice "
    "(article L113-2 du Code des assurances). Expliquez la raison du retard dans la description."
)


def deadline(*, kind: str, occurred: date, today: date, order_date: date | None = None) -> Deadline:
    if kind == "natcat":
        rule = (
            "30 jours après la publication de l'arrêté de catastrophe naturelle au Journal officiel"
        )
        if order_date is None:
            return Deadline(None, False, rule, "")
        due = order_date + timedelta(days=30)
    elif kind == "theft":
        rule = "2 jours ouvrés après la découverte du vol ou des dégradations"
        due = add_working_days(occurred, 2)
    else:
        rule = "5 jours ouvrés après la découverte du sinistre"
        due = add_working_days(occurred, 5)
    late = today > due
    return Deadline(due, late, rule, LATE_CONSEQUENCE if late else "")


def describe(found: Deadline) -> str:
    if found.due is None:
        return f"Délai de déclaration : {found.rule}."
    return f"Délai de déclaration : {found.rule}, soit le {fmt.date_fr(found.due)}."
