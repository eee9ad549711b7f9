"""Build the formatted data the PDF renderers need, from the database."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from espace import formatting as fmt
from espace import labels
from espace.models import (
    Contract,
    ContractOption,
    ContractOptionDef,
    Formula,
    InsuredProperty,
    Payment,
    Policyholder,
)
from espace.pdf.data import AttestationData, CertificateData, GuaranteeLine, ReceiptData
from espace.services.coverage import cover_lines

METHOD_LABELS = {"sepa_debit": "Prélèvement SEPA", "card": "Carte bancaire", "transfer": "Virement"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def holder_lines(holder: Policyholder) -> tuple[str, list[str]]:
    name = f"{holder.civility} {holder.first_name} {holder.last_name}"
    address = [line for line in (holder.address_line1, holder.address_line2, f"{holder.postal_code} {holder.city}") if line]
    return name, address


def property_lines(prop: InsuredProperty) -> list[str]:
    return [line for line in (prop.address_line1, prop.address_line2, f"{prop.postal_code} {prop.city}") if line]


def property_description(prop: InsuredProperty) -> str:
    kind = labels.label(labels.PROPERTY_TYPE, prop.property_type)
    occupancy = labels.label(labels.OCCUPANCY, prop.occupancy).lower()
    return f"{kind} de {prop.rooms} pièces, {prop.surface_m2} m², occupé en qualité de {occupancy}"


def _context(session: Session, contract: Contract):
    holder = session.get(Policyholder, contract.holder_id)
    prop = session.get(InsuredProperty, contract.property_id)
    formula = session.get(Formula, contract.formula_id)
    return holder, prop, formula


def guarantee_lines(session: Session, contract: Contract) -> list[GuaranteeLine]:
    return [GuaranteeLine(category=line.category_label, name=line.name, ceiling=line.ceiling,
                          deductible=line.deductible, exclusions=line.exclusions)
            for line in cover_lines(session=session, contract=contract)]


def civil_liability_line(session: Session, contract: Contract) -> str:
    for line in cover_lines(session=session, contract=contract):
        if line.category == "civil_liability":
            return f"{line.name} : garantie jusqu'à {line.ceiling}"
    return "Responsabilité civile : non garantie par ce contrat"


def attestation_data(*, session: Session, contract: Contract, kind: str, title: str, reference: str,
                     verify_url: str, valid_from: date, valid_until: date, purpose: str, issued_on: date) -> AttestationData:
    holder, prop, formula = _context(session, contract)
    name, address = holder_lines(holder)
    return AttestationData(
        kind=kind, title=title, reference=reference, verify_url=verify_url, issued_on=fmt.date_fr(issued_on),
        holder_name=name, holder_address=address, property_address=property_lines(prop),
        property_description=property_description(prop), contract_number=contract.number, formula=formula.name,
        contract_start=fmt.date_fr(contract.start_date), valid_from=fmt.date_fr(valid_from),
        valid_until=fmt.date_fr(valid_until), civil_liability=civil_liability_line(session, contract), purpose=purpose,
        guarantees=guarantee_lines(session, contract) if kind == "detailed" else [],
    )


def certificate_data(*, session: Session, contract: Contract, reference: str, issued_on: date) -> CertificateData:
    holder, prop, formula = _context(session, contract)
    name, address = holder_lines(holder)
    options = session.exec(select(ContractOptionDef.name).join(ContractOption, ContractOption.option_id == ContractOptionDef.id)
                           .where(ContractOption.contract_id == contract.id).order_by(ContractOptionDef.name)).all()
    return CertificateData(
        reference=reference, issued_on=fmt.date_fr(issued_on), holder_name=name, holder_address=address,
        property_address=property_lines(prop), property_description=property_description(prop),
        contract_number=contract.number, formula=formula.name, contract_start=fmt.date_fr(contract.start_date),
        furniture_capital=fmt.money(contract.furniture_capital_cents), deductible=fmt.money(contract.deductible_cents),
        options=list(options) or ["Aucune"], guarantees=guarantee_lines(session, contract),
    )


def period_label(payment: Payment) -> str:
    if payment.period_start.day == 1 and (payment.period_end - payment.period_start).days < 31:
        return f"{MONTHS[payment.period_start.month - 1].capitalize()} {payment.period_start.year}"
    return f"du {fmt.date_fr(payment.period_start)} au {fmt.date_fr(payment.period_end)}"


def receipt_data(*, session: Session, payment: Payment, reference: str, issued_on: date) -> ReceiptData:
    contract = session.get(Contract, payment.contract_id)
    holder, prop, formula = _context(session, contract)
    name, address = holder_lines(holder)
    return ReceiptData(
        reference=reference, issued_on=fmt.date_fr(issued_on), holder_name=name, holder_address=address,
        contract_number=contract.number, formula=formula.name, property_address=property_lines(prop),
        period=period_label(payment), due_date=fmt.date_fr(payment.due_date), paid_on=fmt.date_fr(payment.paid_at),
        method=METHOD_LABELS.get(payment.method, payment.method),
        amount_excl_tax=fmt.money(payment.amount_cents - payment.tax_cents), tax=fmt.money(payment.tax_cents),
        amount=fmt.money(payment.amount_cents),
    )
