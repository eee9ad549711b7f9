"""The main journey with the keyboard alone: this test never clicks. It signs in, reaches the
dashboard, a contract, an attestation, the payments, and signs out with Tab, Shift+Tab, Enter,
Space and the arrow keys only; every focused element shows a visible focus indicator and is on
screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from tests.e2e.conftest import _ENGINE, outbox_code, wait_ready

# What the focused element is called (its accessible name, roughly) and whether its focus shows.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const label = e.labels && e.labels[0] ? e.labels[0].innerText : '';
  return {
    name: (e.getAttribute('aria-label') || label || e.innerText || e.value || '').trim(),
    tag: e.tagName,
    visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
             || s.boxShadow !== 'none',
    on_screen: r.bottom > 0 && r.top < window.innerHeight && r.right > 0
               && r.left < window.innerWidth,
  };
}"""


def tab_to(page: Page, name: str | re.Pattern, *, back: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab with ``back``) until the focused element's name matches; check the
    focus indicator of every element passed on the way."""
    pattern = re.compile(re.escape(name)) if isinstance(name, str) else name
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        seen.append(focused["name"][:40])
        assert focused["visible"], f"no visible focus on {focused}"
        assert focused["on_screen"], f"focused element off screen: {focused}"
        if pattern.search(focused["name"]):
            return
    raise AssertionError(f"{name!r} not reached with the keyboard; focus went through {seen}")


def test_the_main_journey_with_the_keyboard_alone(new_page):
    page = new_page("desktop")
    page.goto("/connexion")
    tab_to(page, "Adresse e-mail ou numéro de contrat")
    page.keyboard.type(DEMO_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    tab_to(page, "Code de vérification")
    page.keyboard.type(outbox_code(_ENGINE["app"], DEMO_EMAIL))
    page.keyboard.press("Enter")
    wait_ready(page, re.compile(r"/tableau-de-bord"))

    # The skip link comes first and takes the keyboard to the content: the next Tab lands in
    # <main>, past the header and the navigation.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # The navigation: Mes contrats, then the contract.
    tab_to(page, "Mes contrats", back=True)
    page.keyboard.press("Enter")
    wait_ready(page, re.compile(r"/contrats"))
    tab_to(page, re.compile(r"Voir le détail"))
    page.keyboard.press("Enter")
    wait_ready(page, re.compile(r"/contrat\?n="))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # An attestation: choose the first contract with the arrow key (Standard is checked), generate.
    page.goto("/documents")
    tab_to(page, re.compile(r"^Contrat$"))
    page.keyboard.press("ArrowDown")
    tab_to(page, "Générer l'attestation")
    page.keyboard.press("Enter")
    expect(page.locator("#issued-link")).to_be_visible(timeout=60_000)
    expect(page.locator("#issued-link")).to_have_attribute("href", re.compile(r"/api/documents/"))

    # The payments: a section reached from the page's own links.
    tab_to(page, "Mes paiements", back=True)
    page.keyboard.press("Enter")
    wait_ready(page, re.compile(r"/paiements"))
    tab_to(page, "Historique")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#historique"))
    # The client-side router scrolls to the section after it has changed the URL: wait for that
    # scroll, or it lands after the next Shift+Tab and carries the focused button off screen.
    expect(page.locator("#historique")).to_be_in_viewport()

    # Sign out from the account menu.
    tab_to(page, "menu du compte", back=True)
    page.keyboard.press("Enter")
    tab_to(page, "Se déconnecter")
    page.keyboard.press("Enter")
    wait_ready(page, re.compile(r"/connexion"))
