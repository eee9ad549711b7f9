"""Failed deliveries in the back office (/gestion/envois): managers see the messages the worker gave
up on and send them again (audited); handlers, experts and holders cannot, whether they call the
page's handlers as Reflex would or the service directly. The content of a message is never shown."""

from __future__ import annotations

import pytest
import reflex as rx
from huey.storage import MemoryStorage
from sqlmodel import Session, select

import espace.espace  # noqa: F401  (registers every state)
from espace import routes
from espace.claims.models import StaffAuditLog
from espace.core import jobs
from espace.core.db import get_engine
from espace.core.settings import get_settings
from espace.identity import failed_deliveries, sessions
from espace.identity.models import StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import deliveries
from espace.notifications.models import OutboxMessage
from espace.state.staff_deliveries import StaffDeliveriesState
from tests import factories
from tests.events import run_handler

SECRET = "Votre code de connexion : 482913"


def _token(db, *, account_id=None, staff_id=None) -> str:
    return sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, account_id=account_id, staff_id=staff_id)
    )


def _state(token: str | None) -> StaffDeliveriesState:
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(StaffDeliveriesState.get_full_name().split("."))
    cookie = f"{get_settings().session_cookie_name}={token}" if token else ""
    state._update_router_vars(
        {
            "headers": {"cookie": cookie, "origin": "http://localhost:8000"},
            "pathname": routes.STAFF_DELIVERIES,
            "asPath": routes.STAFF_DELIVERIES,
            "query": {},
        },
        {},
    )
    return state


def _is_login_redirect(spec) -> bool:
    return (
        isinstance(spec, rx.event.EventSpec)
        and bool(spec.args)
        and getattr(spec.args[0][1], "_var_value", None) == routes.STAFF_LOGIN
    )


@pytest.fixture
def queue(monkeypatch) -> MemoryStorage:
    storage = MemoryStorage(jobs.QUEUE_NAME)
    monkeypatch.setattr(jobs.huey, "storage", storage)
    return storage


@pytest.fixture
def team(engine):
    def setup(db):
        people = {role: factories.staff(db, role=role) for role in ("manager", "handler", "expert")}
        holder = factories.holder(db)
        tokens = {role: _token(db, staff_id=user.id) for role, user in people.items()}
        tokens["holder"] = _token(db, account_id=factories.account_of(db, holder).id)
        return {role: user.id for role, user in people.items()}, tokens

    ids, tokens = factories.committed(setup)
    yield ids, tokens

    def teardown(db):
        for staff_id in ids.values():
            db.get(StaffUser, staff_id).is_active = False

    factories.committed(teardown)


@pytest.fixture
def failed_message(engine):
    def setup(db):
        message = OutboxMessage(
            channel="email",
            recipient="camille.martin@example.com",
            subject="Votre code de connexion",
            body=SECRET,
            status="failed",
            attempts=6,
            error="SMTPRecipientsRefused: 550 boîte pleine",
        )
        db.add(message)
        db.flush()
        return message.id

    message_id = factories.committed(setup)
    yield message_id

    def teardown(db):  # kept (ids are not reused), out of the failed list
        db.get(OutboxMessage, message_id).status = "cancelled"

    factories.committed(teardown)


def _message(message_id: int) -> OutboxMessage:
    with Session(get_engine()) as db:
        return db.get(OutboxMessage, message_id)


def _audit(message_id: int) -> list[tuple[str, int]]:
    with Session(get_engine()) as db:
        return [
            (log.action, log.staff_id)
            for log in db.exec(
                select(StaffAuditLog).where(
                    StaffAuditLog.object_type == "outbox_message",
                    StaffAuditLog.object_id == message_id,
                )
            ).all()
        ]


def test_a_manager_sees_a_failed_delivery_and_sends_it_again(team, failed_message, queue):
    ids, tokens = team
    page = _state(tokens["manager"])
    assert run_handler(StaffDeliveriesState.load, page) is None and page.error == ""
    [item] = [row for row in page.rows if row.id == failed_message]
    assert (item.channel, item.recipient, item.subject) == (
        "E-mail",
        "camille.martin@example.com",
        "Votre code de connexion",
    )
    assert "550 boîte pleine" in item.error and item.attempts == "6 essais"
    assert "482913" not in str(page.dict())  # the content (a code) never reaches the browser

    run_handler(StaffDeliveriesState.resend, page, {"message_id": str(failed_message)})
    assert page.error == "" and "file d'envoi" in page.info
    assert failed_message not in {row.id for row in page.rows}
    message = _message(failed_message)
    assert (message.status, message.attempts, message.error) == ("queued", 0, "")
    assert _audit(failed_message) == [("resend_message", ids["manager"])]
    [task] = [jobs.huey.deserialize_task(data) for data in queue.enqueued_items()]
    assert task.args == (failed_message,)  # the worker sends it after the commit

    run_handler(
        StaffDeliveriesState.resend, page, {"message_id": str(failed_message)}
    )  # a double click
    assert "n'est plus en échec" in page.error and len(_audit(failed_message)) == 1


@pytest.mark.parametrize("role", ["handler", "expert"])
def test_other_staff_neither_see_nor_resend(role, team, failed_message, queue):
    _, tokens = team
    page = _state(tokens[role])
    assert run_handler(StaffDeliveriesState.load, page) is None
    assert page.rows == [] and "responsables" in page.error
    run_handler(StaffDeliveriesState.resend, page, {"message_id": str(failed_message)})
    assert "responsables" in page.error and page.rows == []
    assert _message(failed_message).status == "failed" and _audit(failed_message) == []
    assert queue.enqueued_items() == []


@pytest.mark.parametrize("who", ["holder", "nobody", "forged"])
def test_a_holder_or_no_session_is_sent_to_the_staff_sign_in(who, team, failed_message, queue):
    _, tokens = team
    page = _state({"holder": tokens["holder"], "nobody": None, "forged": "not-a-token"}[who])
    assert _is_login_redirect(run_handler(StaffDeliveriesState.load, page)) and page.rows == []
    spec = run_handler(StaffDeliveriesState.resend, page, {"message_id": str(failed_message)})
    assert isinstance(spec, rx.event.EventSpec)
    assert _message(failed_message).status == "failed" and _audit(failed_message) == []
    assert queue.enqueued_items() == []


def test_the_service_refuses_on_its_own(db, queue):
    manager, handler = factories.staff(db, role="manager"), factories.staff(db, role="handler")
    expert, gone = factories.staff(db, role="expert"), factories.staff(db, role="manager")
    gone.is_active = False
    message = OutboxMessage(
        channel="sms", recipient="+33612345678", body=SECRET, status="failed", attempts=6
    )
    db.add_all([gone, message])
    db.flush()
    for staff_id in (handler.id, expert.id, gone.id, None, 10**9):
        with pytest.raises(StaffForbidden):
            failed_deliveries.failed(session=db, staff_id=staff_id)
        with pytest.raises(StaffForbidden):
            failed_deliveries.resend(session=db, staff_id=staff_id, message_id=message.id)
    db.refresh(message)
    assert message.status == "failed"
    assert message.id in {
        row.id for row in failed_deliveries.failed(session=db, staff_id=manager.id)
    }
    assert sum(deliveries.failed_count(session=db).values()) >= 1
    with pytest.raises(
        failed_deliveries.NotResendable
    ):  # only failed messages go back to the queue
        sent = OutboxMessage(channel="email", recipient="a@b.fr", body="x", status="sent")
        db.add(sent)
        db.flush()
        failed_deliveries.resend(session=db, staff_id=manager.id, message_id=sent.id)
