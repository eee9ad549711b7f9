"""'Avis de règlement de sinistre': the indemnity, how it was computed, and the transfer."""

from __future__ import annotations

from espace.documents.pdf.data import SettlementData
from espace.documents.pdf.template import MUTED, EspaceDocument

TITLE = "Avis de règlement de sinistre"


def render_settlement(data: SettlementData) -> bytes:
    pdf = EspaceDocument(TITLE, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [
            ("Sinistre n°", data.reference),
            ("Émis le", data.issued_on),
            ("Contrat n°", data.contract_number),
        ],
    )
    pdf.title_block(TITLE)
    pdf.rich_paragraph(
        [
            ("Nous vous confirmons le règlement de votre sinistre ", False),
            (data.reference, True),
            (f" ({data.peril.lower()} survenu le {data.occurred_on}) : un virement de ", False),
            (data.paid_now or data.indemnity, True),
            (f" a été émis le {data.paid_on} sur votre compte bancaire.", False),
        ]
    )
    pdf.section("Contrat")
    pdf.key_values(
        [
            ("Contrat n°", data.contract_number),
            ("Formule", data.formula),
            ("Logement assuré", "\n".join(data.property_address)),
            ("Garantie appliquée", data.guarantee),
        ]
    )
    pdf.section("Calcul de l'indemnité")
    pdf.ensure_space(40)
    pdf.amount_rows(
        [
            ("Dommages retenus", data.damage),
            ("Franchise déduite", f"− {data.deductible}"),
            ("Plafond de la garantie", data.ceiling),
        ],
        ("Indemnité versée", data.indemnity),
    )
    pdf.paragraph(
        "Indemnité = dommages retenus moins la franchise, dans la limite du plafond de la garantie "
        "(conditions générales et particulières de votre contrat).",
        size=9,
        color=MUTED,
    )
    if data.express_reason:
        pdf.paragraph(f"Règlement express : {data.express_reason}", size=9)
    pdf.section("Paiement")
    rows = [
        ("Mode", "Virement bancaire"),
        ("Référence", data.payment_reference),
        ("Émis le", data.paid_on),
    ]
    if data.already_paid:
        rows += [("Déjà versé", data.already_paid), ("Versé par ce virement", data.paid_now)]
    pdf.key_values(rows)
    pdf.paragraph(
        "Une question sur ce règlement ? Écrivez à votre gestionnaire depuis votre espace ou "
        f"appelez le {data.insurer.phone}.",
        size=9,
        color=MUTED,
    )
    return pdf.to_bytes()
