"""'Attestation d'assurance habitation' (standard, detailed, seasonal, temporary)."""

from __future__ import annotations

from io import BytesIO

import segno
from fpdf.enums import Align, XPos, YPos

from espace.documents.pdf.data import AttestationData
from espace.documents.pdf.template import MUTED, TEAL, EspaceDocument

QR_SIZE = 30.0  # mm, quiet zone of one module included
QR_BOX_PADDING = 3.0
CLOSING_HEIGHT = 22.0  # disclaimer and signature lines, see _closing()
SIGNATORY = "le service Gestion des contrats"
ISSUE_PLACE = "Nantes"
DISCLAIMER = (
    "Cette attestation ne peut engager l'assureur au-delà des conditions du contrat "
    "auquel elle se réfère."
)

GUARANTEE_HEADINGS = ("Catégorie", "Garantie", "Plafond", "Franchise")
GUARANTEE_WIDTHS = (34.0, 52.0, 52.0, 36.0)


def render_attestation(data: AttestationData) -> bytes:
    pdf = EspaceDocument(data.title, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [
            ("Référence", data.reference),
            ("Délivrée le", data.issued_on),
            ("Contrat n°", data.contract_number),
        ],
    )
    pdf.title_block(data.title)
    _certification(pdf, data)
    _validity(pdf, data)
    if data.purpose:
        pdf.paragraph(data.purpose)
    if data.kind == "detailed" and data.guarantees:
        _guarantees(pdf, data)
    pdf.ensure_space(
        CLOSING_HEIGHT + QR_SIZE + 2 * QR_BOX_PADDING
    )  # signature and QR code together
    _closing(pdf, data)
    _verification(pdf, data)
    return pdf.to_bytes()


def _one_line(lines: list[str]) -> str:
    return ", ".join(line for line in lines if line)


def _certification(pdf: EspaceDocument, data: AttestationData) -> None:
    pdf.rich_paragraph(
        [
            (f"{data.insurer.name} atteste que ", False),
            (data.holder_name, True),
            (
                f", demeurant {_one_line(data.holder_address)}, est titulaire du contrat "
                "d'assurance multirisque habitation n°\u00a0",
                False,
            ),
            (data.contract_number, True),
            (
                f" (formule {data.formula}), souscrit le {data.contract_start}, garantissant "
                "le logement situé ",
                False,
            ),
            (_one_line(data.property_address), True),
            (f" ({data.property_description}).", False),
        ]
    )


def _validity(pdf: EspaceDocument, data: AttestationData) -> None:
    with pdf.framed_box(min_height=16, padding=3, accent=True):
        pdf.rich_paragraph(
            [
                ("Cette attestation est valable du ", False),
                (data.valid_from, True),
                (" au ", False),
                (data.valid_until, True),
                (
                    ", sous réserve que le contrat ne soit ni suspendu ni résilié au cours de "
                    "cette période.",
                    False,
                ),
            ],
            size=9.5,
            space_after=1.5,
        )
        pdf.rich_paragraph(
            [
                ("Le contrat comprend la garantie responsabilité civile : ", False),
                (data.civil_liability, True),
                (".", False),
            ],
            size=9.5,
            space_after=0,
        )


def _guarantees(pdf: EspaceDocument, data: AttestationData) -> None:
    pdf.section("Garanties, plafonds et franchises")
    rows = [(line.category, line.name, line.ceiling, line.deductible) for line in data.guarantees]
    pdf.data_table(GUARANTEE_HEADINGS, rows, GUARANTEE_WIDTHS, size=8)


def _closing(pdf: EspaceDocument, data: AttestationData) -> None:
    """The disclaimer on the left, the place, date and signatory on the right."""
    top, half = pdf.get_y() + 1, (pdf.epw - 8) / 2
    pdf.style(8.5, color=MUTED)
    pdf.set_xy(pdf.l_margin, top)
    pdf.multi_cell(half, 4.3, DISCLAIMER, align=Align.L)
    left_bottom = pdf.get_y()
    right = pdf.w - pdf.r_margin - half
    pdf.style(10)
    pdf.set_xy(right, top)
    pdf.multi_cell(
        half,
        5.2,
        f"Fait à {ISSUE_PLACE}, le {data.issued_on}",
        align=Align.R,
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.style(10, bold=True, color=TEAL)
    pdf.multi_cell(
        half,
        5.2,
        f"Pour {data.insurer.name},\n{SIGNATORY}",
        align=Align.R,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(max(left_bottom, pdf.get_y()) + 5)


def _qr_png(url: str) -> BytesIO:
    buffer = BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=1)
    buffer.seek(0)
    return buffer


def _verification(pdf: EspaceDocument, data: AttestationData) -> None:
    with pdf.framed_box(min_height=QR_SIZE, padding=QR_BOX_PADDING):
        left, top = pdf.l_margin, pdf.get_y()
        pdf.image(_qr_png(data.verify_url), x=left, y=top, w=QR_SIZE, h=QR_SIZE)
        pdf.set_left_margin(left + QR_SIZE + 6)
        pdf.set_xy(pdf.l_margin, top + 3)
        pdf.paragraph(
            "Vérification de l'attestation",
            size=10,
            bold=True,
            color=TEAL,
            line_height=5,
            space_after=1,
        )
        pdf.paragraph(
            "Vérifiez l'authenticité de cette attestation : scannez ce QR code ou rendez-vous sur",
            size=8.5,
            line_height=4.4,
            align=Align.L,
            space_after=0,
        )
        pdf.style(9, bold=True, color=TEAL)
        pdf.multi_cell(
            0, 4.6, data.verify_url, link=data.verify_url, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(1.5)
        pdf.paragraph(
            f"Référence : {data.reference}", size=9, color=MUTED, line_height=4.6, space_after=0
        )
