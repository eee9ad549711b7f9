"""A holder reads their cover, the conditions, compares formulas, simulates and signs an avenant."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import Session

from espace.core.models import today_paris
from tests.e2e.conftest import assert_accessible, login, new_holder, wait_ready


def holder_with_schedule(engine) -> dict:
    """A fresh holder whose monthly contract is priced by the tariff and has its instalments
    scheduled."""
    from espace.billing import instalments
    from espace.contracts import cover_change
    from espace.demo.seed import price_contract
    from tests import factories

    today = today_paris()
    with Session(engine, expire_on_commit=False) as db:
        person = factories.holder(db)
        contract = factories.contract(
            db,
            person,
            city="Nantes",
            payment_frequency="monthly",
            start_date=today.replace(day=1) - timedelta(days=200),
        )
        price_contract(
            db,
            contract,
            db.get(
                __import__("espace.contracts.models", fromlist=["InsuredProperty"]).InsuredProperty,
                contract.property_id,
            ),
            "CONFORT",
        )
        _, year_end = cover_change.insurance_year(contract, today)
        instalments.seed_history(session=db, contract=contract, today=today, ahead_until=year_end)
        db.commit()
        return {"email": person.email, "password": factories.PASSWORD, "contract": contract.number}


def amount(text: str) -> float:
    return float(
        re.search(r"([\d\u202f\u00a0 ]+,\d\d)", text)
        .group(1)
        .replace("\u202f", "")
        .replace("\u00a0", "")
        .replace(" ", "")
        .replace(",", ".")
    )


def test_read_compare_simulate_and_sign_an_avenant(new_page, app_engine):
    who = holder_with_schedule(app_engine)
    page = new_page("desktop")
    login(page, who["email"], who["password"])
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes contrats"
    ).click()
    page.get_by_role(
        "link", name=f"Voir le détail du contrat {who['contract']} des garanties"
    ).click()
    wait_ready(page, re.compile(r"/contrat\?n="))
    water = page.locator("[data-category='water_damage']")
    expect(water).to_contain_text("Couvert")
    expect(water).to_contain_text("Plafond")
    expect(water).to_contain_text("150,00")  # the contract's deductible applies to water damage
    expect(page.locator("[data-category='legal_protection']")).to_contain_text("Non couvert")
    assert_accessible(page)

    water.get_by_role("link", name="Art. 6").click()  # from the contract straight to the article
    wait_ready(page, re.compile(r"/contrat/conditions\?n=.*#art-6$"))
    expect(page.locator("#art-6")).to_be_in_viewport()
    page.go_back()
    wait_ready(page, re.compile(r"/contrat\?n="))
    page.get_by_role("link", name="Conditions générales").click()
    wait_ready(page, re.compile(r"/contrat/conditions"))
    article = page.locator("#art-6")
    expect(article).to_contain_text("Dégâts des eaux")
    expect(article.locator(".particular")).to_contain_text("formule Confort")
    article.locator("a.xref", has_text="Art. 16").first.click()
    expect(page).to_have_url(re.compile(r"#art-16$"))
    expect(page.locator("#art-16")).to_be_in_viewport()
    term = page.locator("#art-16 a.term").first
    expect(term).to_have_attribute("title", re.compile(r"\w+"))
    term.click()
    expect(page).to_have_url(re.compile(r"#glossaire-"))
    assert_accessible(page)

    page.goto(f"/contrat/modifier?n={who['contract']}")
    compare = page.get_by_role("region", name="Comparaison des formules")
    expect(compare.locator("th[data-formula='CONFORT']")).to_contain_text("Votre formule")
    prices = [
        amount(compare.locator(f"th[data-formula='{code}']").inner_text())
        for code in ("ESSENTIELLE", "CONFORT", "INTEGRALE")
    ]
    assert prices == sorted(prices)
    annual = page.locator("#quote-annual")
    current = amount(annual.inner_text())
    expect(page.locator("#quote-diff")).to_have_text("Identique à votre cotisation actuelle")
    assert_accessible(page)

    before = annual.inner_text()  # read before the change, not after (the update can be that fast)
    page.get_by_label("Franchise").select_option(label="500,00\u00a0€")
    expect(annual).not_to_have_text(before)
    cheaper = amount(annual.inner_text())
    assert cheaper < current
    page.get_by_label("Nom de la simulation").fill("Franchise 500 €")
    page.get_by_role("button", name="Enregistrer la simulation").click()
    expect(page.locator("[data-simulation='Franchise 500 €']")).to_be_visible()

    page.get_by_role("button", name="Intégrale", exact=True).click()
    expect(annual).not_to_have_text(re.compile(re.escape(f"{cheaper:.2f}".replace(".", ","))))
    page.get_by_label("Nom de la simulation").fill("Intégrale franchise 500 €")
    page.get_by_role("button", name="Enregistrer la simulation").click()
    expect(page.locator("[data-simulation='Intégrale franchise 500 €']")).to_be_visible()
    page.get_by_label("Nom de la simulation").fill("")
    page.get_by_role("button", name="Enregistrer la simulation").click()
    expect(page.locator("#sim_name-error")).to_contain_text("nom")

    for name in ("Franchise 500 €", "Intégrale franchise 500 €"):
        page.locator(f"[data-simulation='{name}']").get_by_label("Comparer").check()
    columns = page.get_by_role("region", name="Comparaison des simulations").locator(".sim-column")
    expect(columns).to_have_count(2)
    expect(columns.nth(0)).to_contain_text("Franchise")

    page.get_by_role("button", name="Reprendre la simulation Franchise 500 €").click()
    expect(page.locator("#quote-annual")).to_contain_text(f"{cheaper:.2f}".replace(".", ","))
    page.get_by_role("button", name="Valider la modification").click()
    expect(page.locator("#endorse-error")).to_contain_text("Cochez la case")
    page.get_by_label(re.compile("j'accepte cet avenant")).check()
    page.get_by_role("button", name="Valider la modification").click()
    link = page.locator("#avenant-link")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    text = " ".join(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages
        ).split()
    )
    assert who["contract"] in text and "Franchise" in text and "500,00" in text
    assert f"{cheaper:.2f}".replace(".", ",") in text.replace("\u202f", "").replace(" ", "")

    page.goto(f"/contrat?n={who['contract']}")
    expect(page.get_by_text("Avenant n° 1")).to_be_visible()
    expect(page.locator("dd", has_text=f"{cheaper:.2f}".replace(".", ",")).first).to_be_visible()
    expect(page.locator("#instalments")).to_be_visible()


def test_another_holders_contract_number_gives_nothing(new_page, app_engine, device):
    owner = new_holder(app_engine)
    intruder = new_holder(app_engine)
    page = new_page(device)
    login(page, intruder["email"], intruder["password"])
    for path in ("/contrat", "/contrat/modifier", "/contrat/conditions"):
        page.goto(f"{path}?n={owner['contract']}")
        if path != "/contrat/conditions":
            expect(
                page.get_by_text("Ce contrat est introuvable dans votre espace.")
            ).to_be_visible()
        expect(page.get_by_text(owner["contract"])).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_deep_link_survives_the_login_detour(page: Page, app_engine):
    page.goto("/contrat?n=MRH0413922")
    expect(page).to_have_url(re.compile(r"/connexion/?\?suite="))
    login(page, start=page.url)
    wait_ready(page, re.compile(r"/contrat/?\?n=MRH0413922$"))
    expect(page.get_by_role("heading", name="Maison à Carnac")).to_be_visible()
