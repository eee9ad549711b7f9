"""Mobile finish: every page of the portal at 360 px wide, without sideways scrolling, with touch
targets of at least 44 px."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import demo_claim_number, login

PAGES = [
    "/tableau-de-bord",
    "/contrats",
    "/contrat?n=MRH0412857",
    "/contrat/conditions?n=MRH0412857",
    "/contrat/modifier?n=MRH0412857",
    "/sinistres",
    "/sinistres/declarer",
    "/sinistre?n={claim}",
    "/paiements",
    "/documents",
    "/securite",
    "/profil",
    "/notifications",
    "/aide",
    "/recherche?q=fuite",
]

SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, .button, .button-small, .nav-link, .menu-item, select, input[type=text],'
    + ' input[type=email], input[type=search], input[type=password], input[type=date], textarea')]
  .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
                        && !e.closest('[hidden]'); })
  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 43.5 || r.width < 43.5; })
  .map(e => (e.id || e.className || e.tagName) + ' '
             + Math.round(e.getBoundingClientRect().width) + 'x'
             + Math.round(e.getBoundingClientRect().height))"""


def test_every_page_fits_a_360_px_phone(new_page, app_engine):
    page = new_page("phone")
    page.set_viewport_size({"width": 360, "height": 740})
    login(page)
    problems = {}
    claim = demo_claim_number(
        app_engine
    )  # the demo claim's number carries the year it was declared
    for path in PAGES:
        path = path.format(claim=claim)
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        page.wait_for_timeout(200)
        width = page.evaluate("document.documentElement.scrollWidth")
        small = page.evaluate(SMALL_TARGETS)
        if width > 360 or small:
            problems[path] = {"scroll_width": width, "small_targets": small[:8]}
    assert not problems, problems
