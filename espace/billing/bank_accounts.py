"""The holder's bank accounts for direct debits: IBAN/BIC checks (``bank_details``), encryption at
rest, default account.

The full IBAN is only ever held encrypted (``iban_encrypted``); lists and messages show it masked.
It never appears in a log line nor in an exception message. Only the mandate PDF decrypts it
(`full_iban`)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlmodel import Session, select

from espace.billing.bank_details import MESSAGES, _bank_name, check_fields, normalise
from espace.billing.models import (
    BankAccount,
    MandateStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    SepaMandate,
)
from espace.contracts.models import Contract, ContractStatus
from espace.core import crypto
from espace.core.models import utcnow
from espace.identity import stepup
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.stepup import StepUpProof
from espace.webhooks.events import emit

IBAN_PURPOSE = b"iban"
FINGERPRINT_PURPOSE = b"iban-fingerprint"
BULLETS = "••••"


class BankAccountError(ValueError):
    """Refused input or action; ``errors`` maps a field id (iban, bic, account_holder, label,
    account) to French."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


def fingerprint(iban: str) -> str:
    """Keyed digest of the normalised IBAN: compares accounts without decrypting, useless without
    the key."""
    return hmac.new(
        crypto._key(FINGERPRINT_PURPOSE), normalise(iban).encode(), hashlib.sha256
    ).hexdigest()


def masked(account: BankAccount) -> str:
    """'FR76 •••• •••• •••• 1234': always three groups, whatever the IBAN's length."""
    return " ".join([account.iban_prefix, BULLETS, BULLETS, BULLETS, account.iban_last4])


def full_iban(account: BankAccount) -> str:
    """The decrypted IBAN, for the mandate PDF only."""
    return crypto.decrypt(account.iban_encrypted, purpose=IBAN_PURPOSE)


def grouped(iban: str) -> str:
    """'FR76 3000 6000 0112 3456 7890 189'."""
    compact = normalise(iban)
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------


def _owned_query(holder_id: int):
    return select(BankAccount).where(
        BankAccount.holder_id == holder_id, BankAccount.removed_at.is_(None)
    )


def add_account(
    *,
    session: Session,
    holder_id: int,
    iban: str,
    bic: str,
    account_holder: str,
    authority: StepUpProof | InsurerRecord,
    label: str = "",
    now: datetime | None = None,
) -> BankAccount:
    """Check and record a new account (not the default one: that needs a signed mandate).

    Needs the holder's step-up proof (or the insurer's record of an account given outside the
    portal)."""
    stepup.require_authority(session=session, authority=authority, holder_id=holder_id, now=now)
    errors, parsed, bic_value = check_fields(
        iban=iban, bic=bic, account_holder=account_holder, label=label
    )
    if parsed is not None and "iban" not in errors:
        digest = fingerprint(parsed.compact)
        if (
            session.exec(
                _owned_query(holder_id).where(BankAccount.iban_fingerprint == digest)
            ).first()
            is not None
        ):
            errors["iban"] = MESSAGES["iban_duplicate"]
    if errors:
        raise BankAccountError(errors)
    compact = str(parsed.compact)
    account = BankAccount(
        holder_id=holder_id,
        label=label.strip(),
        account_holder=" ".join(account_holder.split()),
        iban_encrypted=crypto.encrypt(compact, purpose=IBAN_PURPOSE),
        iban_fingerprint=fingerprint(compact),
        iban_prefix=compact[:4],
        iban_last4=compact[-4:],
        bic=bic_value,
        bank_name=_bank_name(parsed, bic_value),
    )
    session.add(account)
    session.flush()
    from espace.billing import refunds  # refunds reads the accounts: imported here, no cycle

    refunds.attach_account(session=session, holder_id=holder_id, account=account)
    emit(
        "holder.iban_changed",
        {"holder_id": holder_id, "bank_account_id": account.id, "change": "added"},
        session=session,
    )
    return account


def list_accounts(*, session: Session, holder_id: int) -> list[BankAccount]:
    """Accounts not removed, the default one first, then the oldest first."""
    query = _owned_query(holder_id).order_by(
        BankAccount.is_default.desc(), BankAccount.created_at, BankAccount.id
    )
    return list(session.exec(query).all())


