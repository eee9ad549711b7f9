"""Build and start the real app once per test session, and drive it with Chromium.

Every browser test runs at desktop (1280x800) and phone (390x844) size. A failing test leaves
a screenshot in ``test-results/``.

- ``ESPACE_E2E_REUSE_BUILD=1``: serve the previous production build of the frontend when it was
  made from the same code and settings (``espace.testing.start_app``), else build it;
- ``ESPACE_E2E_URL`` and ``ESPACE_E2E_DATABASE_URL``: drive an app already running there on that
  (migrated, seeded) database instead of starting one. It must run with the settings of
  ``live_app`` below (ESPACE_ENV=test, the throttles lifted).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from espace.core import fake_clock
from espace.core.db import make_engine
from espace.core.settings import PROJECT_ROOT
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from espace.testing import CHROMIUM_ARGS, RunningApp, chromium_executable, start_app
from tests import server_logs
from tests.seeded import seeded_database
from tests.server_logs import LogWatch

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
AXE_JS = PROJECT_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = PROJECT_ROOT / "test-results"
# Two cores run the app, Chromium and the tests: give assertions room when the machine is busy.
expect.set_options(timeout=10_000)


RUNNING_URL = os.environ.get("ESPACE_E2E_URL", "").rstrip("/")
REUSE_BUILD = os.environ.get("ESPACE_E2E_REUSE_BUILD") == "1"
# The settings the app runs with in these tests (an app started by hand must run with them too).
# Every browser here shares 127.0.0.1: the per-address throttle (tested in integration tests)
# would otherwise block the suite's own deliberate failures.
APP_SETTINGS = {
    "ESPACE_IP_SLOWDOWN_AFTER": "100000",
    "ESPACE_IP_BLOCK_AFTER": "100000",
    # the demo holder signs in from dozens of new browsers within minutes
    "ESPACE_CODE_RESEND_SECONDS": "0",
    "ESPACE_CODES_PER_HOUR": "100000",
    "ESPACE_RESET_REQUESTS_PER_IP_HOUR": "100000",
}


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory) -> str:
    if RUNNING_URL:
        database_url = os.environ.get("ESPACE_E2E_DATABASE_URL")
        if not database_url:
            pytest.exit("ESPACE_E2E_URL needs ESPACE_E2E_DATABASE_URL (the running app's database)")
        return database_url
    folder = tmp_path_factory.mktemp("e2e-db")
    url = f"sqlite:///{folder / 'espace-e2e.db'}"
    seeded_database(url, replace_files=True)  # the first fixture of the session
    return url


@pytest.fixture(scope="session")
def live_app(app_db_url, tmp_path_factory) -> Iterator[RunningApp]:
    RESULTS.mkdir(exist_ok=True)
    if RUNNING_URL:
        yield RunningApp(url=RUNNING_URL, process=None, log_path=RESULTS / "app.log", started_in=0)
        return
    folder = tmp_path_factory.mktemp("e2e-app")
    app = start_app(
        database_url=app_db_url,
        data_dir=folder,
        log_path=RESULTS / "app.log",
        extra_env=APP_SETTINGS,
        reuse_build=REUSE_BUILD,
    )
    yield app
    app.stop()


_ENGINE = {}


@pytest.fixture(scope="session")
def app_engine(app_db_url):
    engine = make_engine(app_db_url)
    _ENGINE["app"] = engine
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def no_server_exception(request):
    """A test fails when the app logged a traceback while it ran (see tests/server_logs.py)."""
    if "live_app" not in request.fixturenames:
        yield
        return
    watch = LogWatch([request.getfixturevalue("live_app").log_path])
    yield
    server_logs.check(watch)


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@pytest.fixture
def new_page(browser: Browser, live_app: RunningApp, app_engine, request):
    """Factory of pages in fresh browser contexts (another device, another person)."""
    contexts = []

    def make(device_name: str = "desktop") -> Page:
        context = browser.new_context(
            base_url=live_app.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            **DEVICES[device_name],
        )
        context.set_default_timeout(15_000)
        if (
            fake_clock.active()
        ):  # the suite runs at another date: the pages' clock (Date) starts there too
            context.clock.install(time=datetime.now(UTC))
        contexts.append(context)
        page = context.new_page()
        original_goto = page.goto

        def goto(url: str, **kwargs):
            """Navigate, then wait until the page's on_load handlers have run (no racing them)."""
            response = original_goto(url, **kwargs)
            wait_ready(page)
            return response

        page.goto = goto
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    for index, context in enumerate(contexts):
        if failed:
            for page_index, opened in enumerate(context.pages):
                name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
                opened.screenshot(
                    path=str(RESULTS / f"{name}-{index}-{page_index}.png"), full_page=True
                )
        context.close()


