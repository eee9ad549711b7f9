"""Card payments through a payment service provider (PSP), and a built-in test provider.

In production an insurer plugs its own PSP (its acquirer's API) with ``configure_provider``; with
none plugged, ``get_provider`` refuses to run in production. Elsewhere the default is
``TestProvider``, which behaves like a real acquirer (validation, 3-D Secure challenge, declines)
without any network access, so the whole regularisation path runs offline.

The card number and CVC never leave this module: they are not stored, not logged and hidden from
``repr``; only the brand and the last four digits come back in a ``ProviderResult``.

Test cards of ``TestProvider`` (any future expiry date, any CVC, any holder name):

    4242 4242 4242 4242   3-D Secure requested; code 123456 → accepted, any other code → refused
    5555 5555 5555 4444   accepted without challenge (frictionless)
    4000 0000 0000 0002   refused: « Paiement refusé par votre banque. »
    4000 0000 0000 9995   refused: « Provision insuffisante. »
    4000 0000 0000 0069   refused: « Carte expirée. »
    any other valid number  like 4242 4242 4242 4242
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from espace.core.models import today_paris
from espace.core.settings import get_settings

Status = Literal["succeeded", "requires_action", "declined", "failed"]

# Cartes de test (à afficher dans l'interface en environnement de développement / recette) :
TEST_CARDS: list[tuple[str, str]] = [
    ("4242 4242 4242 4242", "3-D Secure : saisissez le code 123456"),  # authentification demandée
    ("5555 5555 5555 4444", "Paiement accepté sans authentification"),  # sans friction
    ("4000 0000 0000 0002", "Paiement refusé par la banque"),  # refus générique
    ("4000 0000 0000 9995", "Provision insuffisante"),  # refus : solde
    ("4000 0000 0000 0069", "Carte expirée"),  # refus : carte expirée côté banque
]
TEST_3DS_CODE = "123456"  # code 3-D Secure accepté par le fournisseur de test

DECLINE_3DS = "Authentification 3-D Secure échouée."
DECLINE_GENERIC = "Paiement refusé par votre banque."
DECLINE_FUNDS = "Provision insuffisante."
DECLINE_EXPIRED = "Carte expirée."
_TEST_DECLINES = {
    "4000000000000002": DECLINE_GENERIC,
    "4000000000009995": DECLINE_FUNDS,
    "4000000000000069": DECLINE_EXPIRED,
}
_FRICTIONLESS = {"5555555555554444"}


@dataclass(frozen=True)
class CardInput:
    """What the holder typed. Number and CVC are excluded from repr so they never reach a log."""

    number: str = field(repr=False)
    expiry_month: str
    expiry_year: str
    cvc: str = field(repr=False)
    holder_name: str


@dataclass(frozen=True)
class ProviderResult:
    status: Status
    reference: str = ""
    brand: str = ""
    last4: str = ""
    decline_reason: str = ""  # French, shown to the holder
    challenge_hint: str = ""  # French, shown with the 3-D Secure code field


class PaymentProvider(Protocol):
    name: str

    def start(self, *, amount_cents: int, description: str, card: CardInput) -> ProviderResult: ...

    def confirm(self, *, reference: str, code: str) -> ProviderResult: ...


def digits(number: str) -> str:
    """'4242 4242-4242 4242' -> '4242424242424242' (spaces and dashes as typed are allowed)."""
    return re.sub(r"[\s-]", "", number or "")


def luhn_ok(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(number: str) -> str:
    """Brand from the number's prefix; "CB" for the other (domestic) cards."""
    number = digits(number)
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"34", "37"}:
        return "American Express"
    if number[:2].isdigit() and 51 <= int(number[:2]) <= 55:
        return "Mastercard"
    if number[:4].isdigit() and 2221 <= int(number[:4]) <= 2720:
        return "Mastercard"
    return "CB"


