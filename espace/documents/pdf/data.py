"""What the PDF renderers receive: plain, already formatted French strings (no database access)."""

from __future__ import annotations

from dataclasses import dataclass, field

from espace.core.insurer import Insurer
from espace.core.insurer import insurer as current_insurer

__all__ = ["Insurer"]


@dataclass(frozen=True)
class GuaranteeLine:
    category: str  # "Dégâts des eaux"
    name: str  # "Dégâts des eaux et gel"
    ceiling: str  # "25 000,00 €" or "Capital mobilier et frais de remise en état"
    deductible: str  # "150,00 €", "380,00 € (franchise légale)", "Aucune"
    exclusions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AttestationData:
    """An 'attestation d'assurance habitation'.

    kind: "standard" (landlord, administration), "detailed" (syndic, mortgage lender: guarantees
    and ceilings), "seasonal" (seasonal rental), "temporary" (a given period).
    """

    kind: str
    title: str  # "Attestation d'assurance habitation", "… — location saisonnière", …
    reference: str  # short human reference printed on the document, e.g. "ATT-2026-7F3K9Q"
    verify_url: str  # encoded in the QR code
    issued_on: str  # "23/11/2026"
    holder_name: str  # "Mme Camille Martin"
    holder_address: list[str]
    property_address: list[str]
    property_description: str  # "Appartement de 3 pièces, 68 m², occupé en qualité de locataire"
    contract_number: str
    formula: str  # "Confort"
    contract_start: str  # "01/09/2021"
    valid_from: str
    valid_until: str
    civil_liability: str  # "Responsabilité civile vie privée et occupant : jusqu'à 4 500 000,00 €"
    purpose: str = (
        ""  # kind-specific sentence (seasonal rental place/dates, temporary period reason)
    )
    guarantees: list[GuaranteeLine] = field(default_factory=list)  # filled for "detailed"
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class CertificateData:
    """'Certificat de garanties': every guarantee of the contract, with ceilings, deductibles,
    exclusions."""

    reference: str
    issued_on: str
    holder_name: str
    holder_address: list[str]
    property_address: list[str]
    property_description: str
    contract_number: str
    formula: str
    contract_start: str
    furniture_capital: str  # "25 000,00 €"
    deductible: str  # the contract's general deductible, "150,00 €"
    options: list[str]
    guarantees: list[GuaranteeLine]
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class ReceiptData:
    """'Reçu de cotisation' for one payment."""

    reference: str  # "REC-2026-000123"
    issued_on: str
    holder_name: str
    holder_address: list[str]
    contract_number: str
    formula: str
    property_address: list[str]
    period: str  # "Novembre 2026" or "du 01/09/2026 au 31/08/2027"
    due_date: str
    paid_on: str
    method: str  # "Prélèvement SEPA", "Carte bancaire"
    amount_excl_tax: str  # "171,01 €"
    tax: str  # "15,39 €"
    amount: str  # "186,40 €" (TTC)
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class AvenantChange:
    label: str  # "Franchise", "Capital mobilier", "Option Jardin et piscine"
    before: str  # "150,00 €", "Non souscrite"
    after: str  # "300,00 €", "Souscrite"


@dataclass(frozen=True)
class AvenantData:
    """'Avenant' to a contract: what changes, from when, and the new premium."""

    reference: str  # "AV-2026-000012"
    number: int  # 3 for the third endorsement of this contract
    issued_on: str
    effective_on: str  # "01/12/2026"
    holder_name: str
    holder_address: list[str]
    contract_number: str
    formula: str  # after the change
    property_address: list[str]
    changes: list[AvenantChange]
    old_premium: str  # annual, incl. tax
    new_premium: str
    prorata: str  # "+ 12,34 € pour la période du 01/12/2026 au 31/08/2027" or a refund
    next_instalment: str  # "15,92 € par mois à partir du 05/12/2026"
    consent: str  # "Accepté en ligne le 23/11/2026 à 10:42 par Mme Camille Martin"
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class SettlementData:
    """'Avis de règlement de sinistre': how the indemnity was computed and when it was paid."""

    reference: str  # the claim number
    issued_on: str
    holder_name: str
    holder_address: list[str]
    contract_number: str
    formula: str
    property_address: list[str]
    peril: str
    occurred_on: str
    guarantee: str
    damage: str
    deductible: str
    ceiling: str
    indemnity: str
    payment_reference: str
    paid_on: str
    express_reason: str = ""
    already_paid: str = ""  # a reopened claim: what earlier transfers paid
    paid_now: str = ""  # this transfer (the balance)
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class MandateData:
    """'Mandat de prélèvement SEPA' (core scheme, recurrent payments), signed online.

    The only document that shows the IBAN in full: it is never indexed for search."""

    reference: str  # RUM, "ESP-00000042-K7Q2M9X4ZD"
    creditor_identifier: str  # ICS, "FR12ZZZ123456"
    creditor_name: str  # "Espace Assurances"
    creditor_address: list[str]
    debtor_name: str  # the name on the account
    debtor_address: list[str]
    iban: str  # in full, in groups of four: "FR76 3000 6000 0112 3456 7890 189"
    bic: str
    bank_name: str
    signed_on: str  # "23/11/2026"
    signed_time: str  # "10:42"
    signature_method: str  # "après vérification par code envoyé par e-mail"
    payment_type: str = "récurrent"
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class ComplaintData:
    """'Réclamation': the whole exchange between the holder and the complaints service."""

    reference: str  # REC-2026-000012
    issued_on: str
    holder_name: str
    holder_address: list[str]
    facts: list[tuple[str, str]]
    messages: list[tuple[str, str]]  # (heading: what, who and when; text)
    mediator: str
    mediator_conditions: str
    insurer: Insurer = field(default_factory=current_insurer)


@dataclass(frozen=True)
class OfferAcceptanceData:
    """'Acceptation de l'offre d'indemnisation': what the holder accepted, signed and dated."""

    reference: str  # the claim number
    issued_on: str
    holder_name: str
    holder_address: list[str]
    contract_number: str
    rows: list[tuple[str, str]]  # the offer's breakdown
    payment: str
    statement: str
    signature: str
    insurer: Insurer = field(default_factory=current_insurer)
