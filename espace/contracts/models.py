"""Insured properties, contracts and the product catalogue (formulas, guarantees, options), the
versions of the terms, simulations and endorsements, issued attestations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class PropertyType(StrEnum):
    HOUSE = "house"
    FLAT = "flat"


class Occupancy(StrEnum):
    OWNER = "owner"  # propriétaire occupant
    TENANT = "tenant"  # locataire
    LANDLORD = "landlord"  # propriétaire non occupant


class ContractStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class PaymentFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


# Months covered by one instalment.
MONTHS_PER_PERIOD: dict[str, int] = {  # keyed by PaymentFrequency
    PaymentFrequency.MONTHLY: 1,
    PaymentFrequency.QUARTERLY: 3,
    PaymentFrequency.ANNUAL: 12,
}


class GuaranteeCategory(StrEnum):
    HOME_DAMAGE = "home_damage"
    CIVIL_LIABILITY = "civil_liability"
    THEFT_VANDALISM = "theft_vandalism"
    WATER_DAMAGE = "water_damage"
    FIRE = "fire"
    NATURAL_DISASTER = "natural_disaster"
    STORM_HAIL_SNOW = "storm_hail_snow"
    GLASS_BREAKAGE = "glass_breakage"
    LEGAL_PROTECTION = "legal_protection"
    ASSISTANCE = "assistance"


class DeductibleKind(StrEnum):
    NONE = "none"
    FIXED = "fixed"  # amount in cents
    PERCENT = "percent"  # basis points of the assessed damage
    CONTRACT = "contract"  # the contract's chosen deductible level
    LEGAL = "legal"  # set by law (catastrophe naturelle)
    BASE = "base"  # an option's: that of the formula's guarantee it extends, in the same category


class InsuredProperty(SQLModel, table=True):
    __tablename__ = "insured_property"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    address_line1: str = Field(max_length=200)
    address_line2: str = Field(default="", max_length=200)
    postal_code: str = Field(max_length=10)
    city: str = Field(max_length=100)
    property_type: str = Field(max_length=10)
    rooms: int
    surface_m2: int
    occupancy: str = Field(max_length=10)
    floor: int | None = None
    construction_year: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Formula(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=60)
    tagline: str = Field(default="", max_length=200)
    rank: int = 0


class Guarantee(SQLModel, table=True):
    """A guarantee of the catalogue, defined by articles of the general conditions."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    category: str = Field(max_length=30, index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    article_refs: str = Field(default="", max_length=100)  # e.g. "Art. 4.1 à 4.3"


class FormulaGuarantee(SQLModel, table=True):
    """How a formula includes a guarantee: ceiling, deductible, exclusions."""

    __tablename__ = "formula_guarantee"
    __table_args__ = (UniqueConstraint("formula_id", "guarantee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    formula_id: int = Field(foreign_key="formula.id", index=True)
    guarantee_id: int = Field(foreign_key="guarantee.id")
    ceiling_cents: int | None = None  # None: up to the furniture capital / replacement value
    ceiling_note: str = Field(default="", max_length=200)
    deductible_kind: str = Field(default=DeductibleKind.CONTRACT, max_length=10)
    deductible_value: int = 0  # cents for FIXED/LEGAL, basis points for PERCENT
    exclusions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ContractOptionDef(SQLModel, table=True):
    """An optional cover that can be added to a contract, with what it covers.

    ``guarantee_code`` set: the option grants that catalogue guarantee (its category is then
    covered, e.g. Protection juridique on a formula without it). Empty: the option extends the cover
    of its category (valuables, reinforced glass breakage...) or covers property the formula
    excludes (garden, pool)."""

    __tablename__ = "contract_option_def"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=30, unique=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    guarantee_category: str = Field(default="", max_length=30)
    guarantee_code: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    ceiling_cents: int | None = None
    ceiling_note: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    deductible_kind: str = Field(
        default=DeductibleKind.CONTRACT,
        max_length=10,
        sa_column_kwargs={"server_default": DeductibleKind.CONTRACT.value},
    )
    deductible_value: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    exclusions: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    article_refs: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})


