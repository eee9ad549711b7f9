"""Wrong codes and passwords are committed by the services themselves, whatever the caller's
transaction does.

Each caller here rolls its work back after the wrong code (as ``session_scope`` does on an error,
and as an API request or a job might): the count, the code's tries, the connection-history line and
the lock stay. Run on SQLite here and on PostgreSQL in test_postgres.py (``check_*`` functions
shared with it).
"""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from espace.core import crypto
from espace.core.models import utcnow
from espace.identity import accounts, auth, one_time_codes, sessions, stepup
from espace.identity.models import (
    Account,
    AuthSession,
    LoginEvent,
    LoginResult,
    OneTimeCode,
    StaffUser,
)
from espace.identity.second_factor import SecondFactorError
from espace.notifications.models import OutboxMessage
from tests import factories


def _committed(engine: Engine, fn):
    with Session(engine, expire_on_commit=False) as db:
        result = fn(db)
        db.commit()
        return result


def _holder_with_app(engine: Engine) -> tuple[int, int, pyotp.TOTP]:
    """(account id, signed-in session id, authenticator) of a new committed holder."""

    def setup(db):
        person = factories.holder(db)
        account = factories.account_of(db, person)
        secret = pyotp.random_base32()
        account.totp_secret_encrypted, account.totp_enabled_at = (
            crypto.encrypt(secret, purpose=b"totp"),
            utcnow(),
        )
        db.add(account)
        token = sessions.complete_handoff(
            session=db, code=sessions.begin_login(session=db, account_id=account.id)
        )
        return account.id, sessions.validate(session=db, token=token).session_id, pyotp.TOTP(secret)

    return _committed(engine, setup)


def _rolled_back(engine: Engine, fn, *, write_first: bool = False) -> None:
    """Call ``fn(db)`` (which raises SecondFactorError or AccountError), then roll the caller's work
    back."""
    with Session(engine, expire_on_commit=False) as db:
        if write_first:  # the caller already wrote something in its transaction
            db.add(
                OutboxMessage(
                    channel="email",
                    recipient="caller@example.com",
                    subject="caller's work",
                    body="x",
                )
            )
            db.flush()
        with pytest.raises((SecondFactorError, accounts.AccountError)):
            fn(db)
        db.rollback()


def _account(engine: Engine, account_id: int) -> Account:
    with Session(engine) as db:
        return db.get(Account, account_id)


def _events(engine: Engine, account_id: int, result: str) -> int:
    with Session(engine) as db:
        return db.exec(
            select(func.count())
            .select_from(LoginEvent)
            .where(LoginEvent.account_id == account_id, LoginEvent.result == result)
        ).one()


