"""The one handler rule (espace/state/handlers.py), checked on every State of the app.

- every handler that does I/O is declared with ``holder_event``/``staff_event``/``blocking_event``;
- a signed-out browser calling any holder handler (with any arguments) is sent to the login page,
  and a holder's session calling any staff handler to the staff login, before the body runs;
- the session is validated once per event, and the body runs in the pool, not on the event loop.
"""

from __future__ import annotations

import asyncio
import inspect
import threading

import pytest
import reflex as rx

import espace.espace  # noqa: F401  (registers every state)
from espace import routes
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.state import handlers
from espace.state.dashboard import DashboardState
from espace.state.session import SessionState
from espace.state.staff import StaffSessionState
from tests import factories

# Handlers that only change what the page shows (no database, no hash, no file): they stay
# synchronous on the loop. Anything else must choose one of the decorators.
PURE = {
    "CancellationState.choose_ground",
    "CancellationState.edit",
    "CancellationState.remove_file",
    "AssistanceState.set_contract",
    "AssistanceState.set_service",
    "AssistanceState.set_situation",
    "AssistantState.cancel_escalation",
    "ComplaintsState.set_topic",
    "ClaimState.set_upload_kind",
    "ClaimWizardState.ask_position",
    "ClaimWizardState.open_address",
    "ClaimWizardState.pick_contract",
    "ClaimWizardState.preview_deadline",
    "ClaimWizardState.set_upload_kind",
    "CoverState.set_moving",
    "CoverState.toggle_compare",
    "DashboardState.toggle_editing",
    "DocumentsState.choose_kind",
    "DocumentsState.close_preview",
    "ForgotState.on_load",
    "NewMessageState.set_category",
    "NotificationsState.push_done",
    "NotificationsState.subscribe_push",
    "PasswordMeterState.clear",
    "PasswordMeterState.update_meter",
    "PaymentsState.cancel_change",
    "PaymentsState.set_export_end",
    "PaymentsState.set_export_start",
    "SearchBoxState.close",
    "SearchBoxState.submit",
    "SecurityState.hide_codes",
    "StaffClaimState.document_rejected",
    "StaffClaimState.report_rejected",
    "StaffClaimState.set_document_kind",
    "StaffClaimState.set_report_summary",
    "StaffLoginState.on_load",
    "StepUpMixin.stepup_cancel",
}
# Public handlers that are async themselves and call off_loop for their blocking part.
ASYNC_PUBLIC = {"LoginState.submit", "StaffLoginState.submit"}


def _espace_states():
    seen, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        for sub in cls.get_substates():
            todo.append(sub)
            if sub.__module__.startswith("espace."):
                seen.append(sub)
    return seen


def _own_handlers():
    """(class, name, handler) for each handler defined by an Espace state (not inherited)."""
    for cls in _espace_states():
        for name, handler in cls.event_handlers.items():
            if name.startswith("set_") and not hasattr(handler.fn, "__qualname__"):
                continue
            qualname = getattr(handler.fn, "__qualname__", "")
            if (
                not qualname
                or "." not in qualname
                or qualname.split(".")[0] not in {c.__name__ for c in cls.__mro__}
            ):
                continue  # Reflex's own (setvar, auto setters...)
            if qualname.split(".")[0] != cls.__name__ and name in _inherited(cls):
                continue
            yield cls, name, handler


def _inherited(cls) -> set[str]:
    parent = cls.get_parent_state()
    return set(parent.event_handlers) if parent is not None else set()


def _label(handler) -> str:
    return handler.fn.__qualname__


def test_every_handler_chose_where_it_runs():
    undecided = set()
    for _cls, name, handler in _own_handlers():
        label = _label(handler)
        if name.startswith("stepup_"):  # copied from the mixin into each page's state
            label = f"StepUpMixin.{name}"
        kind = getattr(handler.fn, "blocking_kind", None)
        if kind is None and label not in PURE | ASYNC_PUBLIC:
            undecided.add(label)
        if label in PURE:
            assert not inspect.iscoroutinefunction(handler.fn), label
    assert undecided == set()


