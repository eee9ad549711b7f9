"""The claims-history statement (relevé de sinistralité): the claims of a contract over the last 5
years, which a new insurer asks for. Requested from the portal and issued at once, as a PDF from the
one template in "Mes documents"."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, select

from espace.billing.instalments import add_months
from espace.claims import perils, stages
from espace.claims.models import Claim, ClaimStatus
from espace.contracts.contract_documents import ContractDocumentError, owned_contract
from espace.contracts.models import Formula, InsuredProperty
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import today_paris
from espace.documents import library
from espace.documents.addresses import holder_lines, property_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.letter import Facts, LetterData, Paragraph, Section, Table, render_letter
from espace.identity.models import Policyholder

YEARS = 5


class StatementError(ValueError):
    pass


def issue_claims_history(
    *,
    session: Session,
    holder_id: int,
    contract_id: int | None = None,
    number: str = "",
    today: date | None = None,
) -> Document:
    """The statement of *this holder's* contract, by id or number (another holder's: not found,
    like an unknown one)."""
    today = today or today_paris()
    try:
        contract = owned_contract(session, holder_id, contract_id, number)
    except ContractDocumentError as error:
        raise StatementError(str(error)) from None
    since = max(add_months(today, -12 * YEARS), contract.start_date)
    claims = session.exec(
        select(Claim)
        .where(
            Claim.contract_id == contract.id,
            Claim.status != ClaimStatus.DRAFT,
            Claim.occurred_at.is_not(None),
            Claim.occurred_at >= datetime.combine(since, time(0), tzinfo=PARIS),
        )
        .order_by(Claim.occurred_at)
    ).all()
    holder = session.get(Policyholder, holder_id)
    prop = session.get(InsuredProperty, contract.property_id)
    formula = session.get(Formula, contract.formula_id)
    name, address = holder_lines(holder)
    rows = [
        [
            fmt.date_fr(claim.occurred_at.astimezone(PARIS).date()),
            perils.label(claim.peril),
            stages.label(claim.status),
            fmt.money(claim.paid_cents) if claim.paid_cents else "—",
        ]
        for claim in claims
    ]
    paid = sum(claim.paid_cents for claim in claims)
    refused = sum(1 for claim in claims if claim.status == ClaimStatus.REFUSED)
    end = contract.end_date.strftime("%d/%m/%Y") if contract.end_date else "en cours"
    blocks = [
        Paragraph(
            f"{holder.civility} {holder.first_name} {holder.last_name} est assuré(e) auprès de "
            f"notre société par le contrat d'assurance multirisque habitation "
            f"n°\u00a0{contract.number} depuis le {fmt.date_fr(contract.start_date)}. Nous "
            f"attestons que les sinistres déclarés au titre de ce contrat du {fmt.date_fr(since)} "
            f"au {fmt.date_fr(today)} sont ceux indiqués ci-dessous."
        ),
        Section("Le contrat"),
        Facts(
            [
                ("Logement assuré", ", ".join(property_lines(prop))),
                ("Formule", formula.name),
                ("Date d'effet", fmt.date_fr(contract.start_date)),
                ("Fin du contrat", end),
            ]
        ),
        Section(f"Sinistres des {YEARS} dernières années"),
    ]
    if rows:
        blocks.append(
            Table(
                ["Date du sinistre", "Nature", "État", "Indemnités versées"],
                rows,
                [32.0, 62.0, 44.0, 36.0],
            )
        )
        blocks.append(
            Paragraph(
                f"Sinistres déclarés : {len(rows)} (dont refusés : {refused}) ; indemnités "
                f"versées : {fmt.money(paid)}."
            )
        )
    else:
        blocks.append(Paragraph("Aucun sinistre n'a été déclaré sur cette période.", bold=True))
    blocks.append(
        Paragraph(
            "Relevé établi à la demande de l'assuré, pour servir et valoir ce que de droit.",
            small=True,
        )
    )
    reference = f"RS-{today:%Y%m%d}-{contract.number[3:]}"
    data = LetterData(
        title="Relevé de sinistralité",
        reference=reference,
        issued_on=fmt.date_fr(today),
        holder_name=name,
        holder_address=address,
        facts=[
            ("Contrat n°", contract.number),
            ("Période", f"{fmt.date_fr(since)} – {fmt.date_fr(today)}"),
        ],
        blocks=blocks,
    )
    document = Document(
        holder_id=holder_id,
        contract_id=contract.id,
        kind=DocumentKind.CLAIMS_HISTORY,
        title=f"Relevé de sinistralité ({YEARS} ans) — {contract.number}",
        reference=reference,
        period_start=since,
        period_end=today,
        amount_cents=paid,
    )
    library.store_pdf(document, render_letter(data))
    session.add(document)
    session.flush()
    return document
