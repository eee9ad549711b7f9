"""/contrat?n=…: one contract — guarantees by category, options, endorsements."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import select

from espace import formatting as fmt
from espace import labels, routes
from espace.db import session_scope
from espace.models import (
    Contract,
    ContractOption,
    ContractOptionDef,
    Formula,
    GuaranteeCategory,
    InsuredProperty,
    Payment,
    PaymentStatus,
)
from espace.models.base import today_paris
from espace.services import cover_change, coverage
from espace.services.portfolio import next_anniversary
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


def contract_by_number(db, holder_id: int, number: str) -> Contract | None:
    """One of *this holder's* contracts by number (another holder's number finds nothing)."""
    return db.exec(select(Contract).where(Contract.number == number.strip().upper()[:10],
                                          Contract.holder_id == holder_id)).first()


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
    endorsements: list[EndorsementItem] = []
    instalments: list[InstalmentItem] = []

    @rx.event
    def load(self):
        me = self._holder_principal()
        if me is None:
            return self._to_login()
        self._load_header(me.holder_id)
        self.loaded, self.found = False, False
        with session_scope() as db:
            contract = contract_by_number(db, me.holder_id, self.router.url.query_parameters.get("n", ""))
            if contract is None:  # unknown, or another holder's: the same answer
                self.loaded = True
                return None
            prop = db.get(InsuredProperty, contract.property_id)
            self.number, self.found = contract.number, True
            self.formula = db.get(Formula, contract.formula_id).name
            self.status_label = labels.label(labels.CONTRACT_STATUS, contract.status)
            self.headline = f"{labels.label(labels.PROPERTY_TYPE, prop.property_type)} à {prop.city}"
            self.address = f"{prop.address_line1}, {prop.postal_code} {prop.city}"
            self.premium, self.capital = fmt.money(contract.annual_premium_cents), fmt.money(contract.furniture_capital_cents)
            self.deductible = fmt.money(contract.deductible_cents)
            self.anniversary = fmt.date_fr(next_anniversary(contract.start_date, today_paris()))
            lines = coverage.cover_lines(session=db, contract=contract)
            self.categories = [self._block(category, [line for line in lines if line.category == category])
                               for category in GuaranteeCategory]
            taken = cover_change.option_codes(db, contract)
            prices = {o.option_id: o.annual_price_cents
                      for o in db.exec(select(ContractOption).where(ContractOption.contract_id == contract.id)).all()}
            self.options = [OptionItem(o.name, o.description, o.code in taken,
                                       fmt.money(prices[o.id]) + " / an" if o.id in prices and prices[o.id] else "")
                            for o in db.exec(select(ContractOptionDef).order_by(ContractOptionDef.id)).all()]
            upcoming = db.exec(select(Payment).where(Payment.contract_id == contract.id,
                                                     Payment.status == PaymentStatus.SCHEDULED)
                               .order_by(Payment.due_date).limit(4)).all()
            self.instalments = [InstalmentItem(fmt.date_fr(p.due_date), f"du {fmt.date_fr(p.period_start)} au "
                                               f"{fmt.date_fr(p.period_end)}", fmt.money(p.amount_cents)) for p in upcoming]
            self.endorsements = [
                EndorsementItem(e.number, fmt.date_fr(e.effective_date), ", ".join(c["label"] for c in e.changes),
                                fmt.money(e.new_premium_cents), routes.document_url(e.document_id) if e.document_id else "")
                for e in cover_change.endorsements_of(session=db, contract_id=contract.id)
            ]
        self.loaded = True
        return None

    @staticmethod
    def _block(category: str, lines: list[coverage.CoverLine]) -> CategoryBlock:
        yes, no = coverage.example(category)
        return CategoryBlock(
            key=category, label=labels.label(labels.GUARANTEE_CATEGORY, category), covered=bool(lines),
            guarantees=[GuaranteeItem(line.name, line.ceiling, line.deductible, line.exclusions, line.article_refs,
                                      line.article_refs.lower().replace(". ", "-").replace(" ", "-"))
                        for line in lines],
            yes=yes, no=no,
        )
