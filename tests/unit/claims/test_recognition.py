"""Recognising documents by their text and reading a photo's capture date from its EXIF."""

from __future__ import annotations

import io
from datetime import date, datetime

from PIL import Image

from espace.claims import recognition
from espace.claims.recognition import PARIS, recognise_text


def _jpeg(exif_date: str | None) -> bytes:
    image = Image.new("RGB", (64, 48), "teal")
    exif = Image.Exif()
    if exif_date:
        exif.get_ifd(recognition.EXIF_IFD)[recognition.DATE_TIME_ORIGINAL] = exif_date
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_an_invoice_and_its_total_after_tax():
    found = recognise_text(
        "FACTURE n° 2026-118\nMiroiterie Dupont\nTotal HT : 266,67 €\nTotal TTC : 320,00 €"
    )
    assert (found.kind, found.amount_cents) == ("invoice", 32_000)


def test_a_quote_with_thousands():
    found = recognise_text("Devis 44\nPlomberie Martin\nMontant total 1 234,50 EUR")
    assert (found.kind, found.amount_cents) == ("quote", 123_450)


def test_an_amount_without_a_total_line():
    assert recognise_text("Facture vitrier : 300 EUR").amount_cents == 30_000


def test_anything_else_is_not_recognised():
    assert recognise_text("Attestation du voisin : 3 vitres cassées").kind == ""
    assert recognise_text("").kind == ""


def test_capture_time_from_exif_and_none_without():
    assert recognition.capture_time(_jpeg("2026:11:02 18:45:10")) == datetime(
        2026, 11, 2, 18, 45, 10, tzinfo=PARIS
    )
    assert recognition.capture_time(_jpeg(None)) is None
    assert recognition.capture_time(b"not an image") is None


def test_a_photo_taken_before_the_loss_is_flagged():
    taken = datetime(2026, 11, 2, 18, 45, tzinfo=PARIS)
    assert recognition.photo_note(taken, date(2026, 11, 5)) == (
        "Prise le 02/11/2026 à 18:45 — attention : avant la date du sinistre",
        True,
    )
    assert recognition.photo_note(taken, date(2026, 11, 2))[1] is False
    assert recognition.photo_note(None, date(2026, 11, 2)) == ("", False)