def owned_account(*, session: Session, holder_id: int, account_id: int) -> BankAccount | None:
    """The account if it belongs to this holder and is not removed; None otherwise."""
    return session.exec(_owned_query(holder_id).where(BankAccount.id == account_id)).first()


def default_account(*, session: Session, holder_id: int) -> BankAccount | None:
    return session.exec(_owned_query(holder_id).where(BankAccount.is_default.is_(True))).first()


def _has_active_mandate(session: Session, account_id: int) -> bool:
    return (
        session.exec(
            select(SepaMandate.id).where(
                SepaMandate.bank_account_id == account_id,
                SepaMandate.status == MandateStatus.ACTIVE,
            )
        ).first()
        is not None
    )


def make_default(*, session: Session, holder_id: int, account: BankAccount) -> None:
    """Mark `account` (already checked) as the one for direct debits; unmark the others."""
    for other in session.exec(
        _owned_query(holder_id).where(BankAccount.is_default.is_(True))
    ).all():
        if other.id != account.id:
            other.is_default = False
            session.add(other)
    account.is_default = True
    session.add(account)
    session.flush()


def set_default(*, session: Session, holder_id: int, account_id: int) -> BankAccount:
    account = owned_account(session=session, holder_id=holder_id, account_id=account_id)
    if account is None:
        raise BankAccountError({"account": MESSAGES["not_found"]})
    if not _has_active_mandate(session, account.id):
        raise BankAccountError({"account": MESSAGES["mandate_first"]})
    make_default(session=session, holder_id=holder_id, account=account)
    return account


def _debited_contracts(session: Session, holder_id: int) -> bool:
    """Whether an active contract of the holder is paid by direct debit.

    A contract has no payment method of its own: it counts unless all its scheduled instalments
    are paid another way (direct debit is the default method)."""
    contracts = session.exec(
        select(Contract.id).where(
            Contract.holder_id == holder_id, Contract.status == ContractStatus.ACTIVE
        )
    ).all()
    for contract_id in contracts:
        methods = set(
            session.exec(
                select(Payment.method).where(
                    Payment.contract_id == contract_id, Payment.status == PaymentStatus.SCHEDULED
                )
            ).all()
        )
        if not methods or PaymentMethod.SEPA_DEBIT in methods:
            return True
    return False


def check_can_drop_default(
    *, session: Session, holder_id: int, account: BankAccount, revoking: bool = False
) -> None:
    """Raise if `account` is the default one and debits still need it (another account or active
    contracts).

    `revoking`: the messages speak of revoking its mandate rather than removing the account."""
    if not account.is_default:
        return
    prefix = "revoke_" if revoking else ""
    others = session.exec(_owned_query(holder_id).where(BankAccount.id != account.id)).first()
    if others is not None:
        raise BankAccountError({"account": MESSAGES[f"{prefix}choose_other"]})
    if _debited_contracts(session, holder_id):
        raise BankAccountError({"account": MESSAGES[f"{prefix}debits_running"]})


def remove_account(
    *,
    session: Session,
    holder_id: int,
    account_id: int,
    authority: StepUpProof | InsurerRecord,
    now: datetime | None = None,
) -> BankAccount:
    """Remove an owned account and revoke its mandates: needs the holder's step-up proof (or the
    insurer's record)."""
    stepup.require_authority(session=session, authority=authority, holder_id=holder_id, now=now)
    account = owned_account(session=session, holder_id=holder_id, account_id=account_id)
    if account is None:
        raise BankAccountError({"account": MESSAGES["not_found"]})
    check_can_drop_default(session=session, holder_id=holder_id, account=account)
    now = now or utcnow()
    for mandate in session.exec(
        select(SepaMandate).where(
            SepaMandate.bank_account_id == account.id, SepaMandate.status == MandateStatus.ACTIVE
        )
    ).all():
        mandate.status, mandate.revoked_at = MandateStatus.REVOKED, now
        session.add(mandate)
    account.removed_at, account.is_default = now, False
    session.add(account)
    session.flush()
    emit(
        "holder.iban_changed",
        {"holder_id": holder_id, "bank_account_id": account.id, "change": "removed"},
        session=session,
    )
    return account
