"""Read model of one contract's page ("/contrat?n="): the cover in force on the day shown, the
options, the changes signed and coming ("à partir du …"), the next instalments and the
endorsements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from espace import routes
from espace.billing.models import Payment, PaymentStatus
from espace.contracts import cover_change, coverage, labels, terms
from espace.contracts.models import (
    Contract,
    ContractOptionDef,
    ContractStatus,
    Endorsement,
    GuaranteeCategory,
)
from espace.contracts.portfolio import next_anniversary
from espace.core import formatting as fmt
from espace.core.models import saved_id


@dataclass(frozen=True)
class GuaranteeView:
    name: str
    ceiling: str
    deductible: str
    exclusions: list[str]
    article: str
    anchor: str
    option: bool  # comes from an option taken


@dataclass(frozen=True)
class CategoryView:
    key: str
    label: str
    covered: bool
    guarantees: list[GuaranteeView]
    yes: str
    no: str


@dataclass(frozen=True)
class OptionView:
    code: str
    name: str
    description: str
    taken: bool
    price: str


@dataclass(frozen=True)
class ComingView:
    """A version signed and not yet in force."""

    starts: str  # "01/03/2027"
    formula: str
    premium: str
    changes: list[str]  # "Formule : Confort → Essentielle"
    endorsement: int  # avenant number, 0 if none


@dataclass(frozen=True)
class ContractView:
    id: int
    number: str
    status_label: str
    headline: str
    address: str
    formula: str
    premium: str
    capital: str
    deductible: str
    anniversary: str
    categories: list[CategoryView]
    options: list[OptionView]
    coming: list[ComingView] = field(default_factory=list)
    instalments: list[tuple[str, str, str]] = field(default_factory=list)  # due, period, amount
    endorsements: list[tuple[int, str, str, str, str]] = field(
        default_factory=list
    )  # number, effective, summary, premium, url


def anchor(article_refs: str) -> str:
    return article_refs.lower().replace(". ", "-").replace(" ", "-")


def categories(cover: coverage.Cover) -> list[CategoryView]:
    """Every guarantee category with what covers it: the formula's guarantee, or an option taken."""
    result = []
    for category in GuaranteeCategory:
        yes, no = coverage.example(category)
        result.append(
            CategoryView(
                key=category,
                label=labels.label(labels.GUARANTEE_CATEGORY, category),
                covered=cover.covers(category),
                guarantees=[
                    GuaranteeView(
                        line.name,
                        line.ceiling,
                        line.deductible,
                        list(line.exclusions),
                        line.article_refs,
                        anchor(line.article_refs),
                        line.source == "option",
                    )
                    for line in cover.lines_in(category)
                ],
                yes=yes,
                no=no,
            )
        )
    return result


def _coming(session: Session, contract: Contract, today: date) -> list[ComingView]:
    result = []
    for period in terms.upcoming(session=session, contract=contract, today=today):
        version = period.version
        cover = coverage.cover_of(session=session, version=version, on=period.start)
        endorsement = (
            session.get(Endorsement, version.endorsement_id) if version.endorsement_id else None
        )
        changes = (
            [f"{c['label']} : {c['before']} → {c['after']}" for c in endorsement.changes]
            if endorsement
            else []
        )
        result.append(
            ComingView(
                fmt.date_fr(period.start),
                cover.formula_name,
                fmt.money(version.annual_premium_cents),
                changes,
                endorsement.number if endorsement else 0,
            )
        )
    return result


def build(*, session: Session, holder_id: int, number: str, today: date) -> ContractView | None:
    """The page of one of *this holder's* contracts (another holder's number gives None, like an
    unknown one)."""
    contract = session.exec(
        select(Contract).where(
            Contract.number == number.strip().upper()[:10], Contract.holder_id == holder_id
        )
    ).first()
    if contract is None:
        return None
    shown = coverage.shown_day(
        contract, today
    )  # not started yet: its first terms; ended: its last ones
    cover = coverage.cover_on(session=session, contract=contract, on=shown)
    if cover is None:  # a contract row without versions: record its first one from the row itself
        terms.record_initial(session=session, contract=contract, today=today)
        cover = coverage.cover_on(session=session, contract=contract, on=shown)
        assert cover is not None  # record_initial wrote the first version
    home = cover.version
    taken = {o.code: o for o in cover.options}
    options = [
        OptionView(
            o.code,
            o.name,
            o.description,
            o.code in taken,
            f"{fmt.money(taken[o.code].annual_price_cents)} / an"
            if o.code in taken and taken[o.code].annual_price_cents
            else "",
        )
        for o in session.exec(select(ContractOptionDef).order_by(col(ContractOptionDef.id))).all()
    ]
    upcoming = session.exec(
        select(Payment)
        .where(Payment.contract_id == contract.id, Payment.status == PaymentStatus.SCHEDULED)
        .order_by(col(Payment.due_date))
        .limit(4)
    ).all()
    return ContractView(
        id=saved_id(contract),
        number=contract.number,
        status_label=(
            f"Résilié à compter du {fmt.date_fr(contract.end_date + timedelta(days=1))}"
            if contract.end_date is not None and contract.status == ContractStatus.ACTIVE
            else labels.label(labels.CONTRACT_STATUS, contract.status)
        ),
        headline=f"{labels.label(labels.PROPERTY_TYPE, home.property_type)} à {home.city}",
        address=f"{home.address_line1}, {home.postal_code} {home.city}",
        formula=cover.formula_name,
        premium=fmt.money(home.annual_premium_cents),
        capital=fmt.money(cover.furniture_capital_cents),
        deductible=fmt.money(cover.deductible_cents),
        anniversary=fmt.date_fr(next_anniversary(contract.start_date, today)),
        categories=categories(cover),
        options=options,
        coming=_coming(session, contract, today),
        instalments=[
            (
                fmt.date_fr(p.due_date),
                f"du {fmt.date_fr(p.period_start)} au {fmt.date_fr(p.period_end)}",
                fmt.money(p.amount_cents),
            )
            for p in upcoming
        ],
        endorsements=[
            (
                e.number,
                fmt.date_fr(e.effective_date),
                ", ".join(c["label"] for c in e.changes),
                fmt.money(e.new_premium_cents),
                routes.document_url(e.document_id) if e.document_id else "",
            )
            for e in cover_change.endorsements_of(session=session, contract_id=saved_id(contract))
        ],
    )