def test_the_app_has_many_signed_in_handlers():
    kinds = [getattr(h.fn, "blocking_kind", None) for _c, _n, h in _own_handlers()]
    assert kinds.count("holder") > 100 and kinds.count("staff") > 30


def _state(cls, cookie: str):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    state._update_router_vars(
        {
            "headers": {"cookie": cookie, "origin": "http://localhost:8000"},
            "pathname": "/tableau-de-bord",
            "asPath": "/tableau-de-bord",
            "query": {},
        },
        {},
    )
    return state


def _redirect_target(spec) -> str | None:
    if isinstance(spec, rx.event.EventSpec) and spec.args:
        return str(getattr(spec.args[0][1], "_var_value", ""))
    return None


def _call(handler, state):
    """Call ``handler`` with one junk value per parameter (it must not matter: the body never
    runs)."""
    params = list(inspect.signature(handler.fn).parameters)[1:]
    return asyncio.run(handler.fn(state, *["x" for _ in params]))


def test_signed_out_browsers_reach_no_holder_handler(engine):
    ran = []
    for cls, _name, handler in _own_handlers():
        if getattr(handler.fn, "blocking_kind", None) != "holder":
            continue
        state = _state(cls, cookie="")
        target = _redirect_target(_call(handler, state))
        if target is None or not target.startswith(routes.LOGIN):
            ran.append(_label(handler))
    assert ran == []


def test_a_holders_session_reaches_no_staff_handler(engine):
    token, _ = factories.committed(lambda db: factories.signed_in(db, factories.holder(db)))
    cookie = f"{get_settings().session_cookie_name}={token}"
    ran = []
    for cls, _name, handler in _own_handlers():
        if getattr(handler.fn, "blocking_kind", None) != "staff":
            continue
        assert issubclass(cls, StaffSessionState)
        if _redirect_target(_call(handler, _state(cls, cookie))) != routes.STAFF_LOGIN:
            ran.append(_label(handler))
    assert ran == []


def test_holder_handlers_belong_to_signed_in_pages():
    for cls, _name, handler in _own_handlers():
        if getattr(handler.fn, "blocking_kind", None) == "holder":
            assert issubclass(cls, SessionState), _label(handler)


@pytest.fixture
def signed_in_dashboard(engine):
    token, principal = factories.committed(lambda db: factories.signed_in(db, factories.holder(db)))
    return _state(DashboardState, f"{get_settings().session_cookie_name}={token}"), principal


def test_the_session_is_validated_once_per_event_and_the_body_runs_off_the_loop(
    signed_in_dashboard, monkeypatch
):
    state, principal = signed_in_dashboard
    validations, threads = [], []
    real_validate = sessions.validate

    def counting_validate(**kwargs):
        validations.append(threading.current_thread().name)
        return real_validate(**kwargs)

    monkeypatch.setattr(sessions, "validate", counting_validate)
    real_refresh = DashboardState._refresh

    def spying_refresh(self, me):
        threads.append(threading.current_thread().name)
        return real_refresh(self, me)

    monkeypatch.setattr(DashboardState, "_refresh", spying_refresh)
    asyncio.run(DashboardState.load.fn(state))
    assert state.loaded and len(validations) == 1
    assert threads and all(name.startswith("espace-blocking") for name in threads + validations)
    validations.clear()
    asyncio.run(DashboardState.move_widget.fn(state, state.slots[0].id, 1))
    assert len(validations) == 1


def test_a_domain_error_becomes_the_french_message_of_the_chosen_var():
    class Page:
        flash = ""

        def _token(self):
            return "t"

    def body(self, me):
        raise LookupError("contract 12 of holder 3")

    wrapped = handlers.holder_event(errors_to="flash")(body)
    page = Page()
    principal = sessions.Principal(session_id=1, account_id=1, holder_id=1)
    original = handlers.validate_token
    handlers.validate_token = lambda token: principal
    try:
        assert asyncio.run(wrapped(page)) is None
    finally:
        handlers.validate_token = original
    assert page.flash == handlers.NOT_FOUND_MESSAGE
