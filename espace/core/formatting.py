"""French display formats: amounts as ``1 234,56 €``, dates as ``23/11/2026``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

# Parsed once: babel parses a locale given by name on every call (a third of a page's formatting).
LOCALE = Locale.parse("fr_FR")
PARIS = ZoneInfo("Europe/Paris")


def money(cents: int | None) -> str:
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR", locale=LOCALE)


def number(value: int | float) -> str:
    return format_decimal(value, locale=LOCALE)


def plural(count: int, one: str, other: str) -> str:
    """'1 document', '0 document', '2 documents': French plural rules from babel (CLDR: 0 and 1
    take the singular)."""
    form = Locale.parse(LOCALE).plural_form(abs(count))
    return f"{number(count)} {one if form == 'one' else other}"


def plural_threshold() -> int:
    """The smallest whole number French puts in the plural (CLDR, via babel): pages compare a
    count that only the browser knows against it (see ``components.text.plural``)."""
    locale = Locale.parse(LOCALE)
    return next(n for n in range(100) if locale.plural_form(n) != "one")


def date_fr(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # babel's dd/MM/yyyy


def month_fr(value: date) -> str:
    """ "janvier 2027" (babel's French month names)."""
    return format_date(value, "MMMM y", locale=LOCALE)


def datetime_fr(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo:
        value = value.astimezone(PARIS)
    return format_datetime(value, "dd/MM/yyyy 'à' HH:mm", locale=LOCALE)


def parse_euros(text: str) -> int | None:
    """'1 234,5 €' -> 123450 cents; '' -> None; ValueError for anything that is not an amount."""
    cleaned = (
        (text or "")
        .replace("\u202f", "")
        .replace("\u00a0", "")
        .replace(" ", "")
        .replace("€", "")
        .replace(",", ".")
    )
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return int((value * 100).to_integral_value())


def phone(value: str) -> str:
    """'+33612345678' -> '06 12 34 56 78' (international format for foreign numbers)."""
    import phonenumbers

    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)


def parse_iso_date(raw: str) -> date | None:
    """An <input type=date> value (YYYY-MM-DD); None when empty or not a date."""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def label(labels: Mapping[Any, str], value: str) -> str:
    """The French label of a value stored as text, or the value itself. ``labels`` may be keyed by
    a StrEnum: its members are equal to their text."""
    return labels.get(value, value)
