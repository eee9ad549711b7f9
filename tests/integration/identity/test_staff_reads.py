"""Staff reads are traced (issue 16): every staff view of a holder's claim, conversation, file or
access request is logged (who, when, what), shown to managers next to the audit log, and given to
the holder on "Mes données" and in the GDPR export ("qui a consulté mon dossier"), by role, without
the staff member's name.

States are real Reflex states whose handshake carries a staff session cookie (as in
test_staff_claims_state); files are fetched over HTTP."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
import reflex as rx
import time_machine
from PIL import Image
from sqlmodel import Session, select
from starlette.testclient import TestClient

import espace.espace  # noqa: F401  (registers every state)
from espace import cli, routes
from espace.api.routes import build_api
from espace.claims import (
    declaration,
    declaration_contents,
    declaration_sending,
    workflow_views,
)
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import sessions, staff_reads
from espace.identity.models import AccessRecoveryRequest, StaffReadLog, StaffUser
from espace.privacy import export
from espace.state.privacy import PrivacyState
from espace.state.staff import StaffAccessState
from espace.state.staff_claims import StaffClaimState
from espace.state.staff_thread import StaffThreadState
from espace.support import thread_inbox, threads
from espace.support.models import SupportAttachment
from tests import factories
from tests.events import run_handler

COOKIE = "espace_session"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def _token(db, staff_id: int) -> str:
    return sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, staff_id=staff_id)
    )


def _state(cls, token: str, path: str, number: str = ""):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    cookie = f"{get_settings().session_cookie_name}={token}"
    state._update_router_vars(
        {
            "headers": {"cookie": cookie, "origin": "http://localhost:8000"},
            "pathname": path,
            "asPath": path + (f"?n={number}" if number else ""),
            "query": {"n": number} if number else {},
        },
        {},
    )
    return state


def _reads(holder_id: int) -> list[tuple[str, int, int]]:
    with Session(get_engine()) as db:
        return [
            (r.object_type, r.object_id, r.staff_id)
            for r in db.exec(
                select(StaffReadLog)
                .where(StaffReadLog.holder_id == holder_id)
                .order_by(StaffReadLog.id)
            ).all()
        ]


@pytest.fixture
def world(engine):
    """A holder with a sent claim (one photo) and a conversation (one attachment); a handler and a
    manager."""

    def setup(db):
        person = factories.holder(db)
        contract = factories.contract(db, person)
        now = utcnow()
        claim = declaration.start_draft(
            session=db, holder_id=person.id, account_id=None, contract_id=contract.id
        )
        declaration.set_peril(session=db, claim=claim, peril_code="fire")
        declaration.set_answers(
            session=db,
            claim=claim,
            raw={"firefighters_called": "no", "fire_origin": "cooking", "someone_injured": "no"},
            today=now.date(),
        )
        declaration.set_when(
            session=db,
            claim=claim,
            day_text=(now - timedelta(days=1)).date().isoformat(),
            time_text="",
            description="Un feu de poêle a noirci la cuisine.",
            now=now,
        )
        declaration_contents.add_item(
            session=db,
            claim=claim,
            description="Hotte",
            category="appliances",
            purchase_date="",
            purchase_price="",
            estimate_text="400",
            today=now.date(),
        )
        photo = declaration_contents.add_file(
            session=db, claim=claim, data=_jpeg(), filename="cuisine.jpg"
        )
        declaration_sending.submit(session=db, claim=claim, now=now)
        thread = threads.open_thread(
            session=db,
            holder_id=person.id,
            subject="Franchise",
            category="contract",
            body="Quelle franchise ?",
            attachments=[(_jpeg(), "devis.jpg")],
        )
        attachment = db.exec(
            select(SupportAttachment).where(SupportAttachment.thread_id == thread.id)
        ).one()
        request = AccessRecoveryRequest(
            holder_id=person.id, contract_number=contract.number, due_at=now
        )
        db.add(request)
        handler, manager = factories.staff(db, role="handler"), factories.staff(db, role="manager")
        db.flush()
        return SimpleNamespace(
            holder_id=person.id,
            holder_token=factories.signed_in(db, person)[0],
            claim_id=claim.id,
            number=claim.number,
            photo=photo.id,
            thread=thread.id,
            attachment=attachment.id,
            request=request.id,
            handler=(handler.id, _token(db, handler.id)),
            manager=(manager.id, _token(db, manager.id)),
            handler_name=handler.full_name,
        )

    found = factories.committed(setup)
    yield found

    def teardown(db):
        for staff_id in (found.handler[0], found.manager[0]):
            user = db.get(StaffUser, staff_id)
            user.is_active = False
            db.add(user)

    factories.committed(teardown)


def test_opening_a_claim_a_conversation_or_the_access_requests_is_logged(world):
    assert _reads(world.holder_id) == []
    handler_id, handler_token = world.handler
    run_handler(
        StaffClaimState.load,
        _state(StaffClaimState, handler_token, routes.STAFF_CLAIM, world.number),
    )
    run_handler(
        StaffThreadState.load,
        _state(StaffThreadState, handler_token, routes.STAFF_THREAD, str(world.thread)),
    )
    run_handler(
        StaffAccessState.load, _state(StaffAccessState, handler_token, routes.STAFF_ACCESS_REQUESTS)
    )
    assert _reads(world.holder_id) == [
        ("claim", world.claim_id, handler_id),
        ("support_thread", world.thread, handler_id),
        ("access_request", world.request, handler_id),
    ]
    # The same page again (or refreshed after an action) within 10 minutes is the same read...
    run_handler(
        StaffClaimState.load,
        _state(StaffClaimState, handler_token, routes.STAFF_CLAIM, world.number),
    )
    assert len(_reads(world.holder_id)) == 3
    # ...later it is another one.
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        run_handler(
            StaffClaimState.load,
            _state(StaffClaimState, handler_token, routes.STAFF_CLAIM, world.number),
        )
    assert _reads(world.holder_id)[-1] == ("claim", world.claim_id, handler_id)


def test_staff_file_downloads_are_logged_and_the_holders_own_are_not(world):
    with TestClient(build_api(), base_url="http://localhost:8000") as client:
        client.cookies.set(COOKIE, world.holder_token)
        assert client.get(routes.claim_file_url(world.photo)).status_code == 200
        assert client.get(routes.message_file_url(world.attachment)).status_code == 200
        assert _reads(world.holder_id) == []
        client.cookies.set(COOKIE, world.handler[1])
        assert client.get(routes.claim_file_url(world.photo, thumbnail=True)).status_code == 200
        assert client.get(routes.claim_file_url(world.photo)).status_code == 200
        assert client.get(routes.message_file_url(world.attachment)).status_code == 200
    handler_id = world.handler[0]
    assert _reads(world.holder_id) == [
        ("claim", world.claim_id, handler_id),  # a thumbnail: the claim's page
        ("claim_file", world.photo, handler_id),
        ("support_attachment", world.attachment, handler_id),
    ]
    with Session(get_engine()) as db:
        details = [
            r.detail
            for r in db.exec(select(StaffReadLog).where(StaffReadLog.holder_id == world.holder_id))
        ]
    assert details[1] == f"« cuisine.jpg » du sinistre {world.number}"
    assert details[2] == "« devis.jpg » (conversation « Franchise »)"


def test_managers_see_the_reads_of_a_claim_and_a_conversation_handlers_do_not(world):
    run_handler(
        StaffClaimState.load,
        _state(StaffClaimState, world.handler[1], routes.STAFF_CLAIM, world.number),
    )
    run_handler(
        StaffThreadState.load,
        _state(StaffThreadState, world.handler[1], routes.STAFF_THREAD, str(world.thread)),
    )
    handler_claim = _state(StaffClaimState, world.handler[1], routes.STAFF_CLAIM, world.number)
    run_handler(StaffClaimState.load, handler_claim)
    assert handler_claim.found and handler_claim.reads == []
    manager_claim = _state(StaffClaimState, world.manager[1], routes.STAFF_CLAIM, world.number)
    run_handler(StaffClaimState.load, manager_claim)
    assert {(r.who, r.what) for r in manager_claim.reads} >= {
        (world.handler_name, f"Sinistre {world.number}")
    }
    manager_thread = _state(
        StaffThreadState, world.manager[1], routes.STAFF_THREAD, str(world.thread)
    )
    run_handler(StaffThreadState.load, manager_thread)
    assert any(
        r.who == world.handler_name and r.detail == "Conversation « Franchise »"
        for r in manager_thread.reads
    )
    handler_thread = _state(
        StaffThreadState, world.handler[1], routes.STAFF_THREAD, str(world.thread)
    )
    run_handler(StaffThreadState.load, handler_thread)
    assert handler_thread.reads == []


def test_the_holder_sees_who_consulted_the_file_by_role_in_mes_donnees_and_the_export(world):
    run_handler(
        StaffClaimState.load,
        _state(StaffClaimState, world.handler[1], routes.STAFF_CLAIM, world.number),
    )
    run_handler(
        StaffThreadState.load,
        _state(StaffThreadState, world.manager[1], routes.STAFF_THREAD, str(world.thread)),
    )
    page = SimpleNamespace()
    PrivacyState._refresh(page, world.holder_id)
    assert [(r.role, r.what) for r in page.reads] == [
        ("Responsable", "Conversation « Franchise »"),
        ("Gestionnaire", f"Sinistre {world.number}"),
    ]
    assert page.reads_total == 2
    with Session(get_engine()) as db:
        archive = zipfile.ZipFile(
            io.BytesIO(export.export_zip(session=db, holder_id=world.holder_id))
        )
    rows = json.loads(archive.read(f"{export.READS_FILE}.json"))
    assert [(r["staff_role"], r["detail"]) for r in rows] == [
        ("Responsable", "Conversation « Franchise »"),
        ("Gestionnaire", f"Sinistre {world.number}"),
    ]
    assert f"{export.READS_FILE}.csv" in archive.namelist()
    assert "qui a consulté mon dossier" in archive.read("LISEZ-MOI.txt").decode("utf-8-sig")
    everything = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    assert world.handler_name not in everything  # roles, not names (CJEU C-579/21)


def test_the_read_log_is_written_by_the_services_whoever_calls_them(world):
    with Session(get_engine()) as db:
        workflow_views.visible_claim(session=db, staff_id=world.manager[0], number=world.number)
        workflow_views.file_for_staff(session=db, staff_id=world.manager[0], file_id=world.photo)
        thread_inbox.staff_thread(session=db, staff_id=world.manager[0], thread_id=world.thread)
        thread_inbox.attachment_for_staff(
            session=db, staff_id=world.manager[0], attachment_id=world.attachment
        )
        types = [
            r.object_type
            for r in db.exec(select(StaffReadLog).where(StaffReadLog.staff_id == world.manager[0]))
        ]
        assert types == ["claim", "claim_file", "support_thread", "support_attachment"]
        db.rollback()


def test_purge_deletes_reads_older_than_13_months(world, capsys):
    with Session(get_engine()) as db:
        staff_reads.record(
            session=db,
            staff_id=world.handler[0],
            holder_id=world.holder_id,
            object_type="claim",
            object_id=world.claim_id,
            now=utcnow() - timedelta(days=400),
        )
        staff_reads.record(
            session=db,
            staff_id=world.handler[0],
            holder_id=world.holder_id,
            object_type="claim",
            object_id=world.claim_id,
        )
        db.commit()
    assert cli.main(["purge"]) == 0
    assert "consultations" in capsys.readouterr().out
    assert len(_reads(world.holder_id)) == 1