def _expiry(card: CardInput) -> tuple[int, int] | None:
    month, year = (card.expiry_month or "").strip(), (card.expiry_year or "").strip()
    if not re.fullmatch(r"\d{1,2}", month) or not re.fullmatch(r"\d{2}|\d{4}", year):
        return None
    month_value, year_value = int(month), int(year)
    if not 1 <= month_value <= 12:
        return None
    return (2000 + year_value if year_value < 100 else year_value), month_value


def validate_card(card: CardInput, *, today: date | None = None) -> dict[str, str]:
    """French errors by field (empty when the card can be sent to the provider)."""
    errors: dict[str, str] = {}
    number = digits(card.number)
    amex = card_brand(number) == "American Express"
    if not number:
        errors["card_number"] = "Saisissez le numéro de votre carte."
    elif not number.isdigit() or not (15 if amex else 13) <= len(number) <= (15 if amex else 19):
        errors["card_number"] = (
            "Le numéro de carte doit comporter 15 chiffres."
            if amex
            else "Le numéro de carte doit comporter de 13 à 19 chiffres."
        )
    elif not luhn_ok(number):
        errors["card_number"] = "Numéro de carte invalide : vérifiez votre saisie."
    expiry = _expiry(card)
    today = today or today_paris()
    if expiry is None:
        errors["card_expiry"] = "Date d'expiration invalide : format MM/AA."
    elif expiry < (today.year, today.month):
        errors["card_expiry"] = "Cette carte est expirée."
    cvc = (card.cvc or "").strip()
    if not re.fullmatch(r"\d{4}" if amex else r"\d{3}", cvc):
        errors["card_cvc"] = f"Le cryptogramme comporte {4 if amex else 3} chiffres."
    if not (card.holder_name or "").strip():
        errors["card_holder"] = "Saisissez le nom du titulaire de la carte."
    return errors


class TestProvider:
    """A stand-in acquirer: validates, authenticates with 3-D Secure and declines like a real one.

    Stateless: ``confirm`` needs only the random reference (which carries nothing about the card)
    and the code; the caller keeps the card brand and last four digits with its own record."""

    __test__ = False  # not a pytest test class
    name = "test"

    def __init__(self, *, today: date | None = None) -> None:
        self._today = today

    def start(self, *, amount_cents: int, description: str, card: CardInput) -> ProviderResult:
        if amount_cents <= 0:
            return ProviderResult(status="failed", decline_reason="Montant invalide.")
        errors = validate_card(card, today=self._today)
        if errors:
            return ProviderResult(status="failed", decline_reason=" ".join(errors.values()))
        number = digits(card.number)
        result = dict(
            reference=f"tst_{secrets.token_urlsafe(18)}",
            brand=card_brand(number),
            last4=number[-4:],
        )
        if number in _TEST_DECLINES:
            return ProviderResult(
                status="declined", decline_reason=_TEST_DECLINES[number], **result
            )
        if number in _FRICTIONLESS:
            return ProviderResult(status="succeeded", **result)
        return ProviderResult(
            status="requires_action",
            **result,
            challenge_hint="Saisissez le code reçu de votre banque (carte de test : 123456).",
        )

    def confirm(self, *, reference: str, code: str) -> ProviderResult:
        if not re.fullmatch(r"tst_[A-Za-z0-9_-]{10,60}", reference or ""):
            return ProviderResult(
                status="failed", reference=reference or "", decline_reason="Transaction inconnue."
            )
        if secrets.compare_digest((code or "").strip().encode(), TEST_3DS_CODE.encode()):
            return ProviderResult(status="succeeded", reference=reference)
        return ProviderResult(status="declined", reference=reference, decline_reason=DECLINE_3DS)


_provider: PaymentProvider | None = None


def configure_provider(provider: PaymentProvider | None) -> None:
    """Plug in the insurer's PSP; ``None`` restores the built-in test provider."""
    global _provider
    _provider = provider


class ProviderUnavailable(RuntimeError):
    """No PSP configured in production (the test provider never takes real payments)."""


def get_provider() -> PaymentProvider:
    if _provider is not None:
        return _provider
    if get_settings().env == "prod":
        raise ProviderUnavailable("no payment provider configured (configure_provider)")
    return TestProvider()
