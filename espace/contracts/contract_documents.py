"""The contract's own documents, as PDFs from the one template (``documents/pdf/letter.py``):

- the particular conditions (conditions particulières) of a version of the terms: at subscription
  and at each endorsement (``issue_particular_conditions``);
- the general conditions of the contract's version, generated from the same versioned text as the
  conditions page (``conditions_data.ARTICLES``, with the formula's particular overrides), on
  request (``issue_general_conditions``).
Both are filed in the holder's "Mes documents"."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from espace.contracts import conditions_data as cg
from espace.contracts import labels
from espace.contracts.certificates import property_description
from espace.contracts.coverage import cover_of
from espace.contracts.models import Contract, ContractTerms, Formula, PaymentFrequency
from espace.core import formatting as fmt
from espace.core.models import get_existing, today_paris, utcnow
from espace.documents import library
from espace.documents.addresses import holder_lines, property_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.letter import (
    Block,
    Bullets,
    Facts,
    LetterData,
    Paragraph,
    Section,
    Table,
    render_letter,
)
from espace.identity.models import Policyholder


class ContractDocumentError(ValueError):
    pass


def owned_contract(
    session: Session, holder_id: int, contract_id: int | None = None, number: str = ""
) -> Contract:
    """One of *this holder's* contracts, by id or number (another holder's: not found)."""
    query = select(Contract).where(Contract.holder_id == holder_id)
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    else:
        query = query.where(Contract.number == number.strip().upper()[:10])
    contract = session.exec(query).first()
    if contract is None:
        raise ContractDocumentError("Contrat introuvable.")
    return contract


def _store(session: Session, document: Document, data: LetterData) -> Document:
    library.store_pdf(document, render_letter(data))
    session.add(document)
    session.flush()
    return document


def issue_particular_conditions(
    *,
    session: Session,
    contract: Contract,
    version: ContractTerms,
    issued_on: date,
    endorsement_number: int | None = None,
    now: datetime | None = None,
) -> Document:
    """The particular conditions of ``version`` (what this contract covers from its date)."""
    holder = get_existing(session, Policyholder, contract.holder_id)
    name, address = holder_lines(holder)
    cover = cover_of(session=session, version=version, on=version.effective_from)
    frequency = labels.label(labels.PAYMENT_FREQUENCY, PaymentFrequency(contract.payment_frequency))
    suffix = f" — avenant n°\u00a0{endorsement_number}" if endorsement_number else ""
    reference = f"CP-{contract.number[3:]}-{version.effective_from:%Y%m%d}"
    blocks: list[Block] = [
        Paragraph(
            "Les présentes conditions particulières complètent les conditions générales "
            f"{cg.GENERAL_CONDITIONS_VERSION} du contrat d'assurance multirisque habitation "
            f"n°\u00a0{contract.number}. Elles s'appliquent à partir du "
            f"{fmt.date_fr(version.effective_from)}"
            + (
                f" (avenant n°\u00a0{endorsement_number})."
                if endorsement_number
                else " (souscription)."
            )
        ),
        Section("Le souscripteur et le logement assuré"),
        Facts(
            [
                ("Souscripteur", name),
                ("Logement assuré", ", ".join(property_lines(version))),
                ("Description", property_description(version)),
                ("Date d'effet du contrat", fmt.date_fr(contract.start_date)),
                ("Échéance principale", f"{contract.start_date:%d/%m} de chaque année"),
            ]
        ),
        Section("Vos garanties"),
        Facts(
            [
                ("Formule", cover.formula_name),
                ("Capital mobilier", fmt.money(version.furniture_capital_cents)),
                ("Franchise générale", fmt.money(version.deductible_cents)),
            ]
        ),
        Table(
            ["Garantie", "Plafond", "Franchise"],
            [[line.name, line.ceiling, line.deductible] for line in cover.lines],
            [74.0, 60.0, 40.0],
        ),
    ]
    if cover.options:
        blocks += [
            Section("Options souscrites"),
            Bullets(
                [
                    f"{option.name} : {fmt.money(option.annual_price_cents)} par an"
                    for option in cover.options
                ]
            ),
        ]
    blocks += [
        Section("Cotisation"),
        Facts(
            [
                ("Cotisation annuelle TTC", fmt.money(version.annual_premium_cents)),
                ("dont taxes", fmt.money(version.annual_tax_cents)),
                ("Fractionnement", frequency),
                ("Tarif", version.tariff_version or "—"),
            ]
        ),
        Paragraph(
            "Le contrat se renouvelle chaque année à son échéance principale. Vous pouvez refuser "
            "la reconduction (loi Chatel) et, après la première année, résilier à tout moment "
            "(loi Hamon) depuis votre espace : « Résilier mon contrat ».",
            small=True,
        ),
    ]
    data = LetterData(
        title=f"Conditions particulières{suffix}",
        reference=reference,
        issued_on=fmt.date_fr(issued_on),
        holder_name=name,
        holder_address=address,
        facts=[("Contrat n°", contract.number), ("Effet", fmt.date_fr(version.effective_from))],
        blocks=blocks,
    )
    document = Document(
        holder_id=contract.holder_id,
        contract_id=contract.id,
        kind=DocumentKind.PARTICULAR_CONDITIONS,
        title=f"Conditions particulières{suffix} — {contract.number}",
        reference=reference,
        issued_at=now or utcnow(),
        period_start=version.effective_from,
        amount_cents=version.annual_premium_cents,
    )
    return _store(session, document, data)


def general_conditions_text(formula_code: str) -> list[tuple[str, str, list[str]]]:
    """(chapter, "Art. n — title", paragraphs as plain text) of the conditions page's text, the
    formula's particular overrides added where they apply."""
    overrides: dict[str, list[str]] = {}
    for item in cg.PARTICULAR_OVERRIDES.get(formula_code, []):
        overrides.setdefault(item["article"], []).append(item["text"])
    result = []
    for article in cg.ARTICLES:
        paragraphs = [
            "".join(segment["text"] for segment in cg.render_paragraph(text))
            for text in article["paragraphs"]
        ]
        paragraphs += [
            f"Pour votre formule : {text}" for text in overrides.get(article["number"], [])
        ]
        result.append(
            (article.get("chapter", ""), f"{article['number']} — {article['title']}", paragraphs)
        )
    return result


