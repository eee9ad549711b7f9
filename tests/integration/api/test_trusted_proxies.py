"""Behind a reverse proxy, each visitor keeps their own address (ESPACE_TRUSTED_PROXIES).

The sign-in handler runs as Reflex runs it for a browser whose socket came through the proxy
(``router.session.client_ip`` is the proxy, ``X-Forwarded-For`` the visitor); the hand-off route
gets real HTTP requests from the proxy's address.
"""

from __future__ import annotations

import types
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.core.db import get_engine
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.identity.models import LoginEvent
from espace.state.login import LoginState
from tests import factories
from tests.events import run_handler

PROXY = "10.20.30.40"


@pytest.fixture
def behind_proxy(monkeypatch, engine):
    settings = get_settings()
    monkeypatch.setattr(settings, "trusted_proxies", "10.20.30.0/24")
    monkeypatch.setattr(settings, "ip_block_after", 3)
    monkeypatch.setattr(settings, "ip_slowdown_after", 1000)  # no sleeping in tests


def _browser(peer: str, forwarded_for: str = ""):
    """A stand-in ``self`` for LoginState: the tab of a browser whose socket arrived from
    ``peer``."""
    headers = SimpleNamespace(
        cookie="",
        user_agent="pytest",
        raw_headers={"x-forwarded-for": forwarded_for} if forwarded_for else {},
    )
    tab = SimpleNamespace(
        identifier_error="",
        password_error="",
        form_error="",
        notice="",
        can_resend_activation=False,
        busy=False,
        step="password",
        methods=[],
        method="",
        method_help="",
        code_error="",
        _pending_account_id=None,
        _pending_until=None,
        router=SimpleNamespace(
            session=SimpleNamespace(client_ip=peer),
            headers=headers,
            url=SimpleNamespace(query_parameters={}),
        ),
    )
    for name in ("_client", "_after_password", "_select", "_finish", "_next", "_reset_form"):
        setattr(tab, name, types.MethodType(getattr(LoginState, name), tab))
    return tab


def _submit(tab, email: str, password: str):
    run_handler(LoginState.submit, tab, {"identifier": email, "password": password})
    return tab


def _events(email_ip: str) -> list[LoginEvent]:
    with Session(get_engine()) as db:
        return db.exec(select(LoginEvent).where(LoginEvent.ip_address == email_ip)).all()


def test_one_visitors_failures_behind_the_proxy_do_not_block_the_others(behind_proxy):
    person = factories.committed(lambda db: factories.holder(db))
    for _ in range(3):  # the attacker, through the proxy, hits the per-address limit
        assert (
            "incorrect"
            in _submit(
                _browser(PROXY, "198.18.1.66"), person.email, "Wrong#Password2026"
            ).form_error
        )
    blocked = _submit(_browser(PROXY, "198.18.1.66"), person.email, factories.PASSWORD)
    assert blocked.form_error and blocked.step == "password"
    # another visitor behind the same proxy signs in normally
    victim = _submit(_browser(PROXY, "198.18.1.20"), person.email, factories.PASSWORD)
    assert victim.form_error == "" and (victim.step == "second_factor" or victim.busy)
    assert len(_events("198.18.1.66")) == 4 and not _events(PROXY)


def test_a_forged_header_sent_straight_to_the_app_is_ignored(behind_proxy):
    person = factories.committed(lambda db: factories.holder(db))
    for n in range(3):  # a new "address" each time: the app still counts the real peer
        _submit(_browser("198.18.2.66", f"198.18.2.{100 + n}"), person.email, "Wrong#Password2026")
    assert len(_events("198.18.2.66")) == 3
    blocked = _submit(_browser("198.18.2.66", "198.18.2.200"), person.email, factories.PASSWORD)
    assert blocked.form_error and blocked.step == "password"


def test_the_hand_off_route_records_the_visitor_not_the_proxy(behind_proxy):
    def setup(db):
        return factories.account_of(db, factories.holder(db)).id

    account_id = factories.committed(setup)
    code = factories.committed(
        lambda db: sessions.begin_login(session=db, account_id=account_id, binding="tab")
    )
    with TestClient(build_api(), base_url="http://localhost:8000", client=(PROXY, 40000)) as client:
        client.cookies.set(get_settings().handoff_cookie_name, "tab")
        response = client.get(
            "/api/auth/handoff",
            params={"code": code},
            follow_redirects=False,
            headers={"x-forwarded-for": "198.18.3.7"},
        )
    assert response.headers["location"] == "/tableau-de-bord"
    with Session(get_engine()) as db:
        event = db.exec(select(LoginEvent).where(LoginEvent.account_id == account_id)).one()
    assert event.ip_address == "198.18.3.7"
