"""'Réclamation': the whole exchange of a complaint, for the holder's records or the mediator."""

from __future__ import annotations

from espace.documents.pdf.data import ComplaintData
from espace.documents.pdf.fonts import LATIN
from espace.documents.pdf.template import MUTED, EspaceDocument

TITLE = "Réclamation : échange complet"


def _printable(text: str) -> str:
    """What the holder typed, with characters the document's font lacks (emoji...) replaced."""
    return "".join(
        ch if ch == "\n" or any(first <= ord(ch) <= last for first, last in LATIN) else "\ufffd"
        for ch in text
    )


def render_complaint(data: ComplaintData) -> bytes:
    pdf = EspaceDocument(TITLE, data.reference, data.insurer)
    pdf.letter_head(
        data.holder_name,
        data.holder_address,
        [("Réclamation n°", data.reference), ("Édité le", data.issued_on)],
    )
    pdf.title_block(TITLE)
    pdf.key_values([(key, _printable(value)) for key, value in data.facts])
    pdf.section("Échange")
    for heading, text in data.messages:
        pdf.ensure_space(18)
        pdf.paragraph(heading, size=9, bold=True, space_after=1)
        pdf.paragraph(_printable(text), size=9.5)
    pdf.section("Médiation")
    pdf.paragraph(data.mediator, size=9.5, bold=True, space_after=1)
    pdf.paragraph(data.mediator_conditions, size=9, color=MUTED)
    return pdf.to_bytes()
