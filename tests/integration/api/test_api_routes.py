"""The HTTP routes that set and clear the HttpOnly session cookie."""

import re
import time
import types
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.core.db import session_scope
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from espace.identity import one_time_codes, sessions
from espace.identity.auth import authenticate
from espace.notifications.models import OutboxMessage
from tests import factories
from tests.events import run_handler

COOKIE = "espace_session"
HANDOFF_COOKIE = "espace_handoff"
BINDING = "binding-of-the-tab-that-signed-in"


@pytest.fixture
def client(engine):
    with TestClient(build_api(), base_url="http://localhost:8000") as test_client:
        test_client.cookies.set(
            HANDOFF_COOKIE, BINDING
        )  # what the login tab sets just before the hand-off
        yield test_client


def _code(binding: str = BINDING) -> str:
    with session_scope() as db:
        account = authenticate(session=db, identifier=DEMO_EMAIL, password=DEMO_PASSWORD)
        return sessions.begin_login(session=db, account_id=account.id, binding=binding)


def _valid(token: str) -> bool:
    with session_scope() as db:
        return sessions.validate(session=db, token=token) is not None


def test_handoff_sets_an_httponly_samesite_cookie_and_redirects(client):
    response = client.get(
        "/api/auth/handoff", params={"code": _code(), "suite": "/profil"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/profil"
    assert response.headers["cache-control"] == "no-store"
    set_cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")
    )
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie and "Path=/" in set_cookie
    assert _valid(response.cookies[COOKIE])
    assert any(
        c.startswith(f'{HANDOFF_COOKIE}=""') and "Max-Age=0" in c  # the binding is used up
        for c in response.headers.get_list("set-cookie")
    )


def test_handoff_refuses_reuse_and_open_redirects(client):
    code = _code()
    first = client.get(
        "/api/auth/handoff",
        params={"code": code, "suite": "https://evil.example"},
        follow_redirects=False,
    )
    assert first.headers["location"] == "/tableau-de-bord"
    client.cookies.clear()
    client.cookies.set(HANDOFF_COOKIE, BINDING)
    again = client.get("/api/auth/handoff", params={"code": code}, follow_redirects=False)
    assert again.headers["location"] == "/connexion?info=expire"
    assert COOKIE not in again.cookies


def test_login_rotates_the_previous_session(client):
    first = client.get(
        "/api/auth/handoff", params={"code": _code()}, follow_redirects=False
    ).cookies[COOKIE]
    client.cookies.set(COOKIE, first)
    second = client.get(
        "/api/auth/handoff", params={"code": _code()}, follow_redirects=False
    ).cookies[COOKIE]
    assert first != second
    assert not _valid(first) and _valid(second)


def test_logout_revokes_and_clears_the_cookie(client):
    token = client.get(
        "/api/auth/handoff", params={"code": _code()}, follow_redirects=False
    ).cookies[COOKIE]
    client.cookies.set(COOKIE, token)
    response = client.get(
        "/api/auth/logout", headers={"sec-fetch-site": "same-origin"}, follow_redirects=False
    )
    assert response.headers["location"] == "/connexion?info=deconnecte"
    assert (
        f'{COOKIE}=""' in response.headers["set-cookie"]
        and "Max-Age=0" in response.headers["set-cookie"]
    )
    assert not _valid(token)


def test_cross_site_logout_link_does_not_end_the_session(client):
    token = client.get(
        "/api/auth/handoff", params={"code": _code()}, follow_redirects=False
    ).cookies[COOKIE]
    client.cookies.set(COOKIE, token)
    client.get("/api/auth/logout", headers={"sec-fetch-site": "cross-site"}, follow_redirects=False)
    assert _valid(token)


# ---- login CSRF: an attacker's code sent to a victim's browser signs nobody in -------------------


def _attacker_code() -> str:
    """The attacker signed in with his own password in his own browser and stopped before the
    hand-off."""
    return _code(binding="the-attackers-own-browser")


def test_a_code_without_its_browser_cookie_signs_nobody_in(client):
    # the victim's browser: it never signed in, so it holds no hand-off cookie
    client.cookies.clear()
    response = client.get(
        "/api/auth/handoff", params={"code": _attacker_code()}, follow_redirects=False
    )
    assert response.headers["location"] == "/connexion?info=expire"
    assert COOKIE not in response.cookies


def test_a_code_begun_in_another_browser_is_refused_in_this_one(client):
    # the victim's browser holds a hand-off cookie of its own (it is signing in too): not the
    # attacker's
    response = client.get(
        "/api/auth/handoff", params={"code": _attacker_code()}, follow_redirects=False
    )
    assert response.headers["location"] == "/connexion?info=expire"
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"sec-fetch-site": "none"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
    ],
)
def test_a_hand_off_started_by_another_site_is_refused(client, headers):
    response = client.get(
        "/api/auth/handoff", params={"code": _code()}, headers=headers, follow_redirects=False
    )
    assert response.headers["location"] == "/connexion?info=expire"
    assert COOKIE not in response.cookies


