"""The acknowledgement of a cancellation request: the PDF filed in "Mes documents", the notice and
the e-mail to the holder.
"""

from __future__ import annotations

from sqlmodel import Session

from espace import routes
from espace.contracts.models import Contract, Formula
from espace.core import formatting as fmt
from espace.documents import library
from espace.documents.addresses import holder_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.letter import (
    Amounts,
    Boxed,
    Facts,
    LetterData,
    Paragraph,
    Section,
    render_letter,
)
from espace.identity.models import Policyholder
from espace.lifecycle.cancellation_rules import EVENT_LABELS, G, Preview
from espace.lifecycle.models import Cancellation
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory


def _acknowledgement(
    session: Session, contract: Contract, row: Cancellation, plan: Preview, files: list
) -> Document:
    holder = session.get(Policyholder, contract.holder_id)
    formula = session.get(Formula, contract.formula_id)
    name, address = holder_lines(holder)
    facts = [
        ("Date de réception", fmt.datetime_fr(row.received_at)),
        ("Contrat", f"n°\u00a0{contract.number} (formule {formula.name})"),
        ("Motif", plan.ground_label),
    ]
    if row.event_date:
        facts.append((EVENT_LABELS[G(row.ground)], fmt.date_fr(row.event_date)))
    if row.new_insurer:
        insurer = row.new_insurer
        facts.append(
            (
                "Nouvel assureur",
                ", ".join(
                    v for v in (insurer["name"], insurer["address"], insurer["contract"]) if v
                ),
            )
        )
    if files:
        facts.append(("Justificatifs reçus", ", ".join(f.filename for f in files)))
    blocks = [
        Paragraph(
            f"Nous avons bien reçu le {fmt.datetime_fr(row.received_at)}, depuis votre espace "
            f"client, votre demande de résiliation du contrat d'assurance habitation "
            f"n°\u00a0{contract.number}. Le présent accusé de réception en fait foi."
        ),
        Section("Votre demande"),
        Facts(facts),
        Boxed(
            f"Date d'effet de la résiliation : {fmt.date_fr(row.effective_date)}",
            f"{plan.explanation} Vous êtes couvert jusqu'au {fmt.date_fr(plan.last_day)} inclus. "
            "Vos attestations d'assurance cessent d'être valables à partir du "
            f"{fmt.date_fr(row.effective_date)}.",
        ),
        Section("Votre cotisation"),
        Amounts(
            [
                (
                    f"Prélèvements à venir annulés ({row.cancelled_debits})",
                    fmt.money(plan.cancelled_cents),
                ),
                ("Échéance en cours réduite de", fmt.money(plan.adjusted_cents)),
            ],
            ("Cotisation non courue remboursée", fmt.money(row.refund_cents)),
        ),
        Paragraph(
            "La part de cotisation correspondant à la période postérieure à la date d'effet vous "
            "est remboursée au prorata, dans un délai de trente jours, sur le compte de "
            "prélèvement ou par virement.",
            small=True,
        ),
    ]
    if row.ground == G.HAMON and row.new_insurer:
        blocks.append(
            Paragraph(
                "Votre nouvel assureur nous ayant été indiqué, nous lui confirmerons la date de "
                "fin de votre contrat pour que votre logement reste assuré sans interruption.",
                small=True,
            )
        )
    data = LetterData(
        title="Accusé de réception de votre demande de résiliation",
        reference=row.reference,
        issued_on=fmt.date_fr(row.received_at),
        holder_name=name,
        holder_address=address,
        facts=[("Contrat n°", contract.number)],
        blocks=blocks,
    )
    document = Document(
        holder_id=contract.holder_id,
        contract_id=contract.id,
        kind=DocumentKind.CANCELLATION,
        title=f"Accusé de réception de résiliation — {contract.number}",
        reference=row.reference,
        issued_at=row.received_at,
        period_end=plan.last_day,
        amount_cents=row.refund_cents,
    )
    library.store_pdf(document, render_letter(data))
    session.add(document)
    session.flush()
    return document


def _tell_holder(session: Session, contract: Contract, row: Cancellation, plan: Preview) -> None:
    effective = fmt.date_fr(row.effective_date)
    email = messages.email(
        "cancellation_received",
        number=contract.number,
        received=fmt.datetime_fr(row.received_at),
        reference=row.reference,
        ground=plan.ground_label,
        effective=effective,
        last_day=fmt.date_fr(plan.last_day),
        refund=fmt.money(row.refund_cents),
        cancelled_debits=str(row.cancelled_debits),
    )
    notices.notify(
        session=session,
        holder_id=contract.holder_id,
        category=NotificationCategory.DOCUMENTS,
        title=f"Résiliation enregistrée — {contract.number}",
        body=f"Votre contrat prend fin le {effective}. Votre accusé de réception est dans « Mes "
        "documents ».",
        link=routes.DOCUMENTS,
        email_subject=email.subject,
        email_body=email.body,
        critical=True,
    )
