"""Phones first (issue 23): the staff queues fold their filters behind "Filtrer" (with the number
of active filters) and keep them open on a wide screen; a manager assigns a complaint to a colleague
in the browser; the holder's dashboard opens on a greeting and what needs the holder now."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from espace.demo.seed import STAFF
from tests.e2e.conftest import assert_accessible, login, new_holder, staff_login, wait_ready

HANDLER, MANAGER = STAFF[0][0], STAFF[2][0]
QUEUES = {  # page: (form id, a checkbox of the form, is it applied on change)
    "/gestion/sinistres": ("queue-filters", "#f-late", True),
    "/gestion/reclamations": ("complaint-filters", "#c-late", False),
    "/gestion/messages": ("inbox-filters", "#f-late", True),
}


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=10_000)


def _staff(new_page, device: str, email: str = MANAGER) -> Page:
    page = new_page(device)
    page.goto("/gestion/connexion")
    staff_login(page, email)
    return page


def test_staff_queues_fold_their_filters_on_a_phone(new_page, app_engine):
    phone = _staff(new_page, "phone")
    for path, (form_id, check, live) in QUEUES.items():
        phone.goto(path)
        form, toggle = phone.locator(f"#{form_id}"), phone.locator(f"#{form_id}-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_text("Filtrer")  # the default view: no count
        expect(form).to_be_hidden()
        # the list comes before the filters' content: the toggle is one row high
        assert toggle.bounding_box()["height"] < 60
        toggle.click()
        expect(form).to_be_visible()
        phone.locator(check).click()  # a controlled box: the server answers, then it is ticked
        expect(phone.locator(check)).to_be_checked()
        if not live:
            form.get_by_role("button", name="Filtrer").click()
        expect(toggle).to_contain_text("1 filtre actif")
        assert_accessible(phone)
        phone.goto(path)  # a fresh visit: the default view again, folded
        expect(form).to_be_hidden()

    desktop = _staff(new_page, "desktop")
    for path, (form_id, _check, _live) in QUEUES.items():
        desktop.goto(path)
        expect(desktop.locator(f"#{form_id}")).to_be_visible()  # open, without a disclosure
        expect(desktop.locator(f"#{form_id}-toggle")).to_be_hidden()


def test_a_manager_assigns_a_complaint_to_a_colleague(new_page, app_engine):
    from espace.identity.models import StaffUser
    from espace.support import complaints
    from espace.support.models import Complaint

    person = new_holder(app_engine)
    with Session(app_engine) as db:
        found = complaints.file_complaint(
            session=db,
            holder_id=person["id"],
            topic="service",
            subject="Attente au téléphone",
            body="J'ai attendu quarante minutes au téléphone sans obtenir de réponse.",
        )
        db.commit()
        complaint_id = found.id
        handler = db.exec(select(StaffUser).where(StaffUser.email == HANDLER)).one()
    page = _staff(new_page, "phone")
    page.goto(f"/gestion/reclamation?n={complaint_id}")
    page.get_by_label("Attribuer à").select_option(str(handler.id))
    page.locator("#assign-complaint").click()
    expect(page.locator("#complaint-assignee")).to_contain_text("Sophie Bernard")
    with Session(app_engine) as db:
        assert db.get(Complaint, complaint_id).assigned_staff_id == handler.id


def test_the_phone_dashboard_opens_on_what_needs_the_holder(new_page, app_engine):
    from espace.billing.models import Payment, PaymentStatus
    from espace.claims.models import Claim, ClaimStatus, VisitSlot
    from espace.contracts.models import Contract

    person = new_holder(app_engine)
    with Session(app_engine) as db:
        contract = db.exec(select(Contract).where(Contract.number == person["contract"])).one()
        due = date(2026, 2, 5)
        db.add(
            Payment(
                contract_id=contract.id,
                holder_id=person["id"],
                due_date=due,
                period_start=due,
                period_end=due + timedelta(days=30),
                amount_cents=4_250,
                tax_cents=300,
                status=PaymentStatus.REJECTED,
            )
        )
        claim = Claim(
            holder_id=person["id"],
            contract_id=contract.id,
            status=ClaimStatus.EXPERT_APPOINTED,
            peril="water_damage",
            number=f"SIN-2026-8{person['id']:05d}",
            submitted_at=datetime.now(UTC),
        )
        db.add(claim)
        db.flush()
        db.add(VisitSlot(claim_id=claim.id, starts_at=datetime.now(UTC) + timedelta(days=3)))
        db.commit()
        number = claim.number
    page = new_page("phone")
    login(page, person["email"], person["password"])
    wait_ready(page, re.compile(r"/tableau-de-bord/?$"))
    greeting = page.locator(".greeting")
    expect(greeting).to_contain_text("Bonjour")
    attention = page.locator("#attention")
    expect(attention.locator(".attention-item")).to_have_count(2)
    expect(attention.locator(".attention-item").first).to_contain_text("rejeté")
    expect(attention.get_by_role("link", name="Choisir un créneau")).to_have_attribute(
        "href", f"/sinistre?n={number}#visit"
    )
    # all of it on the first screen, above the widgets
    box = attention.bounding_box()
    assert box["y"] + box["height"] <= 844, box
    assert box["y"] < page.locator("#widgets").bounding_box()["y"]
    assert_accessible(page)
