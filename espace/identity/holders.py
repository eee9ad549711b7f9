"""Policyholders as the insurer's core system knows them: registration and corrections of the
insurer's record (the API, the demo data and imports call these).

The holder's own changes from the portal (address, mobile, login e-mail) go through
``identity.profile`` with their confirmations; these functions change the insurer's record of the
person, never the login e-mail of an existing account."""

from __future__ import annotations

from datetime import date

import phonenumbers
from sqlmodel import Session, select

from espace.identity import accounts, profile_validation
from espace.identity.models import Civility, Policyholder
from espace.identity.profile_validation import ProfileError

NAME_MAX = 100


def _name(raw: str, field: str) -> str:
    text = " ".join((raw or "").split())
    if not text or not any(c.isalpha() for c in text):
        raise ProfileError("Saisissez le nom.", field)
    if len(text) > NAME_MAX:
        raise ProfileError(f"{NAME_MAX} caractères au plus.", field)
    return text


def _phone(raw: str) -> str:
    """The number the insurer's system holds, in E.164: a possible number, landline or mobile (the
    holder's own change of mobile goes through ``profile``, which demands a mobile)."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text[:40], "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ProfileError("Numéro de téléphone invalide, par exemple 06 12 34 56 78.", "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(raw: str) -> str:
    try:
        return accounts.clean_email((raw or "")[:254])
    except accounts.AccountError as error:
        raise ProfileError(str(error), "email") from None


def _birth(day: date, today: date) -> date:
    if day > today or day.year < today.year - 120:
        raise ProfileError("Date de naissance invalide.", "birth_date")
    return day


def register_holder(
    *,
    session: Session,
    civility: str,
    first_name: str,
    last_name: str,
    birth_date: date,
    email: str,
    address_line1: str,
    postal_code: str,
    city: str,
    address_line2: str = "",
    phone: str = "",
    today: date | None = None,
) -> Policyholder:
    """A new policyholder (no account: the holder signs up with a contract number)."""
    if civility not in {c.value for c in Civility}:
        raise ProfileError("Civilité : M. ou Mme.", "civility")
    address = profile_validation.clean_address(
        line1=address_line1, line2=address_line2, postal_code=postal_code, city=city
    )
    holder = Policyholder(
        civility=civility,
        first_name=_name(first_name, "first_name"),
        last_name=_name(last_name, "last_name"),
        birth_date=_birth(birth_date, today or date.today()),
        email=_email(email),
        phone=_phone(phone),
        address_line1=address.line1,
        address_line2=address.line2,
        postal_code=address.postal_code,
        city=address.city,
    )
    session.add(holder)
    session.flush()
    return holder


def correct_record(
    *,
    session: Session,
    holder_id: int,
    email: str | None = None,
    phone: str | None = None,
    address: dict[str, str] | None = None,
) -> Policyholder:
    """The insurer corrects its record of the holder's contact details (not the login e-mail)."""
    holder = session.exec(select(Policyholder).where(Policyholder.id == holder_id)).first()
    if holder is None:
        raise LookupError("holder")
    if email is not None:
        holder.email = _email(email)
    if phone is not None:
        holder.phone = _phone(phone)
    if address is not None:
        clean = profile_validation.clean_address(
            line1=address.get("line1", ""),
            line2=address.get("line2", ""),
            postal_code=address.get("postal_code", ""),
            city=address.get("city", ""),
        )
        holder.address_line1, holder.address_line2 = clean.line1, clean.line2
        holder.postal_code, holder.city = clean.postal_code, clean.city
    session.add(holder)
    session.flush()
    return holder
