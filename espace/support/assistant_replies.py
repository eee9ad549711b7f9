"""The assistant's replies: their shape (paragraphs, actions, sources) and what they draw on from
the holder's contracts (each one's cover, the lead naming it, the sources)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from espace import content, routes
from espace.contracts import coverage, labels
from espace.contracts.models import Contract, ContractStatus, Formula, InsuredProperty


@dataclass(frozen=True)
class Action:
    label: str
    href: str = ""  # an internal page; empty for an in-page action
    # link | attestation (issue and download today's attestation for contract_id) | escalate (to an
    # adviser)
    kind: str = "link"
    contract_id: int = 0


@dataclass(frozen=True)
class Source:
    label: str
    href: str = ""


@dataclass(frozen=True)
class Reply:
    intent: str
    paragraphs: list[str]
    actions: list[Action] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    understood: bool = True
    category: str = "other"  # the message-thread category an escalation would use

    def __post_init__(self) -> None:
        # A sentence starts with a capital, also when the "Contrat … :" lead is left out (one
        # contract): "Votre formule…", never "votre formule…".
        self.paragraphs[:] = [p[:1].upper() + p[1:] for p in self.paragraphs]


# ----- the holder's data ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Contract:
    contract: Contract
    formula: str
    place: str  # "appartement, Lyon"
    cover: coverage.Cover | None = None  # in force today


def _contracts(session: Session, holder_id: int, today: date | None = None) -> list[_Contract]:
    rows = session.exec(
        select(Contract, Formula, InsuredProperty)
        .join(Formula, col(Formula.id) == Contract.formula_id)
        .join(InsuredProperty, col(InsuredProperty.id) == Contract.property_id)
        .where(Contract.holder_id == holder_id, Contract.status == ContractStatus.ACTIVE)
        .order_by(col(Contract.start_date))
    ).all()
    if today is None:
        return [
            _Contract(
                c,
                f.name,
                f"{labels.label(labels.PROPERTY_TYPE, p.property_type).lower()}, {p.city}",
            )
            for c, f, p in rows
        ]
    result = []
    for c, f, p in rows:
        cover = coverage.cover_on(session=session, contract=c, on=coverage.shown_day(c, today))
        result.append(
            _Contract(
                c,
                cover.formula_name if cover else f.name,
                f"{labels.label(labels.PROPERTY_TYPE, p.property_type).lower()}, {p.city}",
                cover,
            )
        )
    return result


def _contract_source(item: _Contract) -> Source:
    return Source(
        f"Vos garanties — contrat {item.contract.number} (formule {item.formula})",
        f"{routes.CONTRACT}?n={item.contract.number}",
    )


def _article_source(slug: str) -> Source:
    article = content.article(slug)
    return (
        Source(f"Aide : « {article.title} »", f"{routes.HELP}#{slug}")
        if article
        else Source("Aide", routes.HELP)
    )


def _lead(contracts: list[_Contract], item: _Contract) -> str:
    return f"Contrat {item.contract.number} ({item.place}) : " if len(contracts) > 1 else ""


def _line_for(item: _Contract, category: str) -> coverage.CoverLine | None:
    """The guarantee answering ``category`` today, the options taken included."""
    return item.cover.line_for(category) if item.cover else None


def _no_contract() -> Reply:
    return Reply(
        "no_contract",
        [
            "Vous n'avez pas de contrat en cours : je ne peux pas répondre à partir de vos "
            "garanties."
        ],
        [Action("Voir mes contrats", routes.CONTRACTS)],
        understood=True,
        category="contract",
    )


def _ask_category(what: str) -> Reply:
    examples = "dégât des eaux, vol, incendie, bris de glace, tempête, catastrophe naturelle"
    return Reply(
        "ask_category",
        [f"Pour quel type de sinistre voulez-vous connaître {what} ? Par exemple : {examples}."],
        [Action("Voir toutes mes garanties", routes.CONTRACTS)],
        category="contract",
    )
