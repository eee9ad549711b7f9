"""Declaration details kept from the files themselves: a photo's capture time (read before the
upload is stored), an invoice recognised with its amount."""

from __future__ import annotations

from espace.claims import declaration
from tests import factories
from tests.integration.claims.test_claims import _draft, pdf_bytes
from tests.unit.claims.test_recognition import _jpeg


def test_capture_time_and_recognised_amount_are_kept(db):
    claim = _draft(db, factories.holder(db), peril="glass_breakage", amounts=("300",))
    photo = declaration.add_file(
        session=db, claim=claim, data=_jpeg("2026:11:02 18:45:10"), filename="vitre.jpg"
    )
    invoice = declaration.add_file(
        session=db,
        claim=claim,
        data=pdf_bytes("Facture - Total TTC : 280,00 EUR"),
        filename="f.pdf",
        kind="auto",
    )
    assert photo.kind == "photo" and photo.captured_at is not None
    assert photo.captured_at.day == 2 and photo.captured_at.hour in (17, 18)  # stored in UTC
    assert invoice.kind == "invoice" and invoice.detected_amount_cents == 28_000