@pytest.fixture
def page(new_page, device) -> Page:
    return new_page(device)


def wait_ready(page: Page, url: re.Pattern | str | None = None) -> None:
    """After a navigation: the URL (if given) is reached and the page is hydrated."""
    if url is not None:
        expect(page).to_have_url(url)
    expect(page.locator("[data-hydrated='true']")).to_have_count(1)


def login(
    page: Page,
    identifier: str = DEMO_EMAIL,
    password: str = DEMO_PASSWORD,
    *,
    start: str = "/connexion",
    code_to: str | None = None,
) -> None:
    """Fill the login form; when a new browser is asked for an e-mail code, read it from the outbox
    (``code_to``: the account's e-mail, the demo holder's by default)."""
    page.goto(start)
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(identifier)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    heading = page.get_by_role("heading", name="Vérification en deux étapes")
    alert = page.get_by_role("alert")
    expect(
        heading.or_(alert)
        .or_(page.get_by_role("heading", name="Tableau de bord", level=1))
        .or_(page.get_by_role("heading", name="Mes contrats", level=1))
        .or_(page.get_by_role("heading", name="Mon profil", level=1))
        .first
    ).to_be_visible()
    if heading.is_visible():
        second_factor_by_email(
            page, _ENGINE["app"], code_to or (identifier if "@" in identifier else DEMO_EMAIL)
        )
    elif not alert.is_visible():
        wait_ready(page)


def staff_login(page: Page, email: str, password: str | None = None) -> None:
    """Sign in to the back office on the current page (password, then the code e-mailed to
    staff)."""
    from espace.demo.seed import STAFF_PASSWORD

    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(password or STAFF_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    page.get_by_label("Code reçu par e-mail").fill(outbox_code(_ENGINE["app"], email))
    page.get_by_role("button", name="Valider").click()
    wait_ready(page, re.compile(r"/gestion/sinistres"))  # staff land on the claims queue


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A/AA) and fail on serious or critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run the README's test command")
    # Evaluated through the browser's debugging protocol, which the pages' Content-Security-Policy
    # does not govern (it rightly blocks an injected inline script). A script tag served by a route
    # failed now and then: once the PWA's service worker controls the page, it fetches the file
    # itself and page.route never sees the request.
    page.evaluate("() => {\n" + _axe_source() + "\n}")
    results = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']})"
    )
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in bad
    ]
    assert not bad, json.dumps(summary, indent=2, ensure_ascii=False)


__all__ = ["assert_accessible", "expect", "login"]


# ---- data and outbox helpers for account-security tests ------------------------------------------


def outbox_text(engine, to: str, channel: str = "email") -> str:
    from espace.notifications.models import OutboxMessage

    with Session(engine) as session:
        message = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == to, OutboxMessage.channel == channel)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None, f"no {channel} to {to} in the outbox"
        return f"{message.subject}\n{message.body}"


def outbox_code(engine, to: str, channel: str = "email") -> str:
    return re.search(r"\b(\d{6})\b", outbox_text(engine, to, channel)).group(1)


def outbox_link(engine, to: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+jeton=[\w-]+)", outbox_text(engine, to)).group(1)


def demo_claim_number(engine, peril: str = "water_damage") -> str:
    """The demo holder's claim of that peril (its number carries the year of the seed's date)."""
    from espace.claims.models import Claim
    from espace.identity.models import Account

    with Session(engine) as session:
        holder_id = session.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
        return session.exec(
            select(Claim.number).where(
                Claim.holder_id == holder_id, Claim.peril == peril, Claim.number.is_not(None)
            )
        ).one()


def new_holder(engine, *, with_account: bool = True, **fields) -> dict:
    """A committed holder (and account) with one contract, unique to the calling test."""
    from tests import factories

    with Session(engine) as session:
        person = factories.holder(session, with_account=with_account, **fields)
        contract = factories.contract(session, person)
        session.commit()
        return {
            "email": person.email,
            "last_name": person.last_name,
            "birth_date": person.birth_date.isoformat(),
            "postal_code": "44000",
            "contract": contract.number,
            "phone": person.phone,
            "id": person.id,
            "password": factories.PASSWORD,
        }


def second_factor_by_email(page: Page, engine, email: str, *, trust: bool = False) -> None:
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    page.get_by_label("Code de vérification").fill(outbox_code(engine, email))
    if trust:
        page.get_by_label("Faire confiance à cet appareil pendant 30 jours").check()
    page.get_by_role("button", name="Valider").click()
    # The browser now goes through the hand-off route to the portal: wait until it is there.
    expect(page).not_to_have_url(re.compile(r"/connexion"))
    wait_ready(page)
