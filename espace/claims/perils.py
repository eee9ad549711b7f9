"""The perils a holder can declare (the data: ``peril_data``): finding one by its code, the
categories of damaged items, and the answers to a peril's questions (which are asked, their checks,
their French text)."""

from __future__ import annotations

import re
from datetime import date

from espace.claims.peril_data import PERILS, Peril, Question

BY_CODE = {peril.code: peril for peril in PERILS}

ITEM_CATEGORIES = (
    ("furniture", "Mobilier"),
    ("appliances", "Électroménager et multimédia"),
    ("clothing", "Vêtements et effets personnels"),
    ("valuables", "Bijoux et objets de valeur"),
    ("building", "Sols, murs, plafonds, menuiseries"),
    ("glass", "Vitrage"),
    ("other", "Autre"),
)
ITEM_CATEGORY_LABELS = dict(ITEM_CATEGORIES)


def peril(code: str) -> Peril | None:
    return BY_CODE.get(code)


def label(code: str) -> str:
    found = BY_CODE.get(code)
    return found.label if found else "Non précisé"


def visible_questions(found: Peril, answers: dict) -> list[Question]:
    return [
        q for q in found.questions if q.show_if is None or answers.get(q.show_if[0]) == q.show_if[1]
    ]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date | None:
    """An <input type=date> value (YYYY-MM-DD) or a French date (JJ/MM/AAAA)."""
    text = (text or "").strip()
    try:
        if _DATE.match(text):
            return date.fromisoformat(text)
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def clean_answers(found: Peril, raw: dict, *, today: date) -> tuple[dict, dict[str, str]]:
    """Keep the answers to the questions asked; return (answers, French errors by question id)."""
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    given = {q.id: str(raw.get(q.id) or "").strip() for q in found.questions}
    for question in visible_questions(found, given):
        value = given[question.id][: question.max_length]
        if not value:
            if question.required:
                errors[question.id] = (
                    "Choisissez une réponse."
                    if question.kind == "choice"
                    else "Ce renseignement est nécessaire."
                )
            continue
        if question.kind == "choice" and value not in dict(question.options):
            errors[question.id] = "Choisissez une des réponses proposées."
            continue
        if question.kind == "date":
            parsed = parse_date(value)
            if parsed is None:
                errors[question.id] = "Date invalide : utilisez le format JJ/MM/AAAA."
                continue
            if parsed > today:
                errors[question.id] = "Cette date ne peut pas être dans le futur."
                continue
            value = parsed.isoformat()
        answers[question.id] = value
    return answers, errors


def answer_text(found: Peril, answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs in French for the summary, the tracker and the back office."""
    from espace.core import formatting as fmt

    lines = []
    for question in visible_questions(found, answers):
        value = answers.get(question.id, "")
        if not value:
            continue
        if question.kind == "choice":
            value = dict(question.options).get(value, value)
        elif question.kind == "date":
            value = fmt.date_fr(parse_date(value))
        lines.append((question.label, value))
    return lines
