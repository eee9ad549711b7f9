"""Builders of test data. Each returns flushed rows (ids set) in the given session."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date

from sqlmodel import Session, select

from espace.contracts.models import Contract, Formula, InsuredProperty, Occupancy, PropertyType
from espace.core.models import utcnow
from espace.identity.models import Account, Policyholder, StaffUser
from espace.identity.passwords import hash_password

PASSWORD = "Tournesol#Test2026"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def holder(
    session: Session, *, password: str = PASSWORD, with_account: bool = True, **fields
) -> Policyholder:
    n = next(_counter)
    person = Policyholder(
        **{
            "civility": "Mme",
            "first_name": "Alix",
            "last_name": f"Assurée{n}",
            "birth_date": date(1990, 1, 1),
            "email": f"test{n}@example.com",
            "phone": f"+336{10_000_000 + n:08d}",
            "address_line1": f"{n} rue du Test",
            "postal_code": "75011",
            "city": "Paris",
            **fields,
        }
    )
    session.add(person)
    session.flush()
    if with_account:
        session.add(
            Account(
                holder_id=person.id,
                email=person.email,
                password_hash=_hash(password),
                activated_at=utcnow(),
            )
        )
        session.flush()
    return person


def account_of(session: Session, person: Policyholder) -> Account:
    return session.exec(select(Account).where(Account.holder_id == person.id)).one()


def contract(
    session: Session,
    person: Policyholder,
    *,
    formula_code: str = "CONFORT",
    city: str = "Nantes",
    number: str | None = None,
    options: tuple[str, ...] = (),
    priced: bool = False,
    **fields,
) -> Contract:
    """A contract with its first version of terms from its start date (as a subscription records
    it); ``priced``: premium and option prices from the tariff engine instead of the fixed test
    amounts."""
    prop = InsuredProperty(
        holder_id=person.id,
        address_line1="1 place du Commerce",
        postal_code="44000",
        city=city,
        property_type=PropertyType.FLAT,
        rooms=2,
        surface_m2=45,
        occupancy=Occupancy.TENANT,
    )
    session.add(prop)
    session.flush()
    formula = session.exec(select(Formula).where(Formula.code == formula_code)).one()
    row = Contract(
        **{
            "number": number or f"MRH{9_000_000 + next(_counter):07d}",
            "holder_id": person.id,
            "property_id": prop.id,
            "formula_id": formula.id,
            "furniture_capital_cents": 1_500_000,
            "deductible_cents": 15_000,
            "annual_premium_cents": 15_000,
            "annual_tax_cents": 1_239,
            "start_date": date(2024, 2, 29),
            **fields,
        }
    )
    session.add(row)
    session.flush()
    if priced or options:
        from espace.demo.seed import price_contract

        price_contract(session, row, prop, formula_code, tuple(options))
    else:
        from espace.contracts import terms

        terms.record_initial(session=session, contract=row)
    session.flush()
    return row


def staff(session: Session, *, role: str = "handler", password: str = PASSWORD) -> StaffUser:
    n = next(_counter)
    user = StaffUser(
        email=f"staff{n}@espace.example",
        full_name=f"Agent {n}",
        role=role,
        password_hash=_hash(password),
    )
    session.add(user)
    session.flush()
    return user


def committed(fn):
    """Run ``fn(db)`` in its own session and commit, for tests whose code under test opens its own
    sessions (state handlers, API routes); returns what ``fn`` returned, usable after the commit."""
    from espace.core.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as db:
        result = fn(db)
        db.commit()
        return result


def signed_in(session: Session, person: Policyholder):
    """(session token, Principal) of a fresh signed-in portal session of ``person``."""
    from espace.identity import sessions

    account = account_of(session, person)
    token = sessions.complete_handoff(
        session=session, code=sessions.begin_login(session=session, account_id=account.id)
    )
    return token, sessions.validate(session=session, token=token)


def last_code(session: Session, to: str, channel: str = "email") -> str:
    """The 6-digit code of the latest message sent to ``to``."""
    import re

    from espace.notifications.models import OutboxMessage

    message = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == to, OutboxMessage.channel == channel)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def step_up(session: Session, person: Policyholder, *, session_id: int | None = None, now=None):
    """A genuine step-up proof of ``person`` (an account without an authenticator app): a code
    e-mailed and typed in a signed-in session (a new one unless ``session_id``), as
    ``stepup.complete_step_up`` checks it."""
    from espace.identity import one_time_codes, stepup

    account = account_of(session, person)
    if session_id is None:
        session_id = signed_in(session, person)[1].session_id
    with contextlib.suppress(
        one_time_codes.CodeThrottled
    ):  # a code sent moments ago is still pending: typed here
        stepup.start_step_up(session=session, account=account, method="email")
    return stepup.complete_step_up(
        session=session,
        account=account,
        session_id=session_id,
        method="email",
        code=last_code(session, account.email),
        now=now,
    )


def signed_in_with_step_up(session: Session, person: Policyholder):
    """(session token, Principal, StepUpProof) of a fresh session of ``person`` that just passed a
    step-up."""
    token, principal = signed_in(session, person)
    return token, principal, step_up(session, person, session_id=principal.session_id)
