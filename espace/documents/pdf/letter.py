"""A contractual letter or document built from blocks, on the one Espace template: the annual notice
(avis d'échéance), the cancellation acknowledgement, the particular and general conditions, the
claims-history statement. The domain decides what it says (already formatted French strings); this
module only lays it out."""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf.enums import Align, XPos, YPos

from espace.documents.pdf.data import Insurer, current_insurer
from espace.documents.pdf.template import MUTED, TEAL, EspaceDocument

ISSUE_PLACE = "Nantes"


@dataclass(frozen=True)
class Section:
    title: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    small: bool = False
    bold: bool = False


@dataclass(frozen=True)
class Facts:
    rows: list[tuple[str, str]]
    key_width: float = 56.0


@dataclass(frozen=True)
class Table:
    headings: list[str]
    rows: list[list[str]]
    widths: list[float]  # millimetres, adding up to 174


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Boxed:
    """A framed paragraph with a teal bar: what the reader must not miss (a deadline, a right)."""

    heading: str
    text: str


@dataclass(frozen=True)
class Amounts:
    rows: list[tuple[str, str]]
    total: tuple[str, str]


Block = Section | Paragraph | Facts | Table | Bullets | Boxed | Amounts


@dataclass(frozen=True)
class LetterData:
    title: str
    reference: str
    issued_on: str  # "23/11/2026"
    holder_name: str
    holder_address: list[str]
    facts: list[tuple[str, str]]  # top-left facts (contract number...)
    blocks: list[Block] = field(default_factory=list)
    signed: bool = True  # "Fait à Nantes, le …, pour Espace Assurances"
    insurer: Insurer = field(default_factory=current_insurer)


def render_letter(data: LetterData) -> bytes:
    pdf = EspaceDocument(data.title, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [("Référence", data.reference), ("Émis le", data.issued_on), *data.facts],
    )
    pdf.title_block(data.title)
    for block in data.blocks:
        _draw(pdf, block)
    if data.signed:
        _signature(pdf, data)
    return pdf.to_bytes()


def _draw(pdf: EspaceDocument, block: Block) -> None:
    if isinstance(block, Section):
        pdf.section(block.title)
    elif isinstance(block, Paragraph):
        if block.small:
            pdf.paragraph(block.text, size=8.5, color=MUTED, line_height=4.2)
        else:
            pdf.paragraph(block.text, size=10, bold=block.bold)
    elif isinstance(block, Facts):
        pdf.key_values(block.rows, key_width=block.key_width)
    elif isinstance(block, Table):
        pdf.data_table(block.headings, block.rows, block.widths, size=8.5)
    elif isinstance(block, Bullets):
        pdf.bullets(block.items, size=9.5, color=(33, 37, 41))
        pdf.ln(2)
    elif isinstance(block, Boxed):
        with pdf.framed_box(padding=3.5, accent=True):
            pdf.style(9.5, bold=True, color=TEAL)
            pdf.multi_cell(0, 5, block.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.paragraph(block.text, size=9.5, align=Align.L, line_height=4.8, space_after=0)
    elif isinstance(block, Amounts):
        pdf.ensure_space(7.0 * len(block.rows) + 16.0)
        pdf.amount_rows(block.rows, block.total)


def _signature(pdf: EspaceDocument, data: LetterData) -> None:
    pdf.ensure_space(16)
    pdf.ln(2)
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
