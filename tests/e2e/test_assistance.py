"""Emergency assistance in the browser: from the dashboard, a water-leak request; the test
provider schedules a plumber and the request shows its status; rehousing beyond the contract's
nights of hotel is refused with a clear message."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, new_holder, wait_ready


@pytest.fixture(autouse=True)
def patient_expectations():
    """This machine runs several suites at once: more time for this module's assertions (global
    setting, put back afterwards)."""
    expect.set_options(timeout=45_000)
    yield
    expect.set_options(timeout=10_000)


def test_a_water_leak_gets_a_plumber_and_too_many_nights_are_refused(new_page, app_engine):
    holder = new_holder(app_engine)
    page = new_page("phone")
    login(page, holder["email"], holder["password"])
    page.goto("/tableau-de-bord")
    page.locator("#emergency-link").click()
    wait_ready(page, re.compile(r"/urgence"))
    expect(page.locator("#assistance-phone")).to_have_attribute("href", "tel:0186950000")
    page.get_by_label("Logement concerné").select_option(index=1)
    page.get_by_label("Que se passe-t-il ?").select_option("water_leak")
    page.get_by_label("Aide demandée").select_option("plumber")
    page.locator("#send-assistance").click()
    requests = page.locator("#assistance-requests")
    expect(requests).to_contain_text("Plombier")
    expect(requests).to_contain_text("Intervention programmée")
    expect(requests).to_contain_text("AST-")
    assert_accessible(page)

    page.get_by_label("Que se passe-t-il ?").select_option("uninhabitable")
    page.get_by_label("Aide demandée").select_option("rehousing")
    page.get_by_label("Nombre de nuits d'hôtel").fill("40")
    page.locator("#send-assistance").click()
    expect(page.locator("#nights-error")).to_contain_text("nuits d'hôtel au plus")
    expect(requests.locator("li")).to_have_count(1)
