"""The HTTP side of the app in Chromium and over raw sockets: Content-Security-Policy, Reflex's
upload endpoint, the development mailbox."""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

from sqlmodel import Session, select

from espace.claims.models import Claim
from espace.demo.seed import DEMO_EMAIL
from espace.identity.models import Policyholder
from tests import factories
from tests.e2e.conftest import expect, login, wait_ready

WATCH_CSP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')); });"
)


def test_pages_carry_a_strict_policy_and_work_without_a_single_violation(new_page, app_engine):
    with Session(app_engine) as db:
        holder = db.exec(select(Policyholder).where(Policyholder.email == DEMO_EMAIL)).one()
        claim = db.exec(
            select(Claim).where(Claim.holder_id == holder.id, Claim.number.is_not(None))
        ).first()
    page = new_page("desktop")
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    violations = []

    def visit(path: str):
        response = page.goto(path)
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src ")[1].split(";")[0]
        assert (
            "strict-transport-security" not in response.headers
        )  # plain http in tests; HSTS in production
        return response

    visit("/connexion")
    violations += page.evaluate("window.__csp")
    login(page)  # a script sets the hand-off cookie, then the page navigates through the hand-off
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    violations += page.evaluate("window.__csp")
    for path in (f"/sinistre?n={claim.number}", "/securite", "/documents"):
        visit(path)
        expect(page.locator("#contenu")).to_be_visible()
        violations += page.evaluate("window.__csp")
    visit("/aide#se-connecter")  # the article is unfolded by assets/help-anchor.js
    expect(page.locator("details#se-connecter")).to_have_attribute("open", "")
    violations += page.evaluate("window.__csp")
    assert violations == []
    assert not [text for text in console if "Content Security Policy" in text]


def _raw(url: str, request: bytes) -> bytes:
    """Send raw bytes and read the answer; the server must answer without the body being sent."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        conn.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer


def _upload_headers(url: str, length: int, cookie: str = "") -> bytes:
    host = urlsplit(url).netloc
    lines = [
        "POST /_upload HTTP/1.1",
        f"Host: {host}",
        "Reflex-Client-Token: an-attacker",
        "Reflex-Event-Handler: reflex___state____state.espace___state___session____session_state."
        "espace___state___claims____claim_state.upload",
        "Content-Type: multipart/form-data; boundary=x",
        f"Content-Length: {length}",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_an_anonymous_upload_is_refused_before_its_body_is_sent(live_app):
    # 40 MB announced, not a byte sent: the refusal comes at once
    answer = _raw(live_app.url, _upload_headers(live_app.url, 40 * 1024 * 1024))
    assert answer.startswith(b"HTTP/1.1 401")
    answer = _raw(
        live_app.url,
        _upload_headers(live_app.url, 40 * 1024 * 1024, cookie="espace_session=forged"),
    )
    assert answer.startswith(b"HTTP/1.1 401")


def test_a_signed_in_upload_over_the_cap_is_refused_before_its_body_is_sent(live_app, app_engine):
    with Session(app_engine, expire_on_commit=False) as db:
        token, _ = factories.signed_in(db, factories.holder(db))
        db.commit()
    answer = _raw(
        live_app.url,
        _upload_headers(live_app.url, 60 * 1024 * 1024, cookie=f"espace_session={token}"),
    )
    assert answer.startswith(b"HTTP/1.1 413")


def test_the_dev_mailbox_page_answers_this_machine_only(new_page, live_app):
    page = new_page("desktop")
    page.goto("/dev/boite-mail")
    expect(page.get_by_role("heading", name="Messages envoyés")).to_be_visible()
    forwarded = page.request.get(
        f"{live_app.url}/dev/boite-mail/",
        headers={"X-Forwarded-For": "203.0.113.7"},
        max_redirects=0,
    )
    assert forwarded.status == 404
    wait_ready(page)
    assert re.search(r"/dev/boite-mail", page.url)
