"""'Certificat de garanties': every guarantee with its ceiling, deductible and exclusions."""

from __future__ import annotations

from fpdf.enums import Align

from espace.documents.pdf.data import CertificateData, GuaranteeLine
from espace.documents.pdf.template import MUTED, TEAL, TEAL_TINT, WHITE, EspaceDocument

TITLE = "Certificat de garanties"
# Columns of the guarantee list: name, ceiling, deductible (A4 minus 2 × 18 mm = 174 mm).
COLUMNS = ((86.0, "Garantie"), (52.0, "Plafond"), (36.0, "Franchise"))
PAD_X, PAD_Y, LINE = 2.2, 1.6, 4.6
ROW_GAP, BLOCK_GAP, LABEL_HEIGHT, CATEGORY_HEIGHT = 1.2, 3.0, 4.2, 7.3
EXCLUSION_SIZE, EXCLUSION_SPACING, EXCLUSION_INDENT = 8.0, 1.3, PAD_X + 3


def render_certificate(data: CertificateData) -> bytes:
    pdf = EspaceDocument(TITLE, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [
            ("Référence", data.reference),
            ("Délivré le", data.issued_on),
            ("Contrat n°", data.contract_number),
        ],
    )
    pdf.title_block(TITLE)
    pdf.paragraph(
        "Le présent certificat récapitule les garanties du contrat d'assurance multirisque "
        f"habitation n°\u00a0{data.contract_number} souscrit par {data.holder_name}, avec leurs "
        "plafonds, leurs franchises et leurs exclusions."
    )
    _contract(pdf, data)
    pdf.section("Garanties")
    _guarantee_list(pdf, data.guarantees)
    pdf.ln(2)
    pdf.paragraph(
        "Ce certificat est établi à titre d'information. Les garanties s'exercent dans les "
        "limites et conditions prévues aux conditions générales et particulières du contrat.",
        size=8,
        color=MUTED,
        line_height=4,
    )
    return pdf.to_bytes()


def _contract(pdf: EspaceDocument, data: CertificateData) -> None:
    pdf.section("Votre contrat")
    pdf.key_values(
        [
            ("Assuré(e)", data.holder_name),
            ("Contrat n°", data.contract_number),
            ("Formule", data.formula),
            ("Date de souscription", data.contract_start),
            ("Logement assuré", "\n".join([*data.property_address, data.property_description])),
            ("Capital mobilier", data.furniture_capital),
            ("Franchise générale", data.deductible),
            ("Options souscrites", "\n".join(data.options) if data.options else "Aucune"),
        ]
    )


def _guarantee_list(pdf: EspaceDocument, guarantees: list[GuaranteeLine]) -> None:
    page = None
    category = None
    for line in guarantees:
        pdf.ensure_space(_block_height(pdf, line, new_category=line.category != category))
        if pdf.page != page:
            _column_headings(pdf)
            page = pdf.page
        if line.category != category:
            _category(pdf, line.category)
            category = line.category
        _guarantee(pdf, line)


def _column_headings(pdf: EspaceDocument) -> None:
    x, top = pdf.l_margin, pdf.get_y()
    pdf.set_fill_color(*TEAL)
    pdf.rect(x, top, pdf.epw, 7, style="F")
    pdf.style(8.5, bold=True, color=WHITE)
    for width, label in COLUMNS:
        pdf.set_xy(x + PAD_X, top)
        pdf.cell(width - 2 * PAD_X, 7, label)
        x += width
    pdf.set_xy(pdf.l_margin, top + 9)


def _category(pdf: EspaceDocument, category: str) -> None:
    pdf.ln(1)
    pdf.style(9.5, bold=True, color=TEAL)
    pdf.cell(0, CATEGORY_HEIGHT - 1.8, category.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(0.8)


def _cells(line: GuaranteeLine) -> tuple[tuple[str, bool], ...]:
    return (line.name, True), (line.ceiling, False), (line.deductible, False)


def _row_height(pdf: EspaceDocument, line: GuaranteeLine) -> float:
    heights = []
    for (width, _), (text, bold) in zip(COLUMNS, _cells(line), strict=True):
        pdf.style(9, bold=bold)
        heights.append(pdf.text_height(text, width - 2 * PAD_X, LINE))
    return max(heights) + 2 * PAD_Y


def _block_height(pdf: EspaceDocument, line: GuaranteeLine, new_category: bool) -> float:
    """Height of a guarantee (with its category heading) so that it is not split over two pages."""
    height = _row_height(pdf, line) + ROW_GAP + BLOCK_GAP
    if new_category:
        height += CATEGORY_HEIGHT
    if line.exclusions:
        pdf.style(EXCLUSION_SIZE)
        width = pdf.epw - EXCLUSION_INDENT
        height += LABEL_HEIGHT + sum(
            pdf.text_height(item, width, EXCLUSION_SIZE * EXCLUSION_SPACING / pdf.k)
            for item in line.exclusions
        )
    return height


def _guarantee(pdf: EspaceDocument, line: GuaranteeLine) -> None:
    x, top, height = pdf.l_margin, pdf.get_y(), _row_height(pdf, line)
    pdf.set_fill_color(*TEAL_TINT)
    pdf.rect(x, top, pdf.epw, height, style="F")
    for (width, _), (text, bold) in zip(COLUMNS, _cells(line), strict=True):
        pdf.style(9, bold=bold)
        pdf.set_xy(x + PAD_X, top + PAD_Y)
        pdf.multi_cell(width - 2 * PAD_X, LINE, text, align=Align.L)
        x += width
    pdf.set_xy(pdf.l_margin, top + height + ROW_GAP)
    if line.exclusions:
        pdf.style(EXCLUSION_SIZE, bold=True, color=MUTED)
        pdf.set_x(pdf.l_margin + PAD_X)
        pdf.cell(0, LABEL_HEIGHT, "Exclusions", new_x="LMARGIN", new_y="NEXT")
        pdf.bullets(
            line.exclusions,
            size=EXCLUSION_SIZE,
            indent=EXCLUSION_INDENT,
            line_spacing=EXCLUSION_SPACING,
        )
    pdf.ln(BLOCK_GAP)
