"""The five screens a first visitor found weakest (issue 23), at three sizes, light and dark.

For each screen at 1280x800, 390x844 and 360x640: no sideways scrolling, no text cut off (an
element clipping its own text, a select too narrow for its choice), no control outside its
container or the window (bounding boxes), and axe-core finds no serious or critical violation in
the light and the dark theme. Each first screen is saved as a PNG in ``test-results/screens/``;
``ESPACE_SCREENSHOTS=docs`` writes them to ``docs/screens/`` instead (the README shows them).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from espace.core.settings import PROJECT_ROOT
from tests.e2e.conftest import assert_accessible, demo_claim_number, login, staff_login

SIZES = {
    "1280": {"viewport": {"width": 1280, "height": 800}},
    "390": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "360": {
        "viewport": {"width": 360, "height": 640},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
HOLDER_SCREENS = {
    "tableau-de-bord": "/tableau-de-bord",
    "paiements": "/paiements",
    "documents": "/documents",
    "modifier-couverture": "/contrat/modifier?n=MRH0412857",
}
STAFF_SCREENS = {
    "gestion-sinistres": "/gestion/sinistres",
    "gestion-dossier": "/gestion/sinistre?n={claim}",
    # the other queues share the claims queue's filters (components/filters.py)
    "gestion-reclamations": "/gestion/reclamations",
    "gestion-messages": "/gestion/messages",
}
STAFF_EMAIL = "sophie.bernard@espace-assurances.example"
OUT = (
    PROJECT_ROOT / "docs" / "screens"
    if os.environ.get("ESPACE_SCREENSHOTS") == "docs"
    else PROJECT_ROOT / "test-results" / "screens"
)

# Every problem of layout on the page, as readable strings (empty: the page is sound).
LAYOUT_PROBLEMS = (Path(__file__).parent / "layout_problems.js").read_text()


def _check(page: Page, screen: str, size: str, problems: dict, *, dark: bool = False) -> None:
    expect(page.locator("main")).to_be_visible()
    page.wait_for_timeout(300)  # fonts and late rows settle
    found = page.evaluate(LAYOUT_PROBLEMS)
    if found:
        problems[f"{screen} at {size}{' (dark)' if dark else ''}"] = found
    # docs/screens/ holds the sizes the README shows; the reflow checks' images stay in test-results
    out = OUT if size in SIZES else PROJECT_ROOT / "test-results" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{screen}-{size}{'-dark' if dark else ''}.png"))


def _visit(page: Page, screens: dict[str, str], size: str, claim: str) -> dict:
    problems: dict = {}
    for screen, path in screens.items():
        page.goto(path.format(claim=claim))
        _check(page, screen, size, problems)
        assert_accessible(page)
    return problems


@pytest.fixture
def sized_page(new_page):
    """A page of the size in the test's parameter (the conftest's pages are 1280 or 390 wide)."""

    def make(size: str, *, dark: bool = False) -> Page:
        page = new_page("desktop" if size == "1280" else "phone")
        page.set_viewport_size(SIZES[size]["viewport"])
        if dark:
            page.emulate_media(color_scheme="dark")
        return page

    return make


@pytest.mark.parametrize("size", list(SIZES))
def test_holder_screens_fit_at_every_size(sized_page, app_engine, size):
    page = sized_page(size)
    login(page)
    problems = _visit(page, HOLDER_SCREENS, size, demo_claim_number(app_engine))
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("size", list(SIZES))
def test_staff_screens_fit_at_every_size(sized_page, app_engine, size):
    page = sized_page(size)
    page.goto("/gestion/connexion")
    staff_login(page, STAFF_EMAIL)
    problems = _visit(page, STAFF_SCREENS, size, demo_claim_number(app_engine))
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_dark_theme_follows_the_system_and_stays_accessible(sized_page, app_engine):
    """prefers-color-scheme: dark gives dark surfaces with readable text (axe's contrast rules)."""
    claim = demo_claim_number(app_engine)
    problems: dict = {}
    for size in ("1280", "390"):
        page = sized_page(size, dark=True)
        login(page)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        channels = [int(x) for x in re.findall(r"\d+", background)[:3]]
        assert sum(channels) < 3 * 60, f"the body is not dark: {background}"
        for screen, path in HOLDER_SCREENS.items():
            page.goto(path)
            _check(page, screen, size, problems, dark=True)
            assert_accessible(page)
        staff = sized_page(size, dark=True)
        staff.goto("/gestion/connexion")
        assert_accessible(staff)
        staff_login(staff, STAFF_EMAIL)
        for screen, path in STAFF_SCREENS.items():
            staff.goto(path.format(claim=claim))
            _check(staff, screen, size, problems, dark=True)
            assert_accessible(staff)
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_reflow_at_320_css_px_and_at_200_percent_zoom(sized_page, app_engine):
    """WCAG 1.4.10 / RGAA 10.11: at 320 CSS px, and on a 1280x800 screen zoomed to 200 % (640x400
    CSS px), every page reads without sideways scrolling or clipped content."""
    claim = demo_claim_number(app_engine)
    problems: dict = {}
    for size, viewport in (("320", (320, 568)), ("zoom-200", (640, 400))):
        public = sized_page("360")
        public.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        for screen, path in (("connexion", "/connexion"), ("accessibilite", "/accessibilite")):
            public.goto(path)
            _check(public, screen, size, problems)
        page = sized_page("360")
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        login(page)
        for screen, path in HOLDER_SCREENS.items():
            page.goto(path)
            _check(page, screen, size, problems)
        staff = sized_page("360")
        staff.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        staff.goto("/gestion/connexion")
        staff_login(staff, STAFF_EMAIL)
        for screen, path in STAFF_SCREENS.items():
            staff.goto(path.format(claim=claim))
            _check(staff, screen, size, problems)
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
