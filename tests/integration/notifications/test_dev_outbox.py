"""The development mailbox shows one-time codes and sign-in links: only outside production, and only
to a browser on this machine, whether it asks for the page over HTTP or calls the state's
handler."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from espace.api.headers import security_headers
from espace.core.settings import get_settings
from espace.notifications import outbox
from espace.state.dev_outbox import OutboxState
from tests import factories
from tests.events import run_handler


def _tab(peer: str, forwarded_for: str = ""):
    """A stand-in ``self``: the socket of a browser at ``peer`` calling OutboxState.load."""
    raw = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return SimpleNamespace(
        items=[],
        enabled=False,
        router=SimpleNamespace(
            session=SimpleNamespace(client_ip=peer), headers=SimpleNamespace(raw_headers=raw)
        ),
    )


@pytest.fixture
def a_code_in_the_outbox(engine):
    factories.committed(
        lambda db: outbox.send_email(
            session=db, to="victim@example.com", subject="Votre code", body="Votre code : 123456"
        )
    )


def test_a_browser_on_this_machine_reads_the_mailbox(a_code_in_the_outbox):
    tab = _tab("127.0.0.1")
    assert run_handler(OutboxState.load, tab) is None
    assert tab.enabled and any(item.recipient == "victim@example.com" for item in tab.items)


@pytest.mark.parametrize(
    "peer, forwarded_for",
    [
        ("203.0.113.7", ""),  # anyone on the internet, straight to the app
        ("127.0.0.1", "203.0.113.7"),  # through a reverse proxy on this machine
        ("203.0.113.7", "127.0.0.1"),  # claiming to be local
    ],
)
def test_the_handler_gives_other_clients_nothing(a_code_in_the_outbox, peer, forwarded_for):
    tab = _tab(peer, forwarded_for)
    run_handler(OutboxState.load, tab)
    assert tab.items == [] and not tab.enabled


def test_production_has_no_mailbox_even_for_this_machine(a_code_in_the_outbox, monkeypatch):
    monkeypatch.setattr(get_settings(), "env", "prod")
    tab = _tab("127.0.0.1")
    run_handler(OutboxState.load, tab)
    assert tab.items == []


def _get(client_address: str, headers=None):
    page = Starlette(routes=[Route("/dev/boite-mail", lambda r: HTMLResponse("<p>codes</p>"))])
    with TestClient(security_headers(page), client=(client_address, 5000)) as client:
        return client.get("/dev/boite-mail", headers=headers or {})


def test_the_page_answers_this_machine_only(engine, monkeypatch):
    assert _get("127.0.0.1").status_code == 200
    assert _get("203.0.113.7").status_code == 404
    assert _get("127.0.0.1", {"x-forwarded-for": "203.0.113.7"}).status_code == 404
    monkeypatch.setattr(get_settings(), "env", "prod")
    assert _get("127.0.0.1").status_code == 404
