"""/contrat?n=…: one contract — guarantees by category (formula and options), options, coming
changes, endorsements. The data comes from ``contracts.detail`` (the terms in force today)."""

from __future__ import annotations

import dataclasses

from espace.contracts import detail
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.session import SessionState


@dataclasses.dataclass
class GuaranteeItem:
    name: str = ""
    ceiling: str = ""
    deductible: str = ""
    exclusions: list[str] = dataclasses.field(default_factory=list)
    article: str = ""
    anchor: str = ""


@dataclasses.dataclass
class CategoryBlock:
    key: str = ""
    label: str = ""
    covered: bool = False
    guarantees: list[GuaranteeItem] = dataclasses.field(default_factory=list)
    yes: str = ""
    no: str = ""


@dataclasses.dataclass
class OptionItem:
    name: str = ""
    description: str = ""
    taken: bool = False
    price: str = ""


@dataclasses.dataclass
class ComingItem:
    starts: str = ""
    formula: str = ""
    premium: str = ""
    changes: list[str] = dataclasses.field(default_factory=list)
    number: int = 0


@dataclasses.dataclass
class InstalmentItem:
    due: str = ""
    period: str = ""
    amount: str = ""


@dataclasses.dataclass
class EndorsementItem:
    number: int = 0
    effective: str = ""
    summary: str = ""
    premium: str = ""
    url: str = ""


class ContractDetailState(SessionState):
    loaded: bool = False
    found: bool = False
    number: str = ""
    formula: str = ""
    status_label: str = ""
    headline: str = ""
    address: str = ""
    premium: str = ""
    capital: str = ""
    deductible: str = ""
    anniversary: str = ""
    categories: list[CategoryBlock] = []
    options: list[OptionItem] = []
    coming: list[ComingItem] = []
    endorsements: list[EndorsementItem] = []
    instalments: list[InstalmentItem] = []

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self.loaded, self.found = False, False
        with session_scope() as db:
            view = detail.build(
                session=db,
                holder_id=me.holder_id,
                today=today_paris(),
                number=self.router.url.query_parameters.get("n", ""),
            )
        if view is None:  # unknown, or another holder's: the same answer
            self.loaded = True
            return None
        self.number, self.found = view.number, True
        self.formula, self.status_label, self.headline, self.address = (
            view.formula,
            view.status_label,
            view.headline,
            view.address,
        )
        self.premium, self.capital, self.deductible, self.anniversary = (
            view.premium,
            view.capital,
            view.deductible,
            view.anniversary,
        )
        self.categories = [
            CategoryBlock(
                c.key,
                c.label,
                c.covered,
                [
                    GuaranteeItem(
                        g.name, g.ceiling, g.deductible, g.exclusions, g.article, g.anchor
                    )
                    for g in c.guarantees
                ],
                c.yes,
                c.no,
            )
            for c in view.categories
        ]
        self.options = [OptionItem(o.name, o.description, o.taken, o.price) for o in view.options]
        self.coming = [
            ComingItem(c.starts, c.formula, c.premium, c.changes, c.endorsement)
            for c in view.coming
        ]
        self.instalments = [InstalmentItem(*row) for row in view.instalments]
        self.endorsements = [EndorsementItem(*row) for row in view.endorsements]
        self.loaded = True
        return None
