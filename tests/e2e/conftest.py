"""Build and start the real app once per test session, and drive it with Chromium.

Every browser test runs at desktop (1280x800) and phone (390x844) size. A failing test leaves
a screenshot in ``test-results/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from espace.db import make_engine
from espace.migrations import upgrade_to_head
from espace.services.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo
from espace.settings import PROJECT_ROOT
from espace.testing import CHROMIUM_ARGS, RunningApp, chromium_executable, start_app

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
AXE_JS = PROJECT_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = PROJECT_ROOT / "test-results"


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("e2e-db")
    url = f"sqlite:///{folder / 'espace-e2e.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def live_app(app_db_url, tmp_path_factory) -> Iterator[RunningApp]:
    folder = tmp_path_factory.mktemp("e2e-app")
    RESULTS.mkdir(exist_ok=True)
    app = start_app(database_url=app_db_url, data_dir=folder, log_path=RESULTS / "app.log")
    yield app
    app.stop()


@pytest.fixture(scope="session")
def app_engine(app_db_url):
    engine = make_engine(app_db_url)
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


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@pytest.fixture
def new_page(browser: Browser, live_app: RunningApp, request):
    """Factory of pages in fresh browser contexts (another device, another person)."""
    contexts = []

    def make(device_name: str = "desktop") -> Page:
        context = browser.new_context(base_url=live_app.url, locale="fr-FR", timezone_id="Europe/Paris",
                                      **DEVICES[device_name])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    for index, context in enumerate(contexts):
        if failed:
            for page_index, opened in enumerate(context.pages):
                name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
                opened.screenshot(path=str(RESULTS / f"{name}-{index}-{page_index}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page, device) -> Page:
    return new_page(device)


def login(page: Page, identifier: str = DEMO_EMAIL, password: str = DEMO_PASSWORD, *, start: str = "/connexion") -> None:
    page.goto(start)
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(identifier)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A/AA) and fail on serious or critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run the README's test command")
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    summary = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in bad]
    assert not bad, json.dumps(summary, indent=2, ensure_ascii=False)


__all__ = ["assert_accessible", "expect", "login"]
