"""Effective-dated contract terms: every change of cover is a new version from a date.

A contract's terms (formula, options and their prices, furniture capital, deductible, insured
property as rated, annual premium and tax) live in ``ContractTerms`` rows. The version in force on a
day is the one with the latest ``effective_from`` on or before that day (the later row wins on the
same day); it lasts until the day before the next version starts. Nothing edits a version:
subscription, endorsement and renewal each add one with ``record_version``, which refuses to slip a
version in before a later one.

The contract row keeps a copy of the version in force *today* (``Contract.formula_id``, capital,
deductible, premium, tax, the ``ContractOption`` rows and the insured property's fields) for lists
and summaries. ``sync_current`` brings one contract's copy up to date and ``apply_due`` does it for
every contract whose next version has started (run it daily: ``espace apply-terms``); both are
idempotent. Anything that reads cover on a date (claims, attestations, the contract page) calls
``version_on``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from espace.contracts.models import (
    Contract,
    ContractOption,
    ContractOptionDef,
    ContractTerms,
    InsuredProperty,
)
from espace.core.models import saved_id, today_paris, utcnow

PROPERTY_FIELDS = (
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "property_type",
    "rooms",
    "surface_m2",
    "occupancy",
)
CONTRACT_FIELDS = (
    "formula_id",
    "furniture_capital_cents",
    "deductible_cents",
    "annual_premium_cents",
    "annual_tax_cents",
)


class TermsError(ValueError):
    """A version that cannot be recorded (before the start, or before a later version)."""


@dataclass(frozen=True)
class Terms:
    """The content of a version, as a value (to compare, copy with ``replace`` and record)."""

    formula_id: int
    furniture_capital_cents: int
    deductible_cents: int
    annual_premium_cents: int
    annual_tax_cents: int
    address_line1: str
    postal_code: str
    city: str
    property_type: str
    rooms: int
    surface_m2: int
    occupancy: str
    address_line2: str = ""
    options: dict[str, int] = field(default_factory=dict)  # option code -> annual price in cents
    tariff_version: str = ""

    @property
    def option_codes(self) -> frozenset[str]:
        return frozenset(self.options)


@dataclass(frozen=True)
class Period:
    version: ContractTerms
    start: date
    end: date | None  # inclusive; None: open (until the contract ends)


def terms_of(version: ContractTerms) -> Terms:
    return Terms(
        formula_id=version.formula_id,
        furniture_capital_cents=version.furniture_capital_cents,
        deductible_cents=version.deductible_cents,
        annual_premium_cents=version.annual_premium_cents,
        annual_tax_cents=version.annual_tax_cents,
        options={o["code"]: int(o.get("annual_price_cents", 0)) for o in version.options},
        tariff_version=version.tariff_version,
        **{name: getattr(version, name) for name in PROPERTY_FIELDS},
    )


def option_codes(version: ContractTerms) -> frozenset[str]:
    return frozenset(o["code"] for o in version.options)


# ---- reading ---------------------------------------------------------------------------------


def versions(*, session: Session, contract_id: int) -> list[ContractTerms]:
    """Every version of the contract, oldest first (superseded same-day versions included)."""
    return list(
        session.exec(
            select(ContractTerms)
            .where(ContractTerms.contract_id == contract_id)
            .order_by(col(ContractTerms.effective_from), col(ContractTerms.id))
        ).all()
    )


def version_on(*, session: Session, contract_id: int, day: date) -> ContractTerms | None:
    """The version in force on ``day``; None before the contract's first version."""
    return session.exec(
        select(ContractTerms)
        .where(ContractTerms.contract_id == contract_id, ContractTerms.effective_from <= day)
        .order_by(col(ContractTerms.effective_from).desc(), col(ContractTerms.id).desc())
    ).first()


def latest(*, session: Session, contract_id: int) -> ContractTerms | None:
    """The newest version (in force today or coming)."""
    return session.exec(
        select(ContractTerms)
        .where(ContractTerms.contract_id == contract_id)
        .order_by(col(ContractTerms.effective_from).desc(), col(ContractTerms.id).desc())
    ).first()


def periods(*, session: Session, contract: Contract) -> list[Period]:
    """The versions that take effect, each with its first and last day (superseded ones left
    out)."""
    rows = versions(session=session, contract_id=saved_id(contract))
    kept = [
        row
        for index, row in enumerate(rows)
        if index + 1 == len(rows) or rows[index + 1].effective_from != row.effective_from
    ]
    result = []
    for index, row in enumerate(kept):
        end = (
            kept[index + 1].effective_from - timedelta(days=1)
            if index + 1 < len(kept)
            else contract.end_date
        )
        result.append(Period(row, row.effective_from, end))
    return result


def upcoming(*, session: Session, contract: Contract, today: date) -> list[Period]:
    """Versions signed but not yet in force, soonest first."""
    return [p for p in periods(session=session, contract=contract) if p.start > today]


def boundaries(*, session: Session, contract: Contract, start: date, end: date) -> list[Period]:
    """The periods overlapping ``start``..``end``, clipped to it (for a prorata or a document's
    validity)."""
    result = []
    for p in periods(session=session, contract=contract):
        if p.start > end or (p.end is not None and p.end < start):
            continue
        result.append(
            Period(p.version, max(p.start, start), min(p.end, end) if p.end is not None else end)
        )
    return result


# ---- writing ---------------------------------------------------------------------------------


