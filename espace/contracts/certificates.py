"""What a contract's certificates state: the attestation's and the certificate of guarantees' data,
built from the terms in force on the day they speak of; ``issue_certificate`` files the
certificate."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from espace.contracts import labels
from espace.contracts.coverage import Cover, cover_on, shown_day
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import get_existing, today_paris
from espace.documents import library
from espace.documents.addresses import holder_lines, property_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.data import AttestationData, CertificateData, GuaranteeLine
from espace.identity.models import Policyholder


def property_description(prop) -> str:
    kind = labels.label(labels.PROPERTY_TYPE, prop.property_type)
    occupancy = labels.label(labels.OCCUPANCY, prop.occupancy).lower()
    return f"{kind} de {prop.rooms} pièces, {prop.surface_m2} m², occupé en qualité de {occupancy}"


def document_cover(session: Session, contract: Contract, on: date) -> Cover:
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
    """What the attestation states: the terms in force from ``valid_from`` (``attestations.issue``
    keeps the validity within one version of what it states)."""
    holder = get_existing(session, Policyholder, contract.holder_id)
    cover = document_cover(session, contract, valid_from)
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
    holder = get_existing(session, Policyholder, contract.holder_id)
    cover = document_cover(session, contract, issued_on)
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


def issue_certificate(
    *, session: Session, holder_id: int, contract_id: int, today: date | None = None
) -> Document:
    from espace.contracts.certificates import certificate_data
    from espace.documents.pdf.certificate import render_certificate

    contract = session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()
    if contract is None:
        raise LookupError("contract")
    today = today or today_paris()
    reference = f"CERT-{today.year}-{contract.number[3:]}-{today.strftime('%m%d')}"
    document = Document(
        holder_id=holder_id,
        contract_id=contract.id,
        kind=DocumentKind.CERTIFICATE,
        title=f"Certificat de garanties — {contract.number}",
        reference=reference,
    )
    library.store_pdf(
        document,
        render_certificate(
            certificate_data(
                session=session, contract=contract, reference=reference, issued_on=today
            )
        ),
    )
    session.add(document)
    session.flush()
    return document
