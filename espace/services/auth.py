"""Checking credentials. Login throttling and second factors build on this (account security)."""

from __future__ import annotations

from sqlmodel import Session, select

from espace.models import Account, Contract, StaffUser
from espace.models.base import utcnow
from espace.services.identifiers import normalise_contract_number, normalise_email
from espace.services.passwords import burn_verification_time, hash_password, verify_password

# One message for every failure: it never tells whether the account exists.
LOGIN_FAILED_MESSAGE = "Identifiant ou mot de passe incorrect."


def find_account(*, session: Session, identifier: str) -> Account | None:
    """Find a portal account by e-mail or by one of the holder's contract numbers."""
    number = normalise_contract_number(identifier)
    if number:
        statement = (
            select(Account)
            .join(Contract, Contract.holder_id == Account.holder_id)
            .where(Contract.number == number)
        )
    else:
        statement = select(Account).where(Account.email == normalise_email(identifier))
    return session.exec(statement).first()


def authenticate(*, session: Session, identifier: str, password: str) -> Account | None:
    """Return the active account matching the credentials, else None.

    The same work is done whether or not the account exists, to keep timings alike.
    """
    account = find_account(session=session, identifier=identifier)
    if account is None:
        burn_verification_time(password)
        return None
    if not verify_password(password, account.password_hash) or not account.is_active:
        return None
    account.last_login_at = utcnow()
    session.add(account)
    return account


def authenticate_staff(*, session: Session, email: str, password: str) -> StaffUser | None:
    staff = session.exec(select(StaffUser).where(StaffUser.email == normalise_email(email))).first()
    if staff is None:
        burn_verification_time(password)
        return None
    if not verify_password(password, staff.password_hash) or not staff.is_active:
        return None
    staff.last_login_at = utcnow()
    session.add(staff)
    return staff


def create_account(*, session: Session, holder_id: int, email: str, password: str) -> Account:
    account = Account(holder_id=holder_id, email=normalise_email(email), password_hash=hash_password(password))
    session.add(account)
    session.flush()
    return account
