"""The branded page template shared by every Espace PDF document (fpdf2).

Every renderer builds an `EspaceDocument`, fills it with the helpers below (section headings,
key/value blocks, paragraphs, tables, framed boxes) and calls `to_bytes()`.

Fonts: DejaVu Sans (regular and bold), embedded as subsets in every PDF, each face prepared once
per process (`espace.documents.pdf.fonts`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace, TTFFont

from espace.documents.pdf.data import Insurer
from espace.documents.pdf.fonts import (
    FONT_FAMILY,
    FONT_FILES,
    _attach_font_program,
    _document_font,
    _Face,
    _face,
)

TEAL = (11, 79, 108)  # #0b4f6c, the brand colour
TEAL_TINT = (234, 242, 246)  # zebra rows, light backgrounds
INK = (33, 37, 41)
MUTED = (99, 110, 121)
RULE = (200, 211, 218)
WHITE = (255, 255, 255)

MARGIN = 18.0
HEADER_RULE_Y = 27.0
CONTENT_TOP = 33.0
FOOTER_TOP = 20.0  # distance from the bottom of the page to the footer rule
BOTTOM_MARGIN = 26.0  # automatic page break before the footer


# ---------------------------------------------------------------------------------------------
# Template
# ---------------------------------------------------------------------------------------------


class EspaceDocument(FPDF):
    """A4 portrait page with the Espace header and footer, and the layout helpers."""

    def __init__(self, title: str, reference: str, insurer: Insurer) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc_title = title
        self.reference = reference
        self.insurer = insurer
        self._register_fonts()
        self.set_margins(MARGIN, CONTENT_TOP, MARGIN)
        self.c_margin = 0  # text flush with the rules and frames; tables use their own padding
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.set_title(title)
        self.set_subject(f"{title} — {reference}")
        self.set_author(insurer.name)
        self.set_creator("Espace")
        self.set_lang("fr")
        self.add_page()

    def _register_fonts(self) -> None:
        # What add_font(FONT_FAMILY, style, FONT_DIR / filename) does, without parsing the file
        # again.
        self._faces: dict[str, _Face] = {}
        for style in FONT_FILES:
            key = f"{FONT_FAMILY.lower()}{style}"
            self._faces[key] = _face(style)
            self.fonts[key] = _document_font(self._faces[key], len(self.fonts) + 1)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        for key, face in self._faces.items():
            font = self.fonts[key]  # a TTFFont: _register_fonts put it there
            if isinstance(font, TTFFont) and font.ttfont is None:
                _attach_font_program(font, face)
        return super().output(*args, **kwargs)

    def to_bytes(self) -> bytes:
        return bytes(self.output())

    # -- text style --------------------------------------------------------------------------

    def style(
        self, size: float = 10, bold: bool = False, color: tuple[int, int, int] = INK
    ) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)

    # -- header / footer ---------------------------------------------------------------------

    def header(self) -> None:
        self._brand_mark(MARGIN, 11.0)
        self._header_title(11.0)
        self.set_draw_color(*TEAL)
        self.set_line_width(0.5)
        self.line(MARGIN, HEADER_RULE_Y, self.w - MARGIN, HEADER_RULE_Y)
        self.set_xy(MARGIN, CONTENT_TOP)

    def _brand_mark(self, x: float, y: float) -> None:
        size = 11.0
        self.set_fill_color(*TEAL)
        self.rect(x, y, size, size, style="F", round_corners=True, corner_radius=2.2)
        self.style(16, bold=True, color=WHITE)
        self.set_xy(x, y + 0.2)
        self.cell(size, size, "E", align=Align.C)
        self.style(13, bold=True, color=TEAL)
        self.set_xy(x + size + 3, y + 0.3)
        self.cell(80, 6, self.insurer.name)
        self.style(7.5, color=MUTED)
        self.set_xy(x + size + 3, y + 6.6)
        self.cell(80, 4, self.insurer.address)

    def _header_title(self, y: float) -> None:
        width = 84.0
        x = self.w - MARGIN - width
        self.style(9.5, bold=True)
        self.set_xy(x, y)
        self.multi_cell(width, 4.6, self.doc_title, align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.style(8, color=MUTED)
        self.cell(width, 4.6, f"Référence : {self.reference}", align=Align.R)

    def footer(self) -> None:
        top = self.h - FOOTER_TOP
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, top, self.w - MARGIN, top)
        self.style(6.5, color=MUTED)
        self.set_xy(MARGIN, top + 2)
        self.multi_cell(self.epw - 30, 3, self.insurer.legal, align=Align.L)
        self._page_number(top + 2)

    def _page_number(self, y: float) -> None:
        # Right-aligned by hand: fpdf2 measures the total-pages alias as three digits.
        self.style(8, color=MUTED)
        label = f"Page {self.page_no()} / "
        width = self.get_string_width(f"{label}0") + 2 * self.c_margin
        self.set_xy(self.w - MARGIN - width, y)
        self.cell(width, 4, f"{label}{self.str_alias_nb_pages}", align=Align.L)

    # -- measuring ---------------------------------------------------------------------------

    def text_height(self, text: str, width: float, line_height: float) -> float:
        """Height of `text` in a multi_cell of `width`, with the current font."""
        height = self.multi_cell(
            width, line_height, text, dry_run=True, output=MethodReturnValue.HEIGHT
        )
        return cast(float, height)  # fpdf2 types every output choice; HEIGHT alone is a float

    def ensure_space(self, height: float) -> None:
        if self.will_page_break(height):
            self.add_page()

    # -- blocks ------------------------------------------------------------------------------

    def letter_head(
        self, name: str, address: Sequence[str], facts: Sequence[tuple[str, str]]
    ) -> None:
        """Top of the first page: short facts on the left, the addressee on the right
        (where a window envelope shows it)."""
        top, x = self.get_y(), 112.0
        self.set_xy(self.l_margin, top + 1)
        self.key_values(facts, key_width=26, size=8.5, line_height=4.4, right=x - 6)
        left_bottom = self.get_y()
        width = self.w - self.r_margin - x
        self.style(10, bold=True)
        self.set_xy(x, top)
        self.multi_cell(width, 5, name, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.style(10)
        self.multi_cell(width, 5, "\n".join(address), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(left_bottom, self.get_y()) + 5)

    def title_block(self, title: str) -> None:
        self.style(15, bold=True, color=TEAL)
        self.multi_cell(0, 7, title, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def section(self, title: str) -> None:
        """A section heading: teal bold text over a thin rule with a teal accent."""
        self.ensure_space(20)
        self.ln(3)
        self.style(11, bold=True, color=TEAL)
        self.cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = self.get_y() + 0.6
        self.set_line_width(0.2)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.7)
        self.set_draw_color(*TEAL)
        self.line(self.l_margin, y, self.l_margin + 16, y)
        self.set_y(y + 2.8)

    def key_values(
        self,
        rows: Sequence[tuple[str, str]],
        key_width: float = 50.0,
        size: float = 9.5,
        line_height: float = 5.0,
        right: float | None = None,
    ) -> None:
        """Two columns: grey labels on the left, values on the right (values may span lines).

        `right`: where the block ends (default: the right margin).
        """
        x = self.l_margin
        value_width = (right if right is not None else self.w - self.r_margin) - x - key_width
        for key, value in rows:
            self.style(size)
            height = max(self.text_height(value, value_width, line_height), line_height)
            self.ensure_space(height)
            top = self.get_y()
            self.style(size, color=MUTED)
            self.set_xy(x, top)
            self.multi_cell(key_width, line_height, key)
            self.style(size)
            self.set_xy(x + key_width, top)
            self.multi_cell(value_width, line_height, value)
            self.set_xy(x, top + height + 1.2)

    def paragraph(
        self,
        text: str,
        size: float = 10,
        bold: bool = False,
        color: tuple[int, int, int] = INK,
        line_height: float = 5.2,
        align: Align = Align.J,
        space_after: float = 2.5,
    ) -> None:
        self.style(size, bold=bold, color=color)
        self.multi_cell(0, line_height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(space_after)

    def rich_paragraph(
        self,
        parts: Sequence[tuple[str, bool]],
        size: float = 10,
        line_spacing: float = 1.45,
        space_after: float = 2.5,
    ) -> None:
        """A justified paragraph made of (text, bold) runs."""
        with self.text_columns(text_align=Align.J, line_height=line_spacing) as columns:
            with columns.paragraph() as paragraph:
                for text, bold in parts:
                    self.style(size, bold=bold)
                    paragraph.write(text)
        self.set_x(self.l_margin)
        self.ln(space_after)

    def bullets(
        self,
        items: Sequence[str],
        size: float = 8.5,
        color: tuple[int, int, int] = MUTED,
        indent: float = 4.0,
        line_spacing: float = 1.3,
    ) -> None:
        """A small bulleted list."""
        self.style(size, color=color)
        with self.text_columns(
            text_align=Align.L, line_height=line_spacing, l_margin=self.l_margin + indent
        ) as columns:
            for item in items:
                with columns.paragraph(bullet_string="•", bullet_r_margin=1.6) as paragraph:
                    paragraph.write(item)
        self.set_x(self.l_margin)

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        col_widths: Sequence[float],
        aligns: Sequence[str] | None = None,
        size: float = 8.5,
    ) -> None:
        """A table with a teal header row, zebra rows, wrapped cells, header repeated on each
        page."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.set_fill_color(*WHITE)  # fpdf2 fills the other rows with the current fill colour
        self.style(size)
        headings_style = FontFace(
            family=FONT_FAMILY, emphasis="BOLD", size_pt=size, color=WHITE, fill_color=TEAL
        )
        with self.table(
            col_widths=tuple(col_widths),
            width=self.w - self.l_margin - self.r_margin,
            align=Align.L,
            text_align=tuple(aligns or ["LEFT"] * len(headings)),
            line_height=size * 0.5,
            padding=(1.3, 2.2),
            v_align="MIDDLE",
            headings_style=headings_style,
            cell_fill_color=TEAL_TINT,
            cell_fill_mode=TableCellFillMode.EVEN_ROWS,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            repeat_headings=1,
        ) as table:
            for values in [headings, *rows]:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.set_x(self.l_margin)
        self.ln(2)

    def amount_rows(
        self, rows: Sequence[tuple[str, str]], total: tuple[str, str], space_after: float = 4.0
    ) -> None:
        """Label/amount rows separated by rules, then the total highlighted in a tinted band."""
        row_height, total_height = 7.0, 10.0
        left, width = self.l_margin, self.epw
        label_width, amount_width = width - 60, 56.0
        for label, amount in rows:
            self.style(10)
            self.set_x(left + 2)
            self.cell(label_width, row_height, label)
            self.cell(
                amount_width, row_height, amount, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.set_draw_color(*RULE)
            self.set_line_width(0.2)
            self.line(left, self.get_y(), left + width, self.get_y())
        top = self.get_y() + 1.5
        self.set_fill_color(*TEAL_TINT)
        self.rect(left, top, width, total_height, style="F")
        self.set_fill_color(*TEAL)
        self.rect(left, top, 1.4, total_height, style="F")
        self.style(11, bold=True, color=TEAL)
        self.set_xy(left + 2, top)
        self.cell(label_width, total_height, total[0])
        self.cell(amount_width, total_height, total[1], align=Align.R)
        self.set_xy(left, top + total_height + space_after)

    @contextmanager
    def framed_box(
        self,
        min_height: float = 0.0,
        padding: float = 4.0,
        fill: tuple[int, int, int] | None = None,
        accent: bool = False,
    ) -> Iterator[float]:
        """A rounded frame around what the block draws; yields the inner width.

        The content must fit on the current page: `min_height` (without padding) is reserved first.
        A filled box needs `min_height` to be the real content height (the fill is drawn first).
        `accent` draws a teal bar along the left edge (square corners then).
        """
        self.ensure_space(min_height + 2 * padding)
        left, right, top = self.l_margin, self.r_margin, self.get_y()
        width = self.w - left - right
        if fill is not None:
            self.set_fill_color(*fill)
            self.rect(
                left,
                top,
                width,
                min_height + 2 * padding,
                style="F",
                round_corners=True,
                corner_radius=1.8,
            )
        self.set_left_margin(left + padding)
        self.set_right_margin(right + padding)
        self.set_xy(left + padding, top + padding)
        try:
            yield width - 2 * padding
        finally:
            self.set_left_margin(left)
            self.set_right_margin(right)
        bottom = max(self.get_y(), top + padding + min_height) + padding
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.rect(
            left, top, width, bottom - top, style="D", round_corners=not accent, corner_radius=1.8
        )
        if accent:
            self.set_fill_color(*TEAL)
            self.rect(left, top, 1.4, bottom - top, style="F")
        self.set_xy(left, bottom + 4)