class Contract(SQLModel, table=True):
    """A contract's identity (number, holder, start, status, payment) and a copy of the terms in
    force today.

    The terms themselves are effective-dated in ``ContractTerms``: ``formula_id``, the capital, the
    deductible, the premium, the ``ContractOption`` rows and the insured property's fields are a
    copy of the version in force today, kept by ``contracts.terms.apply_due`` (daily) for
    lists and summaries. Whatever reads cover on a date (claims, attestations, the contract page)
    reads ``ContractTerms`` instead."""

    # "the holder's active contracts" (dashboard, claims, assistant, bank accounts): without it
    # the planner picks the status index, which nearly every contract shares.
    __table_args__ = (Index("ix_contract_holder_status", "holder_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=10, unique=True)  # "MRH" + 7 digits
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    property_id: int = Field(foreign_key="insured_property.id", index=True)
    product: str = Field(default="MRH", max_length=10)
    formula_id: int = Field(foreign_key="formula.id")
    furniture_capital_cents: int
    deductible_cents: int  # chosen deductible level
    annual_premium_cents: int  # all taxes included
    annual_tax_cents: int
    payment_frequency: str = Field(default=PaymentFrequency.MONTHLY, max_length=10)
    debit_day: int = Field(
        default=5, sa_column_kwargs={"server_default": "5"}
    )  # day of the month of direct debits
    start_date: date
    end_date: date | None = None
    status: str = Field(default=ContractStatus.ACTIVE, max_length=12, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class ContractOption(SQLModel, table=True):
    """An option taken on a contract in its terms in force today (a copy of
    ``ContractTerms.options``)."""

    __tablename__ = "contract_option"
    __table_args__ = (UniqueConstraint("contract_id", "option_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    option_id: int = Field(foreign_key="contract_option_def.id")
    annual_price_cents: int = 0


class ContractTerms(SQLModel, table=True):
    """One version of a contract's terms, in force from ``effective_from`` until the day before the
    next version's ``effective_from`` (the last one: until the contract ends). Versions are never
    edited; a change of cover adds one. Two versions on the same day: the later one (higher id)
    wins."""

    __tablename__ = "contract_terms"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    effective_from: date = Field(index=True)
    formula_id: int = Field(foreign_key="formula.id")
    furniture_capital_cents: int
    deductible_cents: int
    options: list[dict] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )  # [{code, annual_price_cents}]
    annual_premium_cents: int  # all taxes included
    annual_tax_cents: int
    tariff_version: str = Field(default="", max_length=20)
    # the insured property as it is rated and named on the documents
    address_line1: str = Field(max_length=200)
    address_line2: str = Field(default="", max_length=200)
    postal_code: str = Field(max_length=10)
    city: str = Field(max_length=100)
    property_type: str = Field(max_length=10)
    rooms: int
    surface_m2: int
    occupancy: str = Field(max_length=10)
    endorsement_id: int | None = Field(
        default=None, foreign_key="endorsement.id"
    )  # None: subscription
    created_at: datetime = Field(default_factory=utcnow)
    applied_at: datetime | None = (
        None  # when the contract's copy of today's terms was brought to this version
    )


# Changes of cover: saved premium simulations and endorsements (avenants).


class Simulation(SQLModel, table=True):
    """A named premium simulation the holder saved to compare before deciding."""

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    name: str = Field(max_length=60)
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    lines: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    annual_premium_cents: int
    tariff_version: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class Endorsement(SQLModel, table=True):
    """An avenant: a change of the contract accepted online, effective from a date."""

    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    number: int  # 1, 2, 3… per contract
    effective_date: date
    changes: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )  # [{label, before, after}]
    old_premium_cents: int
    new_premium_cents: int
    prorata_cents: int
    tariff_version: str = Field(max_length=20)
    accepted_by_account_id: int = Field(foreign_key="account.id")
    accepted_at: datetime = Field(default_factory=utcnow)
    consent_text: str = Field(max_length=500)
    document_id: int | None = Field(default=None, foreign_key="document.id")


class AttestationKind(StrEnum):
    STANDARD = "standard"
    DETAILED = "detailed"
    SEASONAL = "seasonal"
    TEMPORARY = "temporary"


class Attestation(SQLModel, table=True):
    """An issued attestation; third parties check it through its QR code's public reference."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    kind: str = Field(max_length=12)
    public_id: str = Field(
        max_length=32, unique=True
    )  # random; the QR code carries it with a signature
    valid_from: date
    valid_until: date
    purpose: str = Field(default="", max_length=300)
    issued_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    revoked_reason: str = Field(default="", max_length=60)
