"""Back-office search (/gestion/recherche) in the browser: a handler finds a holder by name and the
holder's claim by its number; an expert does not find a claim he is not appointed to."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import Session, select

from espace.claims.models import Claim
from espace.demo.seed import STAFF
from tests.e2e.conftest import assert_accessible, demo_claim_number, staff_login, wait_ready


def test_staff_search_within_each_roles_rights(new_page, app_engine):
    number = demo_claim_number(app_engine)
    page = new_page("desktop")
    page.goto("/gestion/recherche")
    expect(page).to_have_url(re.compile(r"/gestion/connexion/?$"))
    staff_login(page, STAFF[0][0])  # a handler
    page.get_by_role("link", name="Recherche").click()
    wait_ready(page, re.compile(r"/gestion/recherche"))
    for _ in range(300):  # the index may still be building on a fresh test app
        page.get_by_label("Rechercher").fill("Camille Martin")
        page.get_by_role("button", name="Rechercher").click()
        if page.locator("#staff-results [data-kind='holder']").count():
            break
        page.wait_for_timeout(1000)
    expect(page.locator("#staff-results [data-kind='holder']").first).to_contain_text("Martin")
    page.get_by_label("Rechercher").fill(number)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#staff-results [data-kind='claim']").first).to_contain_text(number)
    assert_accessible(page)

    with Session(app_engine) as db:  # a claim no expert was appointed to
        other = db.exec(
            select(Claim.number).where(Claim.expert_id.is_(None), Claim.number.is_not(None))
        ).first()
    page.get_by_label("Rechercher").fill(other)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#staff-results [data-kind='claim']").first).to_contain_text(other)

    expert = new_page("desktop")
    expert.goto("/gestion/recherche")
    staff_login(expert, STAFF[1][0])
    expert.goto(f"/gestion/recherche?q={other}")
    wait_ready(expert)
    # His own claims may come up (their numbers share "SIN-<year>"), never this one.
    expect(expert.locator("#staff-results [data-kind='claim']").first).to_be_visible()
    expect(expert.locator("#staff-results")).not_to_contain_text(other)
