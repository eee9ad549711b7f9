"""'Acceptation de l'offre d'indemnisation': the offer's breakdown, how it is paid, the holder's
statement and the electronic signature (who, when, fingerprint)."""

from __future__ import annotations

from espace.documents.pdf.data import OfferAcceptanceData
from espace.documents.pdf.template import MUTED, EspaceDocument

TITLE = "Acceptation de l'offre d'indemnisation"


def render_offer_acceptance(data: OfferAcceptanceData) -> bytes:
    pdf = EspaceDocument(TITLE, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [
            ("Sinistre n°", data.reference),
            ("Signée le", data.issued_on),
            ("Contrat n°", data.contract_number),
        ],
    )
    pdf.title_block(TITLE)
    pdf.section("Offre")
    pdf.key_values(data.rows)
    pdf.section("Paiement")
    pdf.paragraph(data.payment)
    pdf.section("Acceptation")
    pdf.paragraph(data.statement)
    pdf.paragraph(data.signature, size=8.5, color=MUTED)
    return pdf.to_bytes()
