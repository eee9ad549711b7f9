"""Build the formatted data the PDF renderers need, from the database."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from espace import formatting as fmt
from espace import labels
from espace.models import (
    Contract,
    Payment,
    Policyholder,
)
from espace.pdf.data import AttestationData, CertificateData, GuaranteeLine, ReceiptData
from espace.services.coverage import Cover, cover_on, shown_day

METHOD_LABELS = {"sepa_debit": "Prélèvement SEPA", "card": "Carte bancaire", "transfer": "Virement"}
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def holder_lines(holder: Policyholder) -> tuple[str, list[str]]:
    name = f"{holder.civility} {holder.first_name} {holder.last_name}"
    address = [
        line
        for line in (
            holder.address_line1,
            holder.address_line2,
            f"{holder.postal_code} {holder.city}",
        )
        if line
    ]
    return name, address


def property_lines(prop) -> list[str]:
    """``prop``: an InsuredProperty, or a version of the terms (the home as insured on a date)."""
    return [
        line
        for line in (prop.address_line1, prop.address_line2, f"{prop.postal_code} {prop.city}")
        if line
    ]


def property_description(prop) -> str:
    kind = labels.label(labels.PROPERTY_TYPE, prop.property_type)
    occupancy = labels.label(labels.OCCUPANCY, prop.occupancy).lower()
    return f"{kind} de {prop.rooms} pièces, {prop.surface_m2} m², occupé en qualité de {occupancy}"


def _cover(session: Session, contract: Contract, on: date) -> Cover:
    """The cover on ``on`` (the first version's before the start, the last one's after the end)."""
    cover = cover_on(session=session, contract=contract, on=shown_day(contract, on))
    if cover is None:
        raise LookupError(f"no terms for contract {contract.number}")
    return cover


def guarantee_lines(cover: Cover) -> list[GuaranteeLine]:
    return [
        GuaranteeLine(
            category=line.category_label,
            name=line.name,
            ceiling=line.ceiling,
            deductible=line.deductible,
            exclusions=line.exclusions,
        )
        for line in cover.lines
    ]


def civil_liability_line(cover: Cover) -> str:
    line = cover.line_for("civil_liability")
    if line is not None:
        return f"{line.name} : garantie jusqu'à {line.ceiling}"
    return "Responsabilité civile : non garantie par ce contrat"


def attestation_data(
    *,
    session: Session,
    contract: Contract,
    kind: str,
    title: str,
    reference: str,
    verify_url: str,
    valid_from: date,
    valid_until: date,
    purpose: str,
    issued_on: date,
) -> AttestationData:
    """What the attestation states: the terms in force from ``valid_from`` (``attestations.issue`` keeps the
    validity within one version of what it states)."""
    holder = session.get(Policyholder, contract.holder_id)
    cover = _cover(session, contract, valid_from)
    name, address = holder_lines(holder)
    return AttestationData(
        kind=kind,
        title=title,
        reference=reference,
        verify_url=verify_url,
        issued_on=fmt.date_fr(issued_on),
        holder_name=name,
        holder_address=address,
        property_address=property_lines(cover.version),
        property_description=property_description(cover.version),
        contract_number=contract.number,
        formula=cover.formula_name,
        contract_start=fmt.date_fr(contract.start_date),
        valid_from=fmt.date_fr(valid_from),
        valid_until=fmt.date_fr(valid_until),
        civil_liability=civil_liability_line(cover),
        purpose=purpose,
        guarantees=guarantee_lines(cover) if kind == "detailed" else [],
    )


def certificate_data(
    *, session: Session, contract: Contract, reference: str, issued_on: date
) -> CertificateData:
    """The guarantees in force on the day of issue, the options taken included."""
    holder = session.get(Policyholder, contract.holder_id)
    cover = _cover(session, contract, issued_on)
    name, address = holder_lines(holder)
    return CertificateData(
        reference=reference,
        issued_on=fmt.date_fr(issued_on),
        holder_name=name,
        holder_address=address,
        property_address=property_lines(cover.version),
        property_description=property_description(cover.version),
        contract_number=contract.number,
        formula=cover.formula_name,
        contract_start=fmt.date_fr(contract.start_date),
        furniture_capital=fmt.money(cover.furniture_capital_cents),
        deductible=fmt.money(cover.deductible_cents),
        options=sorted(o.name for o in cover.options) or ["Aucune"],
        guarantees=guarantee_lines(cover),
    )


def period_label(payment: Payment) -> str:
    if payment.period_start.day == 1 and (payment.period_end - payment.period_start).days < 31:
        return f"{MONTHS[payment.period_start.month - 1].capitalize()} {payment.period_start.year}"
    return f"du {fmt.date_fr(payment.period_start)} au {fmt.date_fr(payment.period_end)}"


def receipt_data(
    *, session: Session, payment: Payment, reference: str, issued_on: date
) -> ReceiptData:
    contract = session.get(Contract, payment.contract_id)
    holder = session.get(Policyholder, contract.holder_id)
    cover = _cover(session, contract, payment.period_start)  # the terms of the period paid for
    name, address = holder_lines(holder)
    return ReceiptData(
        reference=reference,
        issued_on=fmt.date_fr(issued_on),
        holder_name=name,
        holder_address=address,
        contract_number=contract.number,
        formula=cover.formula_name,
        property_address=property_lines(cover.version),
        period=period_label(payment),
        due_date=fmt.date_fr(payment.due_date),
        paid_on=fmt.date_fr(payment.paid_at),
        method=METHOD_LABELS.get(payment.method, payment.method),
        amount_excl_tax=fmt.money(payment.amount_cents - payment.tax_cents),
        tax=fmt.money(payment.tax_cents),
        amount=fmt.money(payment.amount_cents),
    )
