"""A fresh installation is searchable from the first minute: the app starts with no search index,
builds it in a separate low-priority process (`espace reindex --if-needed`), and a search made right
after it serves gets results or says "indexation en cours" (never "Aucun résultat" while the index
is incomplete); the results are complete once the build ends."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, expect

from espace.core.db import make_engine
from espace.core.settings import PROJECT_ROOT
from espace.search.sqlite import SqliteIndex
from espace.testing import start_app
from tests.e2e import conftest
from tests.e2e.conftest import RESULTS, login, wait_ready
from tests.seeded import seeded_database

# It builds an app of its own, in a folder of its own (a bundle names its port): ./test.sh runs it
# beside the stack tests, while the other browser tests use the session's app.
pytestmark = pytest.mark.own_build


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fresh-install")
    url = f"sqlite:///{folder / 'espace.db'}"
    seeded_database(url)
    engine = make_engine(url)
    RESULTS.mkdir(exist_ok=True)
    app = start_app(
        database_url=url,
        data_dir=folder / "data",
        log_path=RESULTS / "app-fresh-install.log",
        web_dir=PROJECT_ROOT / ".web-fresh-install",
        extra_env={"ESPACE_CODE_RESEND_SECONDS": "0", "ESPACE_CODES_PER_HOUR": "100000"},
    )
    served = time.monotonic()
    previous = conftest._ENGINE.get("app")
    conftest._ENGINE["app"] = engine  # the login helper reads the e-mailed code from this database
    yield app, folder / "data", served
    app.stop()
    if previous is not None:
        conftest._ENGINE["app"] = previous
    engine.dispose()


def test_a_fresh_installation_answers_a_search_at_once(fresh_app, browser: Browser):
    app, data_dir, served = fresh_app
    context = browser.new_context(base_url=app.url, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        login(page)
        searched_after = time.monotonic() - served
        page.goto("/recherche?q=attestation")
        wait_ready(page)
        answer = page.locator("#results").or_(page.locator("#indexing"))
        expect(answer.first).to_be_visible()
        first_answer = "indexing" if page.locator("#indexing").is_visible() else "results"
        if first_answer == "indexing":
            expect(page.locator("#indexing")).to_contain_text("Indexation en cours")
            expect(page.locator("#no-results")).to_have_count(0)
        print(f"\nsearched {searched_after:.1f} s after the app served: {first_answer}")
        # The separate build process finishes; the same search then answers in full.
        index = SqliteIndex(data_dir / "search.db")
        for _ in range(600):
            if index.is_built():
                break
            time.sleep(1)
        assert index.is_built(), "the index was not built by the separate process"
        index.close()
        page.goto("/recherche?q=attestation")
        wait_ready(page)
        expect(page.locator("#results")).to_contain_text("attestation")
        expect(page.locator("#indexing")).to_have_count(0)
    finally:
        context.close()
