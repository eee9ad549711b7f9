"""Failed deliveries in the back office (/gestion/envois): a manager sees a message the worker gave
up on, without its content, and sends it again; a handler gets no list."""

from __future__ import annotations

import re

from sqlmodel import Session

from espace.demo.seed import STAFF
from espace.identity.models import StaffRole
from espace.notifications.models import OutboxMessage
from tests.e2e.conftest import assert_accessible, expect, staff_login, wait_ready

MANAGER = next(email for email, _, role in STAFF if role == StaffRole.MANAGER)
HANDLER = next(email for email, _, role in STAFF if role == StaffRole.HANDLER)


def _failed(engine, subject: str) -> int:
    with Session(engine) as db:
        message = OutboxMessage(
            channel="email",
            recipient="camille.martin@example.com",
            subject=subject,
            body="Votre code : 482913",
            status="failed",
            attempts=6,
            error="SMTPRecipientsRefused: 550 boîte pleine",
        )
        db.add(message)
        db.commit()
        return message.id


def _status(engine, message_id: int) -> str:
    with Session(engine) as db:
        return db.get(OutboxMessage, message_id).status


def test_a_manager_resends_a_failed_delivery(new_page, app_engine):
    message_id = _failed(app_engine, "Code de connexion (essai e2e)")
    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, MANAGER)
    staff.get_by_role("link", name="Envois en échec").click()
    wait_ready(staff, re.compile(r"/gestion/envois"))
    expect(staff.get_by_role("heading", name="Envois en échec")).to_be_visible()
    card = staff.locator("article").filter(has_text="Code de connexion (essai e2e)")
    expect(card).to_contain_text("550 boîte pleine")
    expect(card).to_contain_text("camille.martin@example.com")
    expect(card).not_to_contain_text("482913")
    assert_accessible(staff)
    card.get_by_role("button", name="Renvoyer").click()
    expect(staff.get_by_role("status")).to_contain_text("file d'envoi")
    expect(card).to_have_count(0)
    assert _status(app_engine, message_id) == "queued"


def test_a_handler_gets_no_list(new_page, app_engine):
    _failed(app_engine, "Invisible pour un gestionnaire")
    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, HANDLER)
    staff.goto("/gestion/envois")
    wait_ready(staff)
    expect(staff.get_by_role("alert")).to_contain_text("responsables")
    expect(staff.locator("article")).to_have_count(0)
