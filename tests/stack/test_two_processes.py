"""Two Espace processes behind nginx, sharing PostgreSQL, Redis and object storage (issue 18,
item 5).

The walk pins each step on one process by leaving only that one running (nginx then has no choice),
so "served by the other" is a fact, not a hope: sign in and declare a claim with a photo on process
A; the tracker, the photo and a staff action on process B; the holder's page on A shows B's action;
the acknowledgement e-mail is sent once by the worker (through Redis, to a local SMTP server); a
logout on one process ends the session on both. Then both run together behind round-robin (no sticky
sessions) and each serves events of the same tabs.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from espace import routes
from espace.claims.models import Claim, ClaimFile
from espace.core.formatting import PARIS
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, STAFF, STAFF_PASSWORD
from espace.identity.models import Account
from espace.notifications.models import OutboxMessage
from espace.testing_servers import wait_for
from espace.testing_stack import build_frontend
from tests.e2e.conftest import new_holder, outbox_code

pytestmark = pytest.mark.stack
MANAGER = next(email for email, _name, role in STAFF if role == "manager")


def _ready(page: Page) -> None:
    expect(page.locator("[data-hydrated='true']")).to_have_count(1)


def _goto(page: Page, url: str) -> None:
    page.goto(url)
    _ready(page)


def _context(browser: Browser, base_url: str):
    context = browser.new_context(base_url=base_url, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    return context


def _sign_in(page: Page, engine, email: str, password: str) -> None:
    _goto(page, "/connexion")
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    page.get_by_label("Code de vérification").fill(outbox_code(engine, email))
    page.get_by_role("button", name="Valider").click()
    expect(page).not_to_have_url(re.compile(r"/connexion"))
    _ready(page)


def _staff_sign_in(page: Page, engine, email: str) -> None:
    _goto(page, "/gestion/connexion")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    page.get_by_label("Code reçu par e-mail").fill(outbox_code(engine, email))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/gestion/sinistres"))
    _ready(page)


def _next(page: Page, number: int) -> None:
    page.locator("#wizard-next").click()
    expect(page.locator("#step-label")).to_contain_text(f"Étape {number} sur 8")


def _declare_water_damage(page: Page, photo: str) -> str:
    _goto(page, "/sinistres/declarer")
    expect(page.locator("#step-label")).to_contain_text("Étape 1 sur 8")
    _next(page, 2)
    page.get_by_text("Dégât des eaux", exact=True).click()
    _next(page, 3)
    for question, answer in (
        ("origin", "Fuite d'une canalisation ou d'un appareil"),
        ("neighbour_involved", "Non"),
        ("leak_stopped", "Oui"),
    ):
        page.locator(f"[data-question='{question}']").get_by_text(answer, exact=True).click()
    _next(page, 4)
    yesterday = (datetime.now(PARIS) - timedelta(days=1)).date()
    page.get_by_label("Date du sinistre (ou de sa découverte)").fill(yesterday.isoformat())
    page.get_by_label("Que s'est-il passé ?").fill("Le ballon d'eau chaude fuit dans le cellier.")
    _next(page, 5)
    page.get_by_role("button", name="Oui, à cette adresse").click()
    expect(page.locator("#step-label")).to_contain_text("Étape 6 sur 8")
    page.get_by_label("Description").fill("Sol du cellier")
    page.get_by_label("Catégorie").select_option("building")
    page.get_by_label("Estimation du dommage en €").fill("900")
    page.locator("#add-item").click()
    _next(page, 7)
    page.locator("#claim-files input[type=file]").set_input_files(photo)
    expect(page.locator("#claim-file-list img")).to_have_count(1)  # thumbnail served back
    _next(page, 8)
    page.get_by_text("Je certifie l'exactitude de ma déclaration").click()
    page.locator("#send-claim").click()
    expect(page.locator("#claim-number")).to_have_text(re.compile(r"^SIN-\d{4}-\d{6}$"))
    return page.locator("#claim-number").inner_text()


def _status(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _events_served(backend) -> float:
    """Reflex events this backend processed (its own /metrics, on loopback)."""
    with urllib.request.urlopen(f"{backend.url}/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("espace_event_duration_seconds_count")
    )


def _all_sent(engine, email: str) -> bool:
    with Session(engine) as db:
        statuses = db.exec(
            select(OutboxMessage.status).where(OutboxMessage.recipient == email)
        ).all()
    return bool(statuses) and all(status == "sent" for status in statuses)


def test_a_holder_and_staff_across_two_processes(
    production_stack, stack_engine, browser: Browser, tmp_path
):
    stack = production_stack
    holder = new_holder(stack_engine)
    photo = tmp_path / "cellier.jpg"
    Image.new("RGB", (640, 480), "teal").save(photo, "JPEG")

    # --- process A only: sign in, declare a claim with a photo ------------------------------------
    a = stack.only(0)
    holder_context = _context(browser, stack.url)
    page = holder_context.new_page()
    _sign_in(page, stack_engine, holder["email"], holder["password"])
    number = _declare_water_damage(page, str(photo))
    with Session(stack_engine) as db:
        claim = db.exec(select(Claim).where(Claim.number == number)).one()
        stored = db.exec(select(ClaimFile).where(ClaimFile.claim_id == claim.id)).one()
    assert stack.s3 is not None  # the photo went to object storage, not to A's disk
    assert not list((stack.folder / "backends").glob(f"data-{a.port}/private/*/*"))

    # --- process B only: tracker, photo, staff action ---------------------------------------------
    b = stack.only(1)
    _goto(page, f"/sinistre?n={number}")
    expect(page.locator("#tracker")).to_contain_text("Déclaration reçue")
    photo_response = page.request.get(f"/api/sinistres/fichiers/{stored.id}")
    assert photo_response.status == 200
    assert photo_response.body() == photo.read_bytes()
    staff_context = _context(browser, stack.url)
    staff = staff_context.new_page()
    _staff_sign_in(staff, stack_engine, MANAGER)
    _goto(staff, f"/gestion/sinistre?n={number}")
    staff.locator("#expert").select_option(label="Marc Lefèvre")
    staff.locator("#appoint-expert").click()
    expect(staff.locator("#visit-date")).to_be_visible()

    # --- process A only: the holder sees B's action; one acknowledgement --------------------------
    stack.only(0)
    _goto(page, f"/sinistre?n={number}")
    step = page.locator("#tracker .tracker-step", has_text="Expert missionné")
    expect(step).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}"))
    with Session(stack_engine) as db:
        acknowledgements = db.exec(
            select(OutboxMessage).where(
                OutboxMessage.recipient == holder["email"],
                OutboxMessage.subject.contains(number),
                OutboxMessage.subject.contains("déclaration reçue"),
            )
        ).all()
    assert len(acknowledgements) == 1
    # ... and the worker (on the Redis queue) sent it to the SMTP server exactly once
    wait_for(
        lambda: _all_sent(stack_engine, holder["email"]),
        timeout=60,
        what="the worker to send the holder's messages",
    )
    received = [
        mail
        for mail in stack.mail()
        if mail["To"] == holder["email"]
        and number in str(mail["Subject"])
        and "déclaration reçue" in str(mail["Subject"])
    ]
    assert len(received) == 1, [str(mail["Subject"]) for mail in received]
    assert "déclaration reçue" in str(received[0]["Subject"])

    # --- both processes, round robin, no stickiness -----------------------------------------------
    stack.all_up()
    served_before = [_events_served(backend) for backend in stack.backends]
    for _ in range(3):  # each full navigation opens a new socket; nginx alternates the backends
        _goto(page, f"/sinistre?n={number}")  # its socket, then the photo's thumbnail
        expect(page.locator("#tracker")).to_contain_text("Expert missionné")
        _goto(page, "/contrats")  # one more socket: the next round starts on the other backend
        expect(page.get_by_role("heading", name="Mes contrats", level=1)).to_be_visible()
    served_after = [_events_served(backend) for backend in stack.backends]
    assert all(after > before for after, before in zip(served_after, served_before, strict=True)), (
        served_before,
        served_after,
    )

    # --- logout on one process ends the session on every process ----------------------------------
    cookies = {c["name"]: c["value"] for c in holder_context.cookies()}
    session_cookie = next(name for name in cookies if name.endswith("espace_session"))
    cookie = f"{session_cookie}={cookies[session_cookie]}"
    file_path = f"/api/sinistres/fichiers/{stored.id}"
    assert [_status(f"{backend.url}{file_path}", cookie) for backend in stack.backends] == [
        200,
        200,
    ]
    _goto(page, "/api/auth/logout")
    expect(page).to_have_url(re.compile(r"/connexion"))
    assert [_status(f"{backend.url}{file_path}", cookie) for backend in stack.backends] == [
        401,
        401,
    ]
    _goto(page, f"/sinistre?n={number}")
    expect(page).to_have_url(re.compile(r"/connexion"))

    # --- a closed tab's state is released by the sweeper, an open tab's is kept -------------------
    import redis as redis_lib

    from espace.core import state_sweeper

    tab_token = "() => sessionStorage.getItem('token')"
    closed, still_open = page.evaluate(tab_token), staff.evaluate(tab_token)
    holder_context.close()
    client = redis_lib.Redis.from_url(stack.redis_url)
    try:
        wait_for(  # the socket record goes when the backend sees the socket close
            lambda: not client.exists(f"{state_sweeper.SOCKET_RECORD}{closed}"),
            timeout=30,
            what="the closed tab's socket record to go",
        )
        assert client.keys(f"{closed}_{state_sweeper.ROOT_STATE}*")  # Reflex's key naming
        state_sweeper.sweep(client, grace_seconds=0)
        assert not client.keys(f"{closed}_*")
        assert client.keys(f"{still_open}_{state_sweeper.ROOT_STATE}*")
    finally:
        client.close()
    staff_context.close()
    assert b.port == stack.backends[1].port


def test_the_frontend_is_one_build_served_by_nginx_with_each_page_policy(production_stack):
    """Pages come from nginx with the same Content-Security-Policy the backend would send (the
    hashes of that page's inline scripts), so the scripts run; the backends serve no pages at
    all."""
    from espace.api.headers import inline_script_hashes

    with urllib.request.urlopen(f"{production_stack.url}/connexion", timeout=10) as response:
        html = response.read()
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    allowed = set(script_src.split()[1:]) - {"'self'", "'unsafe-eval'"}
    assert inline_script_hashes(html) and allowed == set(inline_script_hashes(html))
    assert f"connect-src 'self' {production_stack.url}" in policy
    backend = production_stack.backends[0]
    production_stack.all_up()
    assert _status(f"{backend.url}/connexion", "") == 404  # no `reflex run`, no frontend here
    assert _status(f"{production_stack.url}/metrics", "") == 404  # never through the proxy


def test_a_second_build_is_byte_identical(production_stack):
    """Build the frontend again in another working folder: the same files, byte for byte, so any
    machine can build it (and an old node never serves chunk names another does not have)."""
    folder = production_stack.folder
    again = build_frontend(
        folder / "frontend-again", env=production_stack.env, log=folder / "b2.log"
    )
    first = (folder / "frontend" / "BUILD").read_text()
    assert first.count("\n") > 100  # the manifest lists every file with its sha256
    assert (again / "BUILD").read_text() == first
    assert (again / "headers.conf").read_text() == (
        folder / "frontend" / "headers.conf"
    ).read_text()


def test_search_finds_a_claim_declared_through_the_other_process(
    production_stack, stack_engine, browser: Browser
):
    stack = production_stack
    holder = new_holder(stack_engine)
    stack.only(0)
    context = _context(browser, stack.url)
    page = context.new_page()
    _sign_in(page, stack_engine, holder["email"], holder["password"])
    number = _declare_water_damage(page, _photo_path(page))
    stack.only(1)
    _goto(page, f"/recherche?q={number}")
    expect(page.locator("#results")).to_contain_text(number, timeout=15_000)
    context.close()
    stack.all_up()


def _photo_path(page: Page) -> str:
    import tempfile

    folder = tempfile.mkdtemp(prefix="espace-stack-")
    path = f"{folder}/photo.jpg"
    Image.new("RGB", (320, 240), "olive").save(path, "JPEG")
    return path


def _demo_links(engine) -> tuple[dict[str, str], dict[str, str]]:
    """The ``?n=`` of each detail page, for the demo holder (a complaint filed for the walk)."""
    from espace.contracts.models import Contract
    from espace.lifecycle.models import Cancellation
    from espace.support import complaints
    from espace.support.models import Complaint, SupportThread

    with Session(engine) as db:
        account = db.exec(select(Account).where(Account.email == DEMO_EMAIL)).one()
        holder_id = account.holder_id
        claim = db.exec(
            select(Claim).where(Claim.holder_id == holder_id, col(Claim.number).is_not(None))
        ).first()
        thread = db.exec(select(SupportThread).where(SupportThread.holder_id == holder_id)).first()
        complaint = db.exec(select(Complaint).where(Complaint.holder_id == holder_id)).first()
        if complaint is None:
            complaint = complaints.file_complaint(
                session=db,
                holder_id=holder_id,
                topic="service",
                subject="Délai de réponse",
                body="Ma question attend une réponse depuis trop longtemps.",
            )
            db.commit()
        contract = db.exec(select(Contract).where(Contract.holder_id == holder_id)).first()
        cancellation = db.exec(select(Cancellation)).first()
        assert claim and thread and contract
        holder = {
            routes.CONTRACT: contract.number,
            routes.CONDITIONS: contract.number,
            routes.COVER: contract.number,
            routes.CANCEL: contract.number,
            routes.CLAIM: claim.number,
            routes.MESSAGE: str(thread.id),
            routes.COMPLAINT: str(complaint.id),
        }
        staff = {
            routes.STAFF_CLAIM: claim.number,
            routes.STAFF_THREAD: str(thread.id),
            routes.STAFF_COMPLAINT: str(complaint.id),
        }
        if cancellation is not None:
            staff[routes.STAFF_CANCELLATION] = str(cancellation.id)
        return holder, staff


def test_every_page_opens_on_postgresql_without_a_server_error(
    production_stack, stack_engine, browser: Browser
):
    """Each holder page and each back-office page, with the demo's data, on the production layout
    (PostgreSQL): the page hydrates and no backend logs an exception (the conftest's log watch).
    A query SQLite accepts and PostgreSQL refuses shows the visitor only a toast."""
    holder_links, staff_links = _demo_links(stack_engine)
    context = _context(browser, production_stack.url)
    page = context.new_page()
    _sign_in(page, stack_engine, DEMO_EMAIL, DEMO_PASSWORD)
    for route in routes.PRIVATE_PAGES:
        number = holder_links.get(route)
        _goto(page, f"{route}?n={number}" if number else route)
        expect(page.locator("main")).to_be_visible()
    staff = context.browser.new_context(
        base_url=production_stack.url, locale="fr-FR", timezone_id="Europe/Paris"
    ).new_page()
    _staff_sign_in(staff, stack_engine, MANAGER)
    for route in routes.STAFF_PAGES:
        if route == routes.STAFF_CANCELLATION and route not in staff_links:
            continue
        number = staff_links.get(route)
        _goto(staff, f"{route}?n={number}" if number else route)
        expect(staff.locator("main")).to_be_visible()
    staff.context.close()
    context.close()
