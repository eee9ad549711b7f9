"""All tables, imported here so that ``SQLModel.metadata`` is complete (Alembic relies on it)."""

from espace.models.contract import (
    Contract,
    ContractOption,
    ContractOptionDef,
    ContractStatus,
    DeductibleKind,
    Formula,
    FormulaGuarantee,
    Guarantee,
    GuaranteeCategory,
    InsuredProperty,
    Occupancy,
    PaymentFrequency,
    PropertyType,
)
from espace.models.identity import Account, AuthSession, Civility, Policyholder, StaffRole, StaffUser

__all__ = [
    "Account",
    "AuthSession",
    "Civility",
    "Contract",
    "ContractOption",
    "ContractOptionDef",
    "ContractStatus",
    "DeductibleKind",
    "Formula",
    "FormulaGuarantee",
    "Guarantee",
    "GuaranteeCategory",
    "InsuredProperty",
    "Occupancy",
    "PaymentFrequency",
    "PropertyType",
    "Policyholder",
    "StaffRole",
    "StaffUser",
]
