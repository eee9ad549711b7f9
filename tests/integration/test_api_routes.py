"""The HTTP routes that set and clear the HttpOnly session cookie."""

import pytest
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.db import session_scope
from espace.services import sessions
from espace.services.auth import authenticate
from espace.services.seed import DEMO_EMAIL, DEMO_PASSWORD

COOKIE = "espace_session"


@pytest.fixture
def client(engine):
    with TestClient(build_api(), base_url="http://localhost:8000") as test_client:
        yield test_client


def _code() -> str:
    with session_scope() as db:
        account = authenticate(session=db, identifier=DEMO_EMAIL, password=DEMO_PASSWORD)
        return sessions.begin_login(session=db, account_id=account.id)


def _valid(token: str) -> bool:
    with session_scope() as db:
        return sessions.validate(session=db, token=token) is not None


def test_handoff_sets_an_httponly_samesite_cookie_and_redirects(client):
    response = client.get("/api/auth/handoff", params={"code": _code(), "suite": "/profil"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/profil"
    assert response.headers["cache-control"] == "no-store"
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie and "Path=/" in set_cookie
    assert _valid(response.cookies[COOKIE])


def test_handoff_refuses_reuse_and_open_redirects(client):
    code = _code()
    first = client.get("/api/auth/handoff", params={"code": code, "suite": "https://evil.example"},
                       follow_redirects=False)
    assert first.headers["location"] == "/tableau-de-bord"
    client.cookies.clear()
    again = client.get("/api/auth/handoff", params={"code": code}, follow_redirects=False)
    assert again.headers["location"] == "/connexion?info=expire"
    assert "set-cookie" not in again.headers


def test_login_rotates_the_previous_session(client):
    first = client.get("/api/auth/handoff", params={"code": _code()}, follow_redirects=False).cookies[COOKIE]
    client.cookies.set(COOKIE, first)
    second = client.get("/api/auth/handoff", params={"code": _code()}, follow_redirects=False).cookies[COOKIE]
    assert first != second
    assert not _valid(first) and _valid(second)


def test_logout_revokes_and_clears_the_cookie(client):
    token = client.get("/api/auth/handoff", params={"code": _code()}, follow_redirects=False).cookies[COOKIE]
    client.cookies.set(COOKIE, token)
    response = client.get("/api/auth/logout", headers={"sec-fetch-site": "same-origin"}, follow_redirects=False)
    assert response.headers["location"] == "/connexion?info=deconnecte"
    assert f'{COOKIE}=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert not _valid(token)


def test_cross_site_logout_link_does_not_end_the_session(client):
    token = client.get("/api/auth/handoff", params={"code": _code()}, follow_redirects=False).cookies[COOKIE]
    client.cookies.set(COOKIE, token)
    client.get("/api/auth/logout", headers={"sec-fetch-site": "cross-site"}, follow_redirects=False)
    assert _valid(token)


def test_health(client):
    assert client.get("/api/health").json() == {"status": "ok"}