def issue_general_conditions(
    *,
    session: Session,
    holder_id: int,
    contract_id: int | None = None,
    number: str = "",
    today: date | None = None,
) -> Document:
    """The general conditions of *this holder's* contract (by id or number), as a PDF in "Mes
    documents"."""
    today = today or today_paris()
    contract = owned_contract(session, holder_id, contract_id, number)
    formula = get_existing(session, Formula, contract.formula_id)
    holder = get_existing(session, Policyholder, contract.holder_id)
    name, address = holder_lines(holder)
    blocks: list[Block] = [
        Paragraph(
            f"Conditions générales {cg.GENERAL_CONDITIONS_VERSION} du contrat d'assurance "
            f"multirisque habitation n°\u00a0{contract.number}, formule {formula.name}. Elles "
            "reprennent le texte de la page « Conditions générales » de votre espace ; les "
            "précisions propres à votre formule figurent à la fin des articles concernés."
        )
    ]
    chapter = None
    for heading, title, paragraphs in general_conditions_text(formula.code):
        if heading and heading != chapter:
            blocks.append(Section(heading))
            chapter = heading
        blocks.append(Paragraph(title, bold=True))
        blocks += [Paragraph(text, small=True) for text in paragraphs]
    reference = f"{cg.GENERAL_CONDITIONS_VERSION}-{contract.number[3:]}"
    data = LetterData(
        title=f"Conditions générales {cg.GENERAL_CONDITIONS_VERSION}",
        reference=reference,
        issued_on=fmt.date_fr(today),
        holder_name=name,
        holder_address=address,
        facts=[("Contrat n°", contract.number), ("Formule", formula.name)],
        blocks=blocks,
        signed=False,
    )
    document = Document(
        holder_id=holder_id,
        contract_id=contract.id,
        kind=DocumentKind.GENERAL_CONDITIONS,
        title=f"Conditions générales {cg.GENERAL_CONDITIONS_VERSION} — {contract.number}",
        reference=reference,
    )
    return _store(session, document, data)
