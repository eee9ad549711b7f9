"""'Mon profil' handlers called as Reflex would call them from a browser, on the real database.

Each state is a real Reflex state whose websocket handshake carried a session cookie (or none).
They prove that every handler re-checks the session, and that nothing is changed or sent to a new
number or address without a fresh second factor."""

from __future__ import annotations

import importlib
import re

import pytest
import reflex as rx
from sqlmodel import Session, select

from espace import routes
from espace.core.db import get_engine
from espace.core.settings import get_settings
from espace.identity import profile, sessions
from espace.identity.models import OneTimeCode, Policyholder, ProfileChange
from espace.notifications.models import OutboxMessage
from espace.state.profile import EmailConfirmState, ProfileState
from tests import factories
from tests.events import run_handler

importlib.import_module("espace.espace")  # registers every state and page
S = ProfileState


def _state(cls, token: str | None, path: str = routes.PROFILE, query: dict | None = None):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    cookie = f"{get_settings().session_cookie_name}={token}" if token else ""
    search = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    state._update_router_vars(
        {
            "headers": {"cookie": cookie, "origin": "http://localhost:8000"},
            "pathname": path,
            "asPath": path + (f"?{search}" if search else ""),
            "query": query or {},
        },
        {},
    )
    return state


def _is_login_redirect(spec) -> bool:
    return (
        isinstance(spec, rx.event.EventSpec)
        and bool(spec.args)
        and str(getattr(spec.args[0][1], "_var_value", "")).startswith(routes.LOGIN)
    )


def _mail(to: str, channel: str = "email") -> list[OutboxMessage]:
    with Session(get_engine()) as db:
        return list(
            db.exec(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == to, OutboxMessage.channel == channel)
                .order_by(OutboxMessage.id)
            ).all()
        )


def _code(to: str, channel: str = "email") -> str:
    return re.search(r"\b(\d{6})\b", _mail(to, channel)[-1].body).group(1)


def _changes(holder_id: int) -> list[ProfileChange]:
    with Session(get_engine()) as db:
        return list(
            db.exec(
                select(ProfileChange)
                .where(ProfileChange.holder_id == holder_id)
                .order_by(ProfileChange.id)
            ).all()
        )


def _holder(holder_id: int) -> Policyholder:
    with Session(get_engine()) as db:
        return db.get(Policyholder, holder_id)


@pytest.fixture
def signed_in(engine):
    """A holder (phone +336…) with a contract and a signed-in session without a recent second
    factor."""

    def setup(db):
        person = factories.holder(db)
        factories.contract(db, person)
        account = factories.account_of(db, person)
        token = sessions.complete_handoff(
            session=db, code=sessions.begin_login(session=db, account_id=account.id)
        )
        principal = sessions.validate(session=db, token=token)
        return person.id, person.email, person.phone, token, principal.session_id

    holder_id, email, phone, token, session_id = factories.committed(setup)
    return {
        "id": holder_id,
        "email": email,
        "phone": phone,
        "token": token,
        "session_id": session_id,
    }


def _step_up_now(signed_in: dict) -> None:
    """A genuine step-up (an e-mailed code typed) in the signed-in session, just now."""
    factories.committed(
        lambda db: factories.step_up(
            db, db.get(Policyholder, signed_in["id"]), session_id=signed_in["session_id"]
        )
    )


def _loaded(token: str):
    state = _state(S, token)
    assert run_handler(S.load, state) is None and state.loaded
    return state


ADDRESS = {"line1": "5 quai de la Fosse", "line2": "", "postal_code": "44000", "city": "Nantes"}


def test_every_handler_sends_a_signed_out_caller_to_login(signed_in):
    calls = [
        (S.load, ()),
        (S.edit, ("email",)),
        (S.close_edit, ()),
        (S.save_address, (ADDRESS,)),
        (S.save_phone, ({"new_phone": "0781234567"},)),
        (S.save_email, ({"new_email": "x@example.com"},)),
        (S.confirm_phone, ({"phone_code": "123456"},)),
        (S.resend_phone, ()),
        (S.resend_email, ()),
        (S.cancel_change, (1,)),
        (S.stepup_submit, ({"stepup_code": "123456"},)),
        (S.stepup_choose, ("email",)),
    ]
    for token in (None, "forged-" + "A" * 40):
        for handler, args in calls:
            state = _state(S, token)
            assert _is_login_redirect(run_handler(handler, state, *args)), handler.fn.__name__
    assert _changes(signed_in["id"]) == []


