"""Attacks at the level they happen: a hostile client speaking Reflex's event socket directly
(espace.testing_ws), and a victim's browser following an attacker's sign-in link."""

from __future__ import annotations

import json
import re

from sqlmodel import Session, select

from espace.claims.models import Claim
from espace.demo.seed import DEMO_EMAIL
from espace.identity.models import Account, AuthSession, Policyholder
from espace.state.claims import ClaimState
from espace.state.dev_outbox import OutboxState
from espace.state.login import LoginState
from espace.testing_ws import ReflexSocket
from tests import factories
from tests.e2e.conftest import expect, login, new_holder, outbox_code, wait_ready


def _session_cookie(engine, email: str) -> dict[str, str]:
    """The session cookie of a fresh signed-in session of this holder (as the hand-off would set
    it)."""
    with Session(engine, expire_on_commit=False) as db:
        person = db.exec(select(Policyholder).where(Policyholder.email == email)).one()
        token, _ = factories.signed_in(db, person)
        db.commit()
    return {"espace_session": token}


def _demo_claim(engine) -> Claim:
    with Session(engine) as db:
        holder = db.exec(select(Policyholder).where(Policyholder.email == DEMO_EMAIL)).one()
        return db.exec(
            select(Claim)
            .where(Claim.holder_id == holder.id, Claim.number.is_not(None))
            .order_by(Claim.id)
        ).first()


def test_the_socket_client_reads_what_the_page_would_show(live_app, app_engine):
    claim = _demo_claim(app_engine)
    page = f"/sinistre?n={claim.number}"
    with ReflexSocket(live_app.url, cookies=_session_cookie(app_engine, DEMO_EMAIL)) as ws:
        ws.open_page(page)
        reply = ws.call(ClaimState, "load", page=page)
    shown = reply.state(ClaimState)
    assert (
        shown["found"] is True
        and shown["number"] == claim.number
        and shown["description"] == claim.description
    )
    assert reply.redirects == []


def test_a_signed_out_socket_calling_a_private_handler_is_sent_to_login_with_nothing(
    live_app, app_engine
):
    claim = _demo_claim(app_engine)
    page = f"/sinistre?n={claim.number}"
    with ReflexSocket(live_app.url) as ws:
        ws.open_page("/connexion")
        reply = ws.call(ClaimState, "load", page=page)
    assert reply.redirects and reply.redirects[0].startswith("/connexion")
    assert not reply.state(ClaimState).get("found") and claim.description not in json.dumps(
        reply.deltas
    )


def test_another_holders_socket_gets_nothing_of_the_claim(live_app, app_engine):
    claim = _demo_claim(app_engine)
    stranger = new_holder(app_engine)
    page = f"/sinistre?n={claim.number}"
    with ReflexSocket(live_app.url, cookies=_session_cookie(app_engine, stranger["email"])) as ws:
        ws.open_page("/sinistres")
        reply = ws.call(ClaimState, "load", page=page)
    assert reply.state(ClaimState).get("found") is not True
    leaked = {
        path: values
        for path, values in reply.changed().items()
        if claim.description in json.dumps(values)
    }
    assert leaked == {}
    assert (
        reply.state(ClaimState).get("description", "") == ""
        and reply.state(ClaimState).get("history", []) == []
    )


def test_the_dev_mailbox_handler_gives_nothing_to_a_forwarded_client(live_app, app_engine):
    local = new_holder(app_engine)
    with ReflexSocket(live_app.url) as ws:  # signing in from a new device puts a code in the outbox
        ws.open_page("/connexion")
        ws.call(
            LoginState,
            "submit",
            {"form_data": {"identifier": local["email"], "password": local["password"]}},
        )
        mine = ws.call(OutboxState, "load", page="/dev/boite-mail")
    assert any(item["recipient"] == local["email"] for item in mine.state(OutboxState)["items"])
    # the same socket call coming through a reverse proxy (not declared as trusted): nothing
    with ReflexSocket(live_app.url, headers={"X-Forwarded-For": "203.0.113.7"}) as ws:
        reply = ws.call(OutboxState, "load", page="/dev/boite-mail")
    assert reply.state(OutboxState).get("items", []) == [] and reply.redirects == ["/404"]


def _attackers_link(live_app, app_engine) -> tuple[str, dict]:
    """The attacker signs in to his own account over the socket and keeps the hand-off link."""
    attacker = new_holder(app_engine)
    with ReflexSocket(live_app.url) as ws:
        ws.open_page("/connexion")
        reply = ws.call(
            LoginState,
            "submit",
            {"form_data": {"identifier": attacker["email"], "password": attacker["password"]}},
        )
        if reply.state(LoginState).get("step") == "second_factor":
            reply = ws.call(
                LoginState,
                "verify",
                {"form_data": {"code": outbox_code(app_engine, attacker["email"])}},
            )
    link = next(
        re.search(r'replace\("([^"]+)"\)', script).group(1)
        for script in reply.scripts
        if "handoff" in script
    )
    return link, attacker


def test_an_attackers_sign_in_link_signs_the_victim_in_to_nothing(new_page, live_app, app_engine):
    link, attacker = _attackers_link(live_app, app_engine)
    victim = new_page("desktop")
    login(victim)  # the victim is signed in to her own account
    # 1. she clicks the link on the attacker's site (a cross-site navigation)
    victim.route(
        "http://attaquant.example/**",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<a id="go" href="{live_app.url}{link}">Votre attestation</a>',
        ),
    )
    victim.evaluate("() => { window.location.href = 'http://attaquant.example/' }")
    victim.locator("#go").click()
    wait_ready(victim, re.compile(r"/tableau-de-bord"))
    # 2. the same link opened from one of our own pages (same-origin): her browser never signed in
    #    as him
    victim.evaluate("url => { window.location.href = url }", link)
    wait_ready(victim, re.compile(r"/tableau-de-bord"))
    expect(victim.locator(".user-name").first).to_contain_text("Camille")
    expect(victim.get_by_text(attacker["last_name"])).to_have_count(0)
    with Session(app_engine) as db:
        account = db.exec(select(Account).where(Account.email == attacker["email"])).one()
        assert (
            db.exec(
                select(AuthSession).where(
                    AuthSession.account_id == account.id, AuthSession.activated_at.is_not(None)
                )
            ).first()
            is None
        )
