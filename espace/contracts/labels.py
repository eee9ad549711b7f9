"""French labels for the values stored in English."""

from __future__ import annotations

from espace.contracts.models import (
    ContractStatus,
    GuaranteeCategory,
    Occupancy,
    PaymentFrequency,
    PropertyType,
)

PROPERTY_TYPE = {PropertyType.HOUSE: "Maison", PropertyType.FLAT: "Appartement"}

OCCUPANCY = {
    Occupancy.OWNER: "Propriétaire occupant",
    Occupancy.TENANT: "Locataire",
    Occupancy.LANDLORD: "Propriétaire non occupant",
}

CONTRACT_STATUS = {
    ContractStatus.ACTIVE: "En cours",
    ContractStatus.SUSPENDED: "Suspendu",
    ContractStatus.TERMINATED: "Résilié",
}

PAYMENT_FREQUENCY = {
    PaymentFrequency.MONTHLY: "Mensuel",
    PaymentFrequency.QUARTERLY: "Trimestriel",
    PaymentFrequency.ANNUAL: "Annuel",
}

GUARANTEE_CATEGORY = {
    GuaranteeCategory.HOME_DAMAGE: "Dommages au logement",
    GuaranteeCategory.CIVIL_LIABILITY: "Responsabilité civile",
    GuaranteeCategory.THEFT_VANDALISM: "Vol et vandalisme",
    GuaranteeCategory.WATER_DAMAGE: "Dégâts des eaux",
    GuaranteeCategory.FIRE: "Incendie",
    GuaranteeCategory.NATURAL_DISASTER: "Catastrophes naturelles",
    GuaranteeCategory.STORM_HAIL_SNOW: "Tempête, grêle et neige",
    GuaranteeCategory.GLASS_BREAKAGE: "Bris de glace",
    GuaranteeCategory.LEGAL_PROTECTION: "Protection juridique",
    GuaranteeCategory.ASSISTANCE: "Assistance",
}


def label(mapping: dict, value: str) -> str:
    return mapping.get(value, value)