def test_email_change_waits_for_a_fresh_second_factor(signed_in):
    new = f"handler{signed_in['id']}@example.com"
    _step_up_now(signed_in)  # even right after another check: always asked
    state = _loaded(signed_in["token"])
    run_handler(S.edit, state, "email")
    run_handler(S.save_email, state, {"new_email": new})
    assert state.stepup_for == "email" and state.editing == "email"
    assert _changes(signed_in["id"]) == [] and _mail(new) == []
    step_up_code = _code(signed_in["email"])

    wrong = "000000" if step_up_code != "000000" else "111111"
    run_handler(S.stepup_submit, state, {"stepup_code": wrong})
    assert state.stepup_error and _changes(signed_in["id"]) == [] and _mail(new) == []

    run_handler(S.stepup_submit, state, {"stepup_code": step_up_code})
    [change] = _changes(signed_in["id"])
    assert (change.status, change.new_value, change.second_factor) == ("pending", new, "email")
    assert (
        len(_mail(new)) == 1 and state.pending_email == new and state.pending_email_id == change.id
    )
    assert state.form_values["new_email"] == ""  # the form is closed: the banner takes over


def test_the_address_asks_unless_a_check_was_passed_in_the_last_five_minutes(signed_in):
    state = _loaded(signed_in["token"])
    before = profile.current_address(_holder(signed_in["id"]))
    run_handler(S.save_address, state, {**ADDRESS, "postal_code": "4400"})
    assert state.errors["postal_code"] and state.stepup_for == ""
    assert (
        state.form_values["postal_code"] == "4400"
        and state.form_values["line1"] == ADDRESS["line1"]
    )  # kept
    run_handler(S.save_address, state, ADDRESS)
    assert state.stepup_for == "address"
    assert (
        profile.current_address(_holder(signed_in["id"])) == before
        and _changes(signed_in["id"]) == []
    )

    _step_up_now(signed_in)
    state = _loaded(signed_in["token"])
    run_handler(S.save_address, state, ADDRESS)
    assert state.stepup_for == "" and state.flash == "Votre adresse postale est modifiée."
    assert profile.current_address(_holder(signed_in["id"])) == "5 quai de la Fosse, 44000 Nantes"
    [change] = _changes(signed_in["id"])
    assert (change.field, change.status, change.second_factor) == ("address", "done", "recent")
    assert state.changes[0].what == "Adresse postale"


def test_the_phone_always_asks_and_wrong_codes_are_counted(signed_in):
    _step_up_now(signed_in)
    state = _loaded(signed_in["token"])
    texted = len(_mail("+33781234567", "sms"))  # another test may have texted this number
    run_handler(S.save_phone, state, {"new_phone": "07 81 23 45 67"})
    assert (
        state.stepup_for == "phone"
        and len(_mail("+33781234567", "sms")) == texted
        and _changes(signed_in["id"]) == []
    )
    run_handler(S.stepup_submit, state, {"stepup_code": _code(signed_in["email"])})
    assert state.pending_phone == "07 81 23 45 67" and state.stepup_for == ""
    sms_code = _code("+33781234567", "sms")
    wrong = "000000" if sms_code != "000000" else "111111"
    for _ in range(5):  # each wrong try is committed, so a guesser runs out of tries
        run_handler(S.confirm_phone, state, {"phone_code": wrong})
    run_handler(S.confirm_phone, state, {"phone_code": sms_code})
    assert "Trop d'essais" in state.errors["code"]
    assert _holder(signed_in["id"]).phone == signed_in["phone"]
    with Session(get_engine()) as db:
        assert (
            db.exec(
                select(OneTimeCode)
                .where(OneTimeCode.purpose == "new_phone")
                .order_by(OneTimeCode.id.desc())
            )
            .first()
            .attempts
            == 5
        )