def check_step_up_failures_survive_the_callers_rollback(
    engine: Engine, *, write_first: bool
) -> None:
    account_id, session_id, app = _holder_with_app(engine)
    wrong = "000000" if app.now() != "000000" else "111111"
    for tries in range(1, 6):
        _rolled_back(
            engine,
            lambda db: stepup.complete_step_up(
                session=db,
                account=db.get(Account, account_id),
                session_id=session_id,
                method="totp",
                code=wrong,
            ),
            write_first=write_first,
        )
        assert _events(engine, account_id, LoginResult.SECOND_FACTOR_FAILED) == tries
    account = _account(engine, account_id)
    assert (
        auth.is_locked(account) and account.failed_code_count == 0
    )  # the fifth locked (and reset the count)
    with Session(engine) as db:
        assert (
            db.get(AuthSession, session_id).revoked_at is not None
        )  # the guessing session was ended
        assert (
            db.exec(
                select(OutboxMessage).where(OutboxMessage.recipient == "caller@example.com")
            ).first()
            is None
        )
        locked_mail = db.exec(
            select(OutboxMessage)
            .where(OutboxMessage.account_id == account_id)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert locked_mail.subject == "Votre espace est verrouillé pendant 30 minutes"


def check_code_tries_survive_the_callers_rollback(engine: Engine, *, write_first: bool) -> None:
    def setup(db):
        person = factories.holder(db)
        account = factories.account_of(db, person)
        one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
        return account.id, factories.last_code(db, account.email)

    account_id, code = _committed(engine, setup)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        _rolled_back(
            engine,
            lambda db: auth.verify_second_factor(
                session=db, account_id=account_id, method="email", code=wrong
            ),
            write_first=write_first,
        )
    with Session(engine) as db:
        row = db.exec(select(OneTimeCode).where(OneTimeCode.account_id == account_id)).one()
    assert row.attempts == 3 and row.used_at is None
    assert _account(engine, account_id).failed_code_count == 3
    assert _events(engine, account_id, LoginResult.SECOND_FACTOR_FAILED) == 3


def check_password_change_failures_survive_the_callers_rollback(engine: Engine) -> None:
    def setup(db):
        person = factories.holder(db)
        return factories.account_of(db, person).id, factories.signed_in_with_step_up(db, person)[2]

    account_id, proof = _committed(engine, setup)
    for _ in range(2):
        _rolled_back(
            engine,
            lambda db: accounts.change_password(
                session=db,
                account_id=account_id,
                current="Devine#Peut-Etre2026",
                new="Girafe#Bleue-Quai2027",
                confirm="Girafe#Bleue-Quai2027",
                proof=proof,
                ip="192.0.2.77",
            ),
        )
    assert _account(engine, account_id).failed_login_count == 2
    assert _events(engine, account_id, LoginResult.BAD_CREDENTIALS) == 2


def check_a_committing_caller_counts_once(engine: Engine) -> None:
    account_id, session_id, app = _holder_with_app(engine)
    wrong = "000000" if app.now() != "000000" else "111111"
    with Session(engine, expire_on_commit=False) as db:
        db.add(
            OutboxMessage(
                channel="email",
                recipient="committer@example.com",
                subject="committed work",
                body="x",
            )
        )
        db.flush()
        with pytest.raises(SecondFactorError):
            stepup.complete_step_up(
                session=db,
                account=db.get(Account, account_id),
                session_id=session_id,
                method="totp",
                code=wrong,
            )
        db.commit()
    assert _account(engine, account_id).failed_code_count == 1
    assert _events(engine, account_id, LoginResult.SECOND_FACTOR_FAILED) == 1


# ---- on SQLite (the embedded default) ------------------------------------------------------------


@pytest.mark.parametrize(
    "write_first", [False, True], ids=["caller-read-only", "caller-already-wrote"]
)
def test_step_up_failures_survive_the_callers_rollback(engine, write_first):
    check_step_up_failures_survive_the_callers_rollback(engine, write_first=write_first)


@pytest.mark.parametrize(
    "write_first", [False, True], ids=["caller-read-only", "caller-already-wrote"]
)
def test_code_tries_survive_the_callers_rollback(engine, write_first):
    check_code_tries_survive_the_callers_rollback(engine, write_first=write_first)


def test_password_change_failures_survive_the_callers_rollback(engine):
    check_password_change_failures_survive_the_callers_rollback(engine)


def test_a_committing_caller_counts_once(engine):
    check_a_committing_caller_counts_once(engine)


def test_staff_failures_survive_the_callers_rollback(engine):
    def setup(db):
        staff = factories.staff(db)
        one_time_codes.send_staff_code(session=db, staff=staff)
        message = db.exec(select(OutboxMessage).where(OutboxMessage.recipient == staff.email)).one()
        return staff.id, staff.email, re.search(r"\b(\d{6})\b", message.body).group(1)

    staff_id, email, code = _committed(engine, setup)
    wrong = "000000" if code != "000000" else "111111"
    _rolled_back(
        engine, lambda db: auth.verify_staff_code(session=db, staff_id=staff_id, code=wrong)
    )
    with Session(engine) as db:
        staff = db.get(StaffUser, staff_id)
        assert staff.failed_code_count == 1
        assert (
            auth.authenticate_staff(session=db, email=email, password="Mauvais#Essai2026") is None
        )
        db.rollback()
    with Session(engine) as db:
        assert db.get(StaffUser, staff_id).failed_login_count == 1
