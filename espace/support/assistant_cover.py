"""The assistant's answers about the holder's cover: the deductible, the ceiling and what a loss
would be reimbursed, from the contracts in force."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from espace import routes
from espace.claims import indemnity
from espace.contracts import coverage, labels
from espace.core import formatting as fmt
from espace.support.assistant_questions import (
    _PERIL_OF_CATEGORY,
    Question,
    amount_cents,
    category_of,
    item_name,
)
from espace.support.assistant_replies import (
    Action,
    Reply,
    _article_source,
    _ask_category,
    _contract_source,
    _contracts,
    _lead,
    _line_for,
    _no_contract,
)


def _deductible(session: Session, holder_id: int, q: Question, today: date) -> Reply:
    category = category_of(q)
    contracts = _contracts(session, holder_id, today)
    if not contracts:
        return _no_contract()
    if not category:
        return _ask_category("la franchise")
    name = labels.label(labels.GUARANTEE_CATEGORY, category).lower()
    lines, sources = [], []
    for item in contracts:
        line = _line_for(item, category)
        sources.append(_contract_source(item))
        if line is None:
            lines.append(
                f"{_lead(contracts, item)}votre formule {item.formula} ne comprend pas la "
                f"garantie {name}."
            )
        else:
            lines.append(
                f"{_lead(contracts, item)}votre franchise {name} (garantie « {line.name} ») est de "
                f"{line.deductible}."
            )
    lines.append(
        "La franchise est la part des dommages qui reste à votre charge : elle est déduite de "
        "l'indemnité."
    )
    return Reply(
        "deductible",
        lines,
        [Action("Voir mes garanties", sources[0].href)],
        sources + [_article_source("franchise")],
        category="contract",
    )


def _ceiling_text(line: coverage.CoverLine, cover: coverage.Cover) -> str:
    if line.ceiling_cents is not None:
        return line.ceiling
    capital, note = fmt.money(cover.furniture_capital_cents), line.ceiling
    if note.lower().startswith("capital mobilier"):
        return f"{capital} (votre capital mobilier{note[len('capital mobilier') :]})"
    return f"{note[:1].lower()}{note[1:]} (capital mobilier : {capital})"


def _ceiling(session: Session, holder_id: int, q: Question, today: date) -> Reply:
    category = category_of(q)
    contracts = _contracts(session, holder_id, today)
    if not contracts:
        return _no_contract()
    if not category:
        return _ask_category("le plafond")
    name = labels.label(labels.GUARANTEE_CATEGORY, category).lower()
    lines = []
    for item in contracts:
        line = _line_for(item, category)
        lines.append(
            f"{_lead(contracts, item)}"
            + (
                f"votre formule {item.formula} ne comprend pas la garantie {name}."
                if line is None or item.cover is None  # no cover today: no line either
                else f"plafond de la garantie « {line.name} » : "
                f"{_ceiling_text(line, item.cover)} ; franchise : {line.deductible}."
            )
        )
    return Reply(
        "ceiling",
        lines,
        [Action("Voir mes garanties", _contract_source(contracts[0]).href)],
        [_contract_source(item) for item in contracts],
        category="contract",
    )


def _reimbursement(session: Session, holder_id: int, q: Question, today: date) -> Reply:
    damage = amount_cents(q.raw) or 0
    category = category_of(q)
    contracts = _contracts(session, holder_id, today)
    if not contracts:
        return _no_contract()
    if not category:
        return _ask_category("le remboursement")
    thing = item_name(q.raw)
    subject = (
        f"un bien ({thing}) de {fmt.money(damage)}" if thing else f"{fmt.money(damage)} de dommages"
    )
    peril = _PERIL_OF_CATEGORY.get(category, "other")
    name = labels.label(labels.GUARANTEE_CATEGORY, category).lower()
    lines = [f"Pour {subject} ({name}), voici ce que prévoient vos garanties :"]
    for item in contracts:
        result = indemnity.compute(
            session=session,
            contract=item.contract,
            peril_code=peril,
            damage_cents=damage,
            on=coverage.shown_day(item.contract, today),
            category=category,
        )
        if not result.covered:
            lines.append(f"{_lead(contracts, item)}{result.explanation}")
            continue
        lines.append(
            f"{_lead(contracts, item)}vous seriez remboursé {fmt.money(result.indemnity_cents)} : "
            f"{fmt.money(damage)} − franchise de {fmt.money(result.deductible_cents)}, dans la "
            f"limite du plafond de {fmt.money(result.ceiling_cents)} (garantie « "
            f"{result.guarantee} »)."
        )
    if category == "theft_vandalism":
        lines.append(
            "Le vol doit avoir eu lieu avec effraction, escalade, fausses clés ou agression, et "
            "vous devez porter plainte puis nous le déclarer sous 2 jours ouvrés."
        )
    lines.append(
        "C'est une estimation à partir de la valeur que vous indiquez : le montant définitif "
        "dépend des justificatifs (facture, photos) et de la vétusté prévue par vos conditions "
        "générales."
    )
    return Reply(
        "reimbursement",
        lines,
        [Action("Déclarer ce sinistre", f"{routes.CLAIM_NEW}?peril={peril}")],
        [_contract_source(item) for item in contracts] + [_article_source("franchise")],
        category="claim",
    )
