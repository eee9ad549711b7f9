"""'Avenant' (endorsement) to a contract: what changes, from when, and the new premium."""

from __future__ import annotations

from fpdf.enums import Align, XPos, YPos

from espace.documents.pdf.data import AvenantData
from espace.documents.pdf.template import MUTED, TEAL, EspaceDocument

ISSUE_PLACE = "Nantes"
CHANGE_HEADINGS = ("Modification", "Avant", "Après")
CHANGE_WIDTHS = (64.0, 55.0, 55.0)  # A4 minus 2 × 18 mm = 174 mm
UNCHANGED = "Les autres clauses et conditions du contrat demeurent inchangées."
PREMIUMS_HEIGHT = 56.0  # heading, premium rows, prorata and next instalment kept together
CLOSING_HEIGHT = 48.0  # formal sentence, consent box and signature kept together


def avenant_title(data: AvenantData) -> str:
    return f"Avenant n°\u00a0{data.number} au contrat {data.contract_number}"


def render_avenant(data: AvenantData) -> bytes:
    title = avenant_title(data)
    pdf = EspaceDocument(title, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [
            ("Référence", data.reference),
            ("Émis le", data.issued_on),
            ("Contrat n°", data.contract_number),
            ("Formule", data.formula),
        ],
    )
    pdf.title_block(title)
    _preamble(pdf, data)
    _effective_date(pdf, data)
    _changes(pdf, data)
    _premiums(pdf, data)
    _closing(pdf, data)
    return pdf.to_bytes()


def _one_line(lines: list[str]) -> str:
    return ", ".join(line for line in lines if line)


def _preamble(pdf: EspaceDocument, data: AvenantData) -> None:
    """The parties, in the formal way: 'Entre …, ci-après le souscripteur, et …, ci-après
    l'assureur'."""
    pdf.rich_paragraph(
        [
            ("Entre ", False),
            (data.holder_name, True),
            (
                f", demeurant {_one_line(data.holder_address)}, ci-après «\u00a0le "
                "souscripteur\u00a0», et ",
                False,
            ),
            (data.insurer.name, True),
            (
                f", {data.insurer.address}, ci-après «\u00a0l'assureur\u00a0», il est convenu de "
                "modifier le contrat d'assurance multirisque habitation n°\u00a0",
                False,
            ),
            (data.contract_number, True),
            (
                f" (formule {data.formula}), garantissant le logement situé "
                f"{_one_line(data.property_address)}, dans les conditions suivantes.",
                False,
            ),
        ]
    )


def _effective_date(pdf: EspaceDocument, data: AvenantData) -> None:
    with pdf.framed_box(min_height=14, padding=3.5, accent=True) as width:
        top = pdf.get_y()
        date_width = 48.0
        pdf.style(8, color=MUTED)
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(date_width, 4.5, "Date d'effet", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.style(15, bold=True, color=TEAL)
        pdf.cell(date_width, 9, data.effective_on)
        text_x = pdf.l_margin + 2 + date_width
        pdf.set_xy(text_x, top + 1)
        pdf.style(9.5)
        pdf.multi_cell(
            width - 2 - date_width,
            4.8,
            f"Les modifications décrites ci-dessous prennent effet le {data.effective_on} "
            "à zéro heure. Jusqu'à cette date, le contrat s'applique dans sa rédaction antérieure.",
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _changes(pdf: EspaceDocument, data: AvenantData) -> None:
    pdf.section("Modifications apportées au contrat")
    rows = [(change.label, change.before, change.after) for change in data.changes]
    pdf.data_table(CHANGE_HEADINGS, rows, CHANGE_WIDTHS, size=9)


def _premiums(pdf: EspaceDocument, data: AvenantData) -> None:
    pdf.ensure_space(PREMIUMS_HEIGHT)
    pdf.section("Cotisation")
    pdf.amount_rows(
        [("Cotisation annuelle avant l'avenant (TTC)", data.old_premium)],
        ("Nouvelle cotisation annuelle TTC", data.new_premium),
        space_after=3,
    )
    pdf.key_values(
        [
            ("Ajustement au prorata", data.prorata),
            ("Prochaine échéance", data.next_instalment),
        ],
        key_width=46,
    )
    pdf.paragraph(
        "L'ajustement est calculé au prorata de la période restant à courir jusqu'à la prochaine "
        "échéance principale ; il vous est facturé ou remboursé selon le sens de la modification.",
        size=8,
        color=MUTED,
        line_height=4,
        space_after=0,
    )


def _closing(pdf: EspaceDocument, data: AvenantData) -> None:
    pdf.ensure_space(CLOSING_HEIGHT)
    pdf.ln(3)
    pdf.paragraph(
        "Le présent avenant fait partie intégrante du contrat "
        f"n°\u00a0{data.contract_number}. {UNCHANGED}",
        size=9.5,
        space_after=3,
    )
    with pdf.framed_box(padding=3):
        pdf.style(8, color=MUTED)
        pdf.cell(0, 4.5, "Consentement du souscripteur", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.paragraph(data.consent, size=9.5, align=Align.L, line_height=5, space_after=0)
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
