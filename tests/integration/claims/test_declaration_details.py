"""Declaration details kept from the files themselves: a photo's capture time (read before the
upload is stored), an invoice recognised with its amount."""

from __future__ import annotations

import pytest

from espace.claims import declaration, declaration_contents, declaration_sending
from espace.claims.declaration import ClaimInputError
from tests import factories
from tests.integration.claims.test_claims import _draft, pdf_bytes
from tests.unit.claims.test_recognition import _jpeg


def test_capture_time_and_recognised_amount_are_kept(db):
    claim = _draft(db, factories.holder(db), peril="glass_breakage", amounts=("300",))
    photo = declaration_contents.add_file(
        session=db, claim=claim, data=_jpeg("2026:11:02 18:45:10"), filename="vitre.jpg"
    )
    invoice = declaration_contents.add_file(
        session=db,
        claim=claim,
        data=pdf_bytes("Facture - Total TTC : 280,00 EUR"),
        filename="f.pdf",
        kind="auto",
    )
    assert photo.kind == "photo" and photo.captured_at is not None
    assert photo.captured_at.day == 2 and photo.captured_at.hour in (17, 18)  # stored in UTC
    assert invoice.kind == "invoice" and invoice.detected_amount_cents == 28_000


# ----- a typed address when the loss happened elsewhere ---------------------------------------


def test_a_typed_address_is_kept_with_the_towns_official_spelling_and_sent(db):
    claim = _draft(db, factories.holder(db))
    declaration.set_location(
        session=db,
        claim=claim,
        kind="address",
        street="  12   chemin des Vignes ",
        postal_code="01090",
        town="montmerle sur saone",
    )
    assert claim.location_kind == "address"
    assert (claim.location_street, claim.location_postal_code, claim.location_town) == (
        "12 chemin des Vignes",
        "01090",
        "Montmerle-sur-Saône",
    )
    assert claim.draft_step >= declaration.STEP_ITEMS
    assert (
        declaration.location_text(claim, None) == "12 chemin des Vignes, 01090 Montmerle-sur-Saône"
    )
    sent = declaration_sending.submit(session=db, claim=claim, now=claim.created_at)
    assert sent.claim.number and sent.claim.location_town == "Montmerle-sur-Saône"


@pytest.mark.parametrize(
    ("street", "code", "town", "fields"),
    [
        ("", "01090", "Guéreins", {"location_street"}),
        ("12 rue X", "1090", "Guéreins", {"location_postal_code"}),
        ("12 rue X", "99999", "Guéreins", {"location_postal_code"}),
        ("12 rue X", "01090", "Lyon", {"location_town"}),
        ("12 rue X", "", "", {"location_postal_code", "location_town"}),
    ],
)
def test_a_wrong_address_is_refused_next_to_its_fields_and_the_saved_place_kept(
    db, street, code, town, fields
):
    claim = _draft(db, factories.holder(db))  # located at the insured home
    with pytest.raises(ClaimInputError) as error:
        declaration.set_location(
            session=db, claim=claim, kind="address", street=street, postal_code=code, town=town
        )
    assert set(error.value.errors) == fields
    assert all(message.strip() for message in error.value.errors.values())
    assert claim.location_kind == "property"
    assert (claim.location_street, claim.location_postal_code, claim.location_town) == ("", "", "")


def test_choosing_the_insured_home_again_forgets_the_typed_address(db):
    claim = _draft(db, factories.holder(db))
    declaration.set_location(
        session=db,
        claim=claim,
        kind="address",
        street="3 rue Haute",
        postal_code="75011",
        town="Paris",
    )
    assert claim.location_town == "Paris"
    declaration.set_location(session=db, claim=claim, kind="property")
    assert claim.location_kind == "property"
    assert (claim.location_street, claim.location_postal_code, claim.location_town) == ("", "", "")
