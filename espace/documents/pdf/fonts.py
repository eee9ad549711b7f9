"""The fonts of Espace's PDF documents (`espace.documents.pdf.template`).

DejaVu Sans (regular and bold) from `assets/fonts`, embedded as subsets in every PDF.
`add_font()` parses the whole TrueType file (about 20 ms per face) and fontTools decodes all of its
glyphs again when fpdf2 subsets it at output (about 15 ms per face). So each face is prepared once
per process (see `_Face`): the parsed metrics (widths, cmap, glyph ids) are shared by every
document, which only gets its own subset state and, at output, a fresh fontTools object over
cached bytes (fpdf2 subsets that object in place). fpdf2's line breaking measures each character
it adds to a line with one call; the widths of the strings measured are remembered per face
(`_DocumentFont`, about 7 % of an attestation's CPU time; bench/bench_documents.py).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import subset, ttLib
from fpdf import FPDF
from fpdf.fonts import PDFFontDescriptor, SubsetMap, TTFFont

FONT_DIR = Path(__file__).resolve().parents[3] / "assets" / "fonts"
FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


# Tables fpdf2 drops from every embedded subset (it positions the glyphs itself, text shaping is
# off).
DROPPED_TABLES = ("GDEF", "GPOS", "GSUB", "MATH", "FFTM", "hdmx", "meta", "kern")
# Characters of nearly every document: Latin (with Vietnamese), punctuation, currency, common
# symbols.
LATIN = (
    (0x0020, 0x007E),
    (0x00A0, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x22FF),
    (0x25A0, 0x25FF),
    (0xFB00, 0xFB06),
    (0xFFFD, 0xFFFD),
)


@dataclass(frozen=True)
class _Face:
    """One DejaVu face, prepared once per process.

    fontTools decodes the cmap, hmtx, post and glyf tables of the whole font each time fpdf2 subsets
    it for a PDF; DejaVu Sans has 6 253 glyphs. So a document whose characters are all in LATIN
    (about 1 200 glyphs, same glyph names) is subset from that smaller font; the others from the
    whole font. Either way the embedded subset holds the same glyphs.
    """

    prototype: TTFFont  # metrics of the whole font, shared by every document, never written out
    program: bytes  # the whole font without DROPPED_TABLES
    latin_program: bytes  # the same font restricted to LATIN
    latin_glyphs: frozenset[str]

    def program_for(self, glyph_names: Sequence[str]) -> bytes:
        return self.latin_program if self.latin_glyphs.issuperset(glyph_names) else self.program


_FACES: dict[str, _Face] = {}
_FACES_LOCK = threading.Lock()


def _save(font: ttLib.TTFont) -> bytes:
    buffer = BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _without_dropped_tables(path: Path) -> bytes:
    font = ttLib.TTFont(path, recalcTimestamp=False)
    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    return _save(font)


def _restricted(program: bytes, ranges: Sequence[tuple[int, int]]) -> ttLib.TTFont:
    font = ttLib.TTFont(BytesIO(program), recalcTimestamp=False)
    options = subset.Options(
        notdef_outline=True,
        recommended_glyphs=True,
        glyph_names=True,
        name_IDs=["*"],
        name_languages=["*"],
        name_legacy=True,
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for first, last in ranges for code in range(first, last + 1)])
    subsetter.subset(font)
    return font


def _face(style: str) -> _Face:
    with _FACES_LOCK:
        face = _FACES.get(style)
        if face is None:
            program = _without_dropped_tables(FONT_DIR / FONT_FILES[style])
            # fpdf2 types the file as a Path; it hands it to fontTools, which reads a stream too
            prototype = TTFFont(
                FPDF(),
                BytesIO(program),  # type: ignore[arg-type]
                f"{FONT_FAMILY.lower()}{style}",
                style,
            )
            prototype.ttfont.close()
            prototype.ttfont = None
            latin = _restricted(program, LATIN)
            face = _Face(
                prototype=prototype,
                program=program,
                latin_program=_save(latin),
                latin_glyphs=frozenset(latin.getGlyphOrder()),
            )
            _FACES[style] = face
        return face


def _copy_descriptor(desc: PDFFontDescriptor) -> PDFFontDescriptor:
    # fpdf2 sets the font name, the object id and the font file on it while writing a PDF.
    return PDFFontDescriptor(
        ascent=desc.ascent,
        descent=desc.descent,
        cap_height=desc.cap_height,
        flags=desc.flags,
        font_b_box=desc.font_b_box,
        italic_angle=desc.italic_angle,
        stem_v=desc.stem_v,
        missing_width=desc.missing_width,
    )


# Widths (in font units) of the strings measured so far, per face: fpdf2's line breaking measures
# every character it adds to a line, one call each, and a document's labels come back in the next.
_WIDTHS: dict[str, dict[str, float]] = {}
_WIDTHS_MAX = 100_000  # strings kept per face (most are one character or one word)


class _DocumentFont(TTFFont):
    """fpdf2's TTFFont with the width of a string remembered per face (the same result as
    `TTFFont.get_text_width`: the sum of the characters' advance widths, scaled by the size)."""

    __slots__ = ()

    def get_text_width(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> tuple[int, float]:
        if text_shaping_params or self.is_symbol:
            return super().get_text_width(text, font_size_pt, text_shaping_params)
        if font_size_pt > self.biggest_size_pt:
            self.biggest_size_pt = font_size_pt
        widths = _WIDTHS.setdefault(self.fontkey, {})
        known = widths.get(text)
        if known is None:
            known = float(sum(map(self.cw.__getitem__, map(ord, text))))
            if len(widths) < _WIDTHS_MAX:
                widths[text] = known
        return len(text), known * font_size_pt * 0.001


def _document_font(face: _Face, index: int) -> TTFFont:
    """A TTFFont for one document: shared read-only metrics, its own subset state.

    Without text shaping fpdf2 only needs the fontTools font (`ttfont`) to write the subset:
    `_attach_font_program` sets it just before the output.
    """
    font = _DocumentFont.__new__(_DocumentFont)
    for slot in TTFFont.__slots__:
        if hasattr(face.prototype, slot):  # some slots are only set for some fonts
            setattr(font, slot, getattr(face.prototype, slot))
    font.i = index
    font.desc = _copy_descriptor(face.prototype.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    return font


def _attach_font_program(font: TTFFont, face: _Face) -> None:
    program = face.program_for(font.subset.get_all_glyph_names())
    font.ttfont = ttLib.TTFont(
        BytesIO(program), recalcTimestamp=False, recalcBBoxes=False, lazy=True
    )