def test_phone_change_confirmed_by_the_handler(signed_in):
    state = _loaded(signed_in["token"])
    run_handler(S.save_phone, state, {"new_phone": "0699887766"})
    run_handler(S.stepup_submit, state, {"stepup_code": _code(signed_in["email"])})
    run_handler(S.confirm_phone, state, {"phone_code": _code("+33699887766", "sms")})
    assert (
        state.flash == "Votre numéro de mobile est modifié et vérifié."
        and state.phone == "06 99 88 77 66"
    )
    assert _holder(signed_in["id"]).phone == "+33699887766"
    assert "remplacé" in _mail(signed_in["phone"], "sms")[-1].body


def test_a_pending_change_of_another_holder_cannot_be_cancelled(signed_in, engine):
    def setup(db):
        other = factories.holder(db)
        return profile.start_phone_change(
            session=db, holder_id=other.id, phone="0781234567", proof=factories.step_up(db, other)
        ).id

    change_id = factories.committed(setup)
    state = _loaded(signed_in["token"])
    run_handler(S.cancel_change, state, change_id)
    with Session(get_engine()) as db:
        assert db.get(ProfileChange, change_id).status == "pending"
    assert state.flash == ""


def test_the_step_up_runs_only_the_action_checked_with_the_values_checked(signed_in):
    """A code typed for one action cannot be replayed for another one, nor without a form sent
    first."""
    state = _loaded(signed_in["token"])
    run_handler(S.stepup_submit, state, {"stepup_code": "123456"})  # nothing was asked
    assert _changes(signed_in["id"]) == []
    run_handler(S.save_email, state, {"new_email": f"premiere{signed_in['id']}@example.com"})
    run_handler(S.edit, state, "address")  # leaving the e-mail form forgets it
    assert state.stepup_for == "" and state._draft == {}
    run_handler(S.stepup_submit, state, {"stepup_code": _code(signed_in["email"])})
    assert _changes(signed_in["id"]) == []


def test_the_confirmation_page_needs_no_session(signed_in):
    new = f"lien{signed_in['id']}@example.com"
    factories.committed(
        lambda db: profile.start_email_change(
            session=db,
            holder_id=signed_in["id"],
            email=new,
            proof=factories.step_up(
                db, db.get(Policyholder, signed_in["id"]), session_id=signed_in["session_id"]
            ),
        )
    )
    token = re.search(r"jeton=([\w-]+)", _mail(new)[-1].body).group(1)
    page = _state(EmailConfirmState, None, routes.EMAIL_CONFIRM, {"jeton": token})
    run_handler(EmailConfirmState.confirm, page)
    assert page.outcome == "ok" and page.new_email == "l•••@example.com"
    assert _holder(signed_in["id"]).email == new
    again = _state(EmailConfirmState, None, routes.EMAIL_CONFIRM, {"jeton": token})
    run_handler(EmailConfirmState.confirm, again)
    assert again.outcome == "invalid" and again.message.startswith("Lien expiré ou déjà utilisé")


def test_wrong_step_up_codes_are_counted_until_the_right_one_is_refused(signed_in):
    """Each wrong code is committed with its handler's work: the fifth locks the account and ends
    the session, so even the right code is refused afterwards."""
    state = _loaded(signed_in["token"])
    run_handler(S.save_email, state, {"new_email": f"guess{signed_in['id']}@example.com"})
    step_up_code = _code(signed_in["email"])
    wrong = "000000" if step_up_code != "000000" else "111111"
    for _ in range(5):
        run_handler(S.stepup_submit, state, {"stepup_code": wrong})
    assert "verrouillé" in state.stepup_error
    assert _is_login_redirect(run_handler(S.stepup_submit, state, {"stepup_code": step_up_code}))
    assert _changes(signed_in["id"]) == []
    with Session(get_engine()) as db:
        assert (
            db.exec(
                select(OneTimeCode)
                .where(OneTimeCode.purpose == "step_up")
                .order_by(OneTimeCode.id.desc())
            )
            .first()
            .attempts
            >= 5
        )