def test_the_tab_that_signed_in_gets_its_session(client):
    response = client.get(
        "/api/auth/handoff",
        params={"code": _code()},
        follow_redirects=False,
        headers={"sec-fetch-site": "same-origin", "origin": "http://localhost:8000"},
    )
    assert response.headers["location"] == "/tableau-de-bord"
    assert _valid(response.cookies[COOKIE])


def _issued_by_the_app(spec) -> tuple[str, str | None]:
    """(code, hand-off cookie value or None) from what a sign-in handler sends to the tab that
    signed in."""
    script = dict((str(k), v._var_value) for k, v in spec.args)["javascript_code"]
    code = re.search(r"code=([^&\"]+)", script).group(1)
    binding = re.search(HANDOFF_COOKIE + r"=([^;\"]+)", script)
    return unquote(code), binding.group(1) if binding else None


def _holder_sign_in():
    """The holder's sign-in handler finishing, exactly as Reflex runs it for the tab that typed the
    password."""
    from espace.state.login import LoginState

    with session_scope() as db:
        account_id = authenticate(session=db, identifier=DEMO_EMAIL, password=DEMO_PASSWORD).id
    tab = SimpleNamespace(
        _pending_account_id=account_id,
        _pending_until=None,
        busy=False,
        _client=lambda: ("203.0.113.9", "pytest"),
        _next=lambda: "",
    )
    return _issued_by_the_app(LoginState._finish(tab, trust=False))


def _staff_sign_in():
    """The back office's code step succeeding, as Reflex runs it for the tab of the staff member."""
    from espace.state.staff import StaffLoginState

    def setup(db):
        staff = factories.staff(db)
        one_time_codes.send_staff_code(session=db, staff=staff)
        message = db.exec(select(OutboxMessage).where(OutboxMessage.recipient == staff.email)).one()
        return staff.id, re.search(r"\b(\d{6})\b", message.body).group(1)

    staff_id, code = factories.committed(setup)
    tab = SimpleNamespace(
        _pending_staff_id=staff_id,
        _pending_since=time.time(),
        form_error="",
        code_error="",
        reset=lambda: None,
        router=SimpleNamespace(
            session=SimpleNamespace(client_ip="203.0.113.9"),
            headers=SimpleNamespace(user_agent="pytest", raw_headers={}),
        ),
    )
    tab._pending_valid = types.MethodType(StaffLoginState._pending_valid, tab)
    return _issued_by_the_app(run_handler(StaffLoginState.verify, tab, {"code": code}))


@pytest.mark.parametrize("sign_in", [_holder_sign_in, _staff_sign_in], ids=["holder", "staff"])
def test_an_attackers_hand_off_link_opened_by_a_victim_signs_her_in_to_nothing(client, sign_in):
    code, _attackers_binding = sign_in()  # the attacker stops here and sends the link to his victim
    client.cookies.clear()  # the victim's browser, cross-site link or not
    for headers in ({"sec-fetch-site": "cross-site"}, {}):
        response = client.get(
            "/api/auth/handoff", params={"code": code}, headers=headers, follow_redirects=False
        )
        assert response.headers["location"] == "/connexion?info=expire"
        assert COOKIE not in response.cookies


@pytest.mark.parametrize("sign_in", [_holder_sign_in, _staff_sign_in], ids=["holder", "staff"])
def test_the_tab_that_typed_the_password_is_signed_in(client, sign_in):
    code, binding = sign_in()
    client.cookies.clear()
    client.cookies.set(HANDOFF_COOKIE, binding)
    response = client.get(
        "/api/auth/handoff",
        params={"code": code},
        headers={"sec-fetch-site": "same-origin"},
        follow_redirects=False,
    )
    assert _valid(response.cookies[COOKIE])


def test_health(client):
    assert client.get("/api/health").json() == {"status": "ok"}