def record_version(
    *,
    session: Session,
    contract: Contract,
    effective_from: date,
    terms: Terms,
    endorsement_id: int | None = None,
    today: date | None = None,
) -> ContractTerms:
    """Add the version in force from ``effective_from``; nothing changes before that date.

    The new version must be the newest (a version starting later must not exist): a change is
    always made on top of what has been signed. When it is already in force, the contract's copy of
    today's terms follows at once; otherwise ``apply_due`` brings it on its date."""
    today = today or today_paris()
    if effective_from < contract.start_date:
        raise TermsError(
            f"effective date {effective_from} before the contract's start {contract.start_date}"
        )
    newest = latest(session=session, contract_id=saved_id(contract))
    if newest is not None and newest.effective_from > effective_from:
        raise TermsError(f"a version starts on {newest.effective_from}, after {effective_from}")
    row = ContractTerms(
        contract_id=saved_id(contract),
        effective_from=effective_from,
        formula_id=terms.formula_id,
        furniture_capital_cents=terms.furniture_capital_cents,
        deductible_cents=terms.deductible_cents,
        options=[
            {"code": code, "annual_price_cents": price}
            for code, price in sorted(terms.options.items())
        ],
        annual_premium_cents=terms.annual_premium_cents,
        annual_tax_cents=terms.annual_tax_cents,
        tariff_version=terms.tariff_version,
        endorsement_id=endorsement_id,
        **{name: getattr(terms, name) for name in PROPERTY_FIELDS},
    )
    session.add(row)
    session.flush()
    sync_current(session=session, contract=contract, today=today)
    return row


def snapshot(*, session: Session, contract: Contract) -> Terms:
    """The terms as the contract row's copy holds them (to record a first version for rows built
    directly)."""
    prop = session.get(InsuredProperty, contract.property_id)
    options = session.exec(
        select(ContractOptionDef.code, ContractOption.annual_price_cents)
        .join(ContractOption, col(ContractOption.option_id) == ContractOptionDef.id)
        .where(ContractOption.contract_id == contract.id)
    ).all()
    return Terms(
        formula_id=contract.formula_id,
        furniture_capital_cents=contract.furniture_capital_cents,
        deductible_cents=contract.deductible_cents,
        annual_premium_cents=contract.annual_premium_cents,
        annual_tax_cents=contract.annual_tax_cents,
        options={code: price for code, price in options},
        **{name: getattr(prop, name) for name in PROPERTY_FIELDS},
    )


def record_initial(
    *, session: Session, contract: Contract, today: date | None = None
) -> ContractTerms:
    """The first version, from the start date, as the contract row describes it (subscription,
    import)."""
    existing = versions(session=session, contract_id=saved_id(contract))
    if existing:
        return existing[0]
    return record_version(
        session=session,
        contract=contract,
        effective_from=contract.start_date,
        terms=snapshot(session=session, contract=contract),
        today=today,
    )


def sync_current(*, session: Session, contract: Contract, today: date) -> bool:
    """Bring the contract row's copy to the version in force today (the first one before the start).

    Idempotent; returns whether anything on the contract, its options or its property changed."""
    day = max(today, contract.start_date)
    version = version_on(session=session, contract_id=saved_id(contract), day=day)
    if version is None:
        return False
    changed = False
    for name in CONTRACT_FIELDS:
        if getattr(contract, name) != getattr(version, name):
            setattr(contract, name, getattr(version, name))
            changed = True
    if changed:
        session.add(contract)
    prop = session.get(InsuredProperty, contract.property_id)
    if prop is not None and any(
        getattr(prop, name) != getattr(version, name) for name in PROPERTY_FIELDS
    ):
        for name in PROPERTY_FIELDS:
            setattr(prop, name, getattr(version, name))
        session.add(prop)
        changed = True
    wanted = {o["code"]: int(o.get("annual_price_cents", 0)) for o in version.options}
    rows = session.exec(
        select(ContractOption, ContractOptionDef.code)
        .join(ContractOptionDef, col(ContractOptionDef.id) == ContractOption.option_id)
        .where(ContractOption.contract_id == contract.id)
    ).all()
    if {code: row.annual_price_cents for row, code in rows} != wanted:
        for row, _code in rows:
            session.delete(row)
        session.flush()
        ids = (
            {
                code: option_id
                for code, option_id in session.exec(
                    select(ContractOptionDef.code, ContractOptionDef.id).where(
                        col(ContractOptionDef.code).in_(list(wanted))
                    )
                ).all()
                if option_id is not None  # a primary key: never None
            }
            if wanted
            else {}
        )
        for code, price in sorted(wanted.items()):
            session.add(
                ContractOption(
                    contract_id=saved_id(contract), option_id=ids[code], annual_price_cents=price
                )
            )
        changed = True
    now = utcnow()
    for pending in session.exec(
        select(ContractTerms).where(
            ContractTerms.contract_id == contract.id,
            ContractTerms.effective_from <= day,
            col(ContractTerms.applied_at).is_(None),
        )
    ).all():
        pending.applied_at = now
        session.add(pending)
    session.flush()
    return changed


def apply_due(*, session: Session, today: date) -> int:
    """Bring every contract whose coming version has started to its terms of today (the daily job).

    Returns the number of contracts whose copy changed; running it again the same day changes
    nothing."""
    contract_ids = session.exec(
        select(ContractTerms.contract_id)
        .where(ContractTerms.effective_from <= today, col(ContractTerms.applied_at).is_(None))
        .distinct()
    ).all()
    changed = 0
    for contract_id in sorted(contract_ids):
        contract = session.get(Contract, contract_id)
        if contract is not None and sync_current(session=session, contract=contract, today=today):
            changed += 1
    return changed
