"""The card payment provider interface and the built-in test provider."""

from __future__ import annotations

from datetime import date

import pytest

from espace.billing import card_payments as pp
from espace.billing.card_payments import CardInput, TestProvider, card_brand, luhn_ok, validate_card

TODAY = date(2026, 3, 15)


def card(
    number: str = "4242 4242 4242 4242",
    month: str = "12",
    year: str = "28",
    cvc: str = "123",
    holder: str = "Alix Martin",
) -> CardInput:
    return CardInput(
        number=number, expiry_month=month, expiry_year=year, cvc=cvc, holder_name=holder
    )


def test_luhn():
    assert luhn_ok("4242424242424242")
    assert luhn_ok("378282246310005")
    assert not luhn_ok("4242424242424241")
    assert not luhn_ok("42424242x4242424")


@pytest.mark.parametrize(
    "number, brand",
    [
        ("4242 4242 4242 4242", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("2720990000000007", "Mastercard"),
        ("378282246310005", "American Express"),
        ("341111111111111", "American Express"),
        ("6011111111111117", "CB"),
        ("2721000000000000", "CB"),
    ],
)
def test_brand(number, brand):
    assert card_brand(number) == brand


def test_valid_card_has_no_errors():
    assert validate_card(card(), today=TODAY) == {}
    assert (
        validate_card(card("4242-4242-4242-4242", month="3", year="2026"), today=TODAY) == {}
    )  # current month
    assert validate_card(card("3782 822463 10005", cvc="1234"), today=TODAY) == {}


@pytest.mark.parametrize(
    "number", ["4242 4242 4242 4241", "4242", "4242 4242 4242 4242 4242", "abcd efgh", ""]
)
def test_bad_number(number):
    assert set(validate_card(card(number), today=TODAY)) == {"card_number"}


@pytest.mark.parametrize(
    "month, year",
    [("2", "26"), ("12", "25"), ("13", "28"), ("00", "28"), ("ab", "28"), ("12", "2"), ("", "")],
)
def test_bad_or_past_expiry(month, year):
    errors = validate_card(card(month=month, year=year), today=TODAY)
    assert set(errors) == {"card_expiry"}


def test_expired_message_and_format_message():
    assert "expirée" in validate_card(card(month="02", year="26"), today=TODAY)["card_expiry"]
    assert "MM/AA" in validate_card(card(month="13", year="26"), today=TODAY)["card_expiry"]


def test_cvc_and_holder():
    assert set(validate_card(card(cvc="12"), today=TODAY)) == {"card_cvc"}
    assert set(validate_card(card(cvc="1234"), today=TODAY)) == {"card_cvc"}  # Visa: 3 digits
    assert set(validate_card(card("378282246310005", cvc="123"), today=TODAY)) == {
        "card_cvc"
    }  # Amex: 4
    errors = validate_card(card(holder="  "), today=TODAY)
    assert set(errors) == {"card_holder"} and errors["card_holder"].startswith("Saisissez")


def test_card_number_and_cvc_not_in_repr():
    text = repr(card())
    assert "4242" not in text and "123" not in text and "Alix Martin" in text


def provider() -> TestProvider:
    return TestProvider(today=TODAY)


def test_4242_requires_3ds_then_right_code_succeeds():
    started = provider().start(amount_cents=1250, description="Cotisation", card=card())
    assert started.status == "requires_action"
    assert started.reference.startswith("tst_") and len(started.reference) > 15
    assert (started.brand, started.last4) == ("Visa", "4242")
    assert "123456" in started.challenge_hint
    assert "4242424242424242" not in started.reference
    confirmed = provider().confirm(
        reference=started.reference, code=" 123456 "
    )  # stateless: a new instance
    assert confirmed.status == "succeeded" and confirmed.reference == started.reference


def test_wrong_3ds_code_declines():
    started = provider().start(amount_cents=1250, description="Cotisation", card=card())
    result = provider().confirm(reference=started.reference, code="000000")
    assert (result.status, result.decline_reason) == (
        "declined",
        "Authentification 3-D Secure échouée.",
    )


def test_unknown_reference_fails():
    assert provider().confirm(reference="abc", code="123456").status == "failed"


def test_references_are_random():
    refs = {
        provider().start(amount_cents=100, description="x", card=card()).reference for _ in range(5)
    }
    assert len(refs) == 5


@pytest.mark.parametrize(
    "number, reason",
    [
        ("4000 0000 0000 0002", "Paiement refusé par votre banque."),
        ("4000 0000 0000 9995", "Provision insuffisante."),
        ("4000 0000 0000 0069", "Carte expirée."),
    ],
)
def test_declined_cards(number, reason):
    result = provider().start(amount_cents=1250, description="Cotisation", card=card(number))
    assert (result.status, result.decline_reason, result.last4) == ("declined", reason, number[-4:])


def test_frictionless_mastercard():
    result = provider().start(
        amount_cents=1250, description="Cotisation", card=card("5555 5555 5555 4444")
    )
    assert (result.status, result.brand, result.last4) == ("succeeded", "Mastercard", "4444")


def test_other_valid_number_requires_action():
    result = provider().start(
        amount_cents=1250, description="Cotisation", card=card("4000 0566 5566 5556")
    )
    assert result.status == "requires_action"


def test_provider_validates_like_an_acquirer():
    result = provider().start(
        amount_cents=1250, description="Cotisation", card=card("4242 4242 4242 4241")
    )
    assert result.status == "failed" and result.reference == "" and result.last4 == ""
    assert provider().start(amount_cents=0, description="x", card=card()).status == "failed"


def test_configure_provider(monkeypatch):
    class Fake:
        name = "psp"

    fake = Fake()
    pp.configure_provider(fake)
    try:
        assert pp.get_provider() is fake
    finally:
        pp.configure_provider(None)
    assert isinstance(pp.get_provider(), TestProvider)


def test_no_test_provider_in_production(monkeypatch):
    class Prod:
        env = "prod"

    monkeypatch.setattr(pp, "get_settings", lambda: Prod())
    with pytest.raises(pp.ProviderUnavailable):
        pp.get_provider()
