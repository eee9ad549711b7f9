"""The annual notice (avis d'échéance) of a renewal: the right not to renew it states (loi Chatel,
article L113-15-1), its PDF in « Mes documents », the in-app notice and the e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from espace import routes
from espace.billing.instalments import add_months
from espace.billing.models import Payment, PaymentMethod
from espace.contracts.models import (
    Contract,
    ContractTerms,
    Formula,
    PaymentFrequency,
)
from espace.core import formatting as fmt
from espace.documents import library
from espace.documents.addresses import holder_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.letter import (
    Amounts,
    Boxed,
    LetterData,
    Paragraph,
    Section,
    Table,
    render_letter,
)
from espace.identity.models import Policyholder
from espace.lifecycle.models import ContractRenewal
from espace.lifecycle.renewal_schedule import _payment_method
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory

CHATEL_NOTICE_MONTHS = 2  # the holder may refuse the renewal up to 2 months before it
LATE_NOTICE_DAYS = 15  # a notice sent less than 15 days before that deadline is late...
LATE_WINDOW_DAYS = 20  # ...and gives 20 days from its sending instead
FREQUENCY_WORDS = {
    PaymentFrequency.MONTHLY: "12 mensualités",
    PaymentFrequency.QUARTERLY: "4 trimestrialités",
    PaymentFrequency.ANNUAL: "un paiement annuel",
}
METHOD_WORDS = {
    PaymentMethod.SEPA_DEBIT: "prélèvement SEPA",
    PaymentMethod.TRANSFER: "virement",
    PaymentMethod.CARD: "carte bancaire",
}


@dataclass(frozen=True)
class ChatelTerms:
    deadline: date  # last day to refuse the renewal
    late: bool
    mention: str


def chatel_terms(anniversary: date, sent_on: date) -> ChatelTerms:
    """The right not to renew as the notice states it (article L113-15-1)."""
    normal = add_months(anniversary, -CHATEL_NOTICE_MONTHS)
    late = sent_on > normal - timedelta(days=LATE_NOTICE_DAYS)
    deadline = sent_on + timedelta(days=LATE_WINDOW_DAYS) if late else normal
    first = (
        "Conformément à l'article L113-15-1 du Code des assurances (loi Chatel), vous pouvez "
        "refuser la reconduction de votre contrat et le résilier à son échéance du "
        f"{fmt.date_fr(anniversary)}, en nous l'indiquant au plus tard le {fmt.date_fr(deadline)} "
        "(depuis votre espace : « Résilier mon contrat », par e-mail ou par lettre, le cachet de "
        "la poste ou la date d'envoi faisant foi)."
    )
    if late:
        consequence = (
            " Cet avis vous étant adressé moins de quinze jours avant la date limite prévue au "
            f"contrat ({fmt.date_fr(normal)}), vous disposez d'un délai de vingt jours à compter "
            "de son envoi pour dénoncer la reconduction."
        )
    else:
        consequence = (
            " Cet avis vous est adressé au moins quinze jours avant cette date. S'il vous était "
            "parvenu moins de quinze jours avant elle, ou après, vous disposeriez de vingt jours "
            "à compter de son envoi pour dénoncer la reconduction ; sans avis, vous pourriez "
            "résilier sans pénalité à tout moment à partir de l'échéance, la résiliation prenant "
            "effet le lendemain de votre demande. Vous restez redevable de la cotisation de la "
            "seule période pendant laquelle le risque a couru."
        )
    return ChatelTerms(deadline=deadline, late=late, mention=first + consequence)


def _notice_document(
    session: Session,
    contract: Contract,
    row: ContractRenewal,
    version: ContractTerms,
    instalments: list[Payment],
    chatel: ChatelTerms,
    now: datetime,
) -> Document:
    holder = session.get(Policyholder, contract.holder_id)
    formula = session.get(Formula, version.formula_id)
    name, address = holder_lines(holder)
    year_end = add_months(row.anniversary, 12) - timedelta(days=1)
    reference = f"AE-{row.anniversary.year}-{contract.number[3:]}"
    method = instalments[0].method if instalments else _payment_method(session, contract)
    frequency = PaymentFrequency(contract.payment_frequency)
    rows = [
        [
            f"{fmt.date_fr(p.period_start)} au {fmt.date_fr(p.period_end)}",
            fmt.date_fr(p.due_date),
            fmt.money(p.amount_cents),
        ]
        for p in instalments
    ]
    change = row.new_premium_cents - row.old_premium_cents
    trend = (
        "inchangée"
        if change == 0
        else f"en hausse de {fmt.money(change)}"
        if change > 0
        else f"en baisse de {fmt.money(-change)}"
    )
    blocks = [
        Paragraph(
            f"Votre contrat d'assurance multirisque habitation n°\u00a0{contract.number} "
            f"(formule {formula.name}) arrive à son échéance principale le "
            f"{fmt.date_fr(row.anniversary)}. Sauf refus de votre part, il est reconduit pour un "
            f"an, du {fmt.date_fr(row.anniversary)} au {fmt.date_fr(year_end)}, aux conditions "
            "ci-dessous."
        ),
        Section(f"Votre cotisation du {fmt.date_fr(row.anniversary)} au {fmt.date_fr(year_end)}"),
        Amounts(
            [
                ("Cotisation annuelle en cours (TTC)", fmt.money(row.old_premium_cents)),
                ("dont taxes (nouvelle cotisation)", fmt.money(version.annual_tax_cents)),
            ],
            ("Nouvelle cotisation annuelle TTC", fmt.money(row.new_premium_cents)),
        ),
        Paragraph(
            f"Cotisation {trend}. Tarif en vigueur : version {version.tariff_version or '—'} ; "
            f"sinistres retenus sur les trois dernières années : {row.claims_counted}.",
            small=True,
        ),
        Section("Votre échéancier"),
        Paragraph(
            f"Paiement en {FREQUENCY_WORDS.get(frequency, frequency)}, par "
            f"{METHOD_WORDS.get(method, method)}."
        ),
        Table(["Période couverte", "Échéance", "Montant TTC"], rows, [94.0, 40.0, 40.0]),
        Boxed("Votre droit de ne pas reconduire votre contrat (loi Chatel)", chatel.mention),
        Paragraph(
            "Après la première année, vous pouvez aussi résilier votre contrat à tout moment (loi "
            "Hamon, article L113-15-2) : la résiliation prend effet un mois après que nous en "
            "avons reçu la notification, et la part de cotisation non courue vous est remboursée.",
            small=True,
        ),
    ]
    data = LetterData(
        title=f"Avis d'échéance du {fmt.date_fr(row.anniversary)}",
        reference=reference,
        issued_on=fmt.date_fr(row.notice_sent_on),
        holder_name=name,
        holder_address=address,
        facts=[("Contrat n°", contract.number), ("Échéance", fmt.date_fr(row.anniversary))],
        blocks=blocks,
    )
    document = Document(
        holder_id=contract.holder_id,
        contract_id=contract.id,
        kind=DocumentKind.NOTICE,
        title=f"Avis d'échéance du {fmt.date_fr(row.anniversary)} — {contract.number}",
        reference=reference,
        issued_at=now,
        period_start=row.anniversary,
        period_end=year_end,
        amount_cents=row.new_premium_cents,
    )
    library.store_pdf(document, render_letter(data))
    session.add(document)
    session.flush()
    return document


def _announce(
    session: Session, contract: Contract, row: ContractRenewal, chatel: ChatelTerms
) -> None:
    premium = fmt.money(row.new_premium_cents)
    anniversary = fmt.date_fr(row.anniversary)
    email = messages.email(
        "renewal_notice",
        number=contract.number,
        anniversary=anniversary,
        premium=premium,
        chatel=chatel.mention,
    )
    notices.notify(
        session=session,
        holder_id=contract.holder_id,
        category=NotificationCategory.PAYMENTS,
        title=f"Avis d'échéance — {contract.number}",
        body=(
            f"Votre contrat est reconduit le {anniversary} : nouvelle cotisation annuelle "
            f"{premium}. Votre avis d'échéance et votre échéancier sont dans « Mes documents »."
        ),
        link=routes.DOCUMENTS,
        email_subject=email.subject,
        email_body=email.body,
    )
