"""What can be checked of a profile change without the database: the postal address, the mobile
number, the e-mail address's format, and how the history masks a value."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from espace.identity import account_recovery, accounts
from espace.identity.account_recovery import mask_email

ADDRESS, PHONE, EMAIL = "address", "phone", "email"
LINE_MAX, CITY_MAX = 100, 100
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class ProfileError(ValueError):
    """A French message for the person, tied to a form field when ``field`` is set."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Address:
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str = "FR"

    def one_line(self) -> str:
        return ", ".join(
            x for x in (self.line1, self.line2, f"{self.postal_code} {self.city}") if x
        )


def _text(raw: str) -> str:
    """Trimmed, one line, single spaces (no control characters reach a postal label)."""
    return " ".join("".join(c if c.isprintable() else " " for c in (raw or "")).split())


def _departement_exists(code: str) -> bool:
    """Metropolitan départements 01–95 (Corsica's 20xxx: 200–206), overseas 971–976, 986–988."""
    prefix, three = int(code[:2]), int(code[:3])
    if prefix == 20:
        return three <= 206
    if prefix == 97:
        return 971 <= three <= 976
    if prefix == 98:
        return (
            986 <= three <= 988
        )  # Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie (980: Monaco, not France)
    return 1 <= prefix <= 95


def clean_postal_code(raw: str) -> str:
    code = re.sub(r"\s", "", raw or "")
    if not code:
        raise ProfileError("Saisissez le code postal.", "postal_code")
    if not re.fullmatch(r"\d{5}", code):
        raise ProfileError("Le code postal compte 5 chiffres, par exemple 44000.", "postal_code")
    if not _departement_exists(code):
        raise ProfileError(
            "Ce code postal ne correspond à aucun département français.", "postal_code"
        )
    return code


def clean_address(*, line1: str, line2: str, postal_code: str, city: str) -> Address:
    """Raises ProfileError on the first wrong field (see ``address_errors`` for all of them)."""
    errors = address_errors(line1=line1, line2=line2, postal_code=postal_code, city=city)
    if errors:
        field, message = next(iter(errors.items()))
        raise ProfileError(message, field)
    return Address(_text(line1), _text(line2), clean_postal_code(postal_code), _text(city))


def address_errors(*, line1: str, line2: str, postal_code: str, city: str) -> dict[str, str]:
    """Every wrong field of an address form, by input name (empty when the address is fine)."""
    errors: dict[str, str] = {}
    first, second, town = _text(line1), _text(line2), _text(city)
    if not first:
        errors["line1"] = "Saisissez le numéro et la voie, par exemple 12 rue des Lilas."
    elif len(first) > LINE_MAX:
        errors["line1"] = (
            f"{LINE_MAX} caractères au plus : utilisez le complément d'adresse pour la suite."
        )
    if len(second) > LINE_MAX:
        errors["line2"] = f"{LINE_MAX} caractères au plus."
    try:
        clean_postal_code(postal_code)
    except ProfileError as error:
        errors["postal_code"] = str(error)
    if not town or not any(c.isalpha() for c in town):
        errors["city"] = "Saisissez la commune."
    elif len(town) > CITY_MAX:
        errors["city"] = f"{CITY_MAX} caractères au plus."
    return errors


def clean_mobile(raw: str) -> str:
    """A mobile number able to receive SMS, in E.164 (``+33612345678``); French by default."""
    text = (raw or "").strip()
    if not text:
        raise ProfileError("Saisissez votre numéro de mobile.", "phone")
    try:
        number = phonenumbers.parse(text[:40], "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.extension or not phonenumbers.is_valid_number(number):
        raise ProfileError(
            "Ce numéro n'est pas valide : saisissez par exemple 06 12 34 56 78, ou +32 470 12 34 "
            "56 pour un numéro étranger.",
            "phone",
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ProfileError(
            "Ce numéro n'est pas un mobile : saisissez un numéro qui peut recevoir des SMS "
            "(06 ou 07 en France).",
            "phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_new_email(raw: str, *, current: str) -> str:
    """Format and 'not the current one': what can be checked without looking at other accounts."""
    try:
        email = accounts.clean_email((raw or "")[:254])
    except accounts.AccountError as error:
        raise ProfileError(str(error), "email") from None
    if email == (current or "").lower():
        raise ProfileError("C'est déjà votre adresse e-mail actuelle.", "email")
    return email


def masked(field: str, value: str) -> str:
    """What the history shows of a value: phone and e-mail partly hidden, the address in full."""
    if not value:
        return "—"
    if field == PHONE:
        return account_recovery.mask_phone(value)
    return mask_email(value) if field == EMAIL else value
