"""'Reçu de cotisation' for one payment."""

from __future__ import annotations

from fpdf.enums import Align, XPos, YPos

from espace.documents.pdf.data import ReceiptData
from espace.documents.pdf.template import MUTED, TEAL, EspaceDocument

TITLE = "Reçu de cotisation"
TAX_LABEL = "Taxe sur les conventions d'assurance"
ISSUE_PLACE = "Nantes"


def render_receipt(data: ReceiptData) -> bytes:
    pdf = EspaceDocument(TITLE, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [
            ("Référence", data.reference),
            ("Émis le", data.issued_on),
            ("Contrat n°", data.contract_number),
        ],
    )
    pdf.title_block(TITLE)
    _acknowledgement(pdf, data)
    pdf.section("Contrat")
    pdf.key_values(
        [
            ("Payeur", data.holder_name),
            ("Contrat n°", data.contract_number),
            ("Formule", data.formula),
            ("Logement assuré", "\n".join(data.property_address)),
        ]
    )
    pdf.section("Règlement")
    pdf.key_values(
        [
            ("Période couverte", data.period),
            ("Date d'échéance", data.due_date),
            ("Date de paiement", data.paid_on),
            ("Mode de paiement", data.method),
        ]
    )
    _amounts(pdf, data)
    _closing(pdf, data)
    return pdf.to_bytes()


def _acknowledgement(pdf: EspaceDocument, data: ReceiptData) -> None:
    pdf.rich_paragraph(
        [
            ("Nous accusons réception de votre règlement de ", False),
            (data.amount, True),
            (
                f", reçu le {data.paid_on}, au titre de la cotisation de votre contrat d'assurance "
                f"multirisque habitation n°\u00a0{data.contract_number} (période : {data.period}).",
                False,
            ),
        ]
    )


def _amounts(pdf: EspaceDocument, data: ReceiptData) -> None:
    pdf.section("Montant réglé")
    rows = [("Cotisation hors taxes", data.amount_excl_tax), (TAX_LABEL, data.tax)]
    pdf.ensure_space(7.0 * len(rows) + 10.0 + 4)
    pdf.amount_rows(rows, ("Montant total TTC", data.amount))


def _closing(pdf: EspaceDocument, data: ReceiptData) -> None:
    pdf.paragraph(
        "Nous vous remercions de votre confiance. Ce reçu ne vaut pas attestation d'assurance.",
        size=9.5,
    )
    pdf.style(10)
    pdf.cell(
        0,
        5.5,
        f"Fait à {ISSUE_PLACE}, le {data.issued_on}",
        align=Align.R,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.style(10, bold=True, color=TEAL)
    pdf.cell(
        0, 5.5, f"Pour {data.insurer.name}", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(4)
    pdf.paragraph(
        f"Pour toute question : {data.insurer.phone}.", size=8, color=MUTED, line_height=4
    )
