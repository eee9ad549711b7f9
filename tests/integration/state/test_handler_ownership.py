"""Event handlers that take an id: holder B sending holder A's id gets nothing.

The handlers are called with a stand-in ``self`` whose signed-in principal is B, exactly as
Reflex would call them for B's browser; the database is the real one.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.identity import sessions, staff_access
from espace.identity.models import AccessRecoveryRequest, AuthSession
from espace.state.security import SecurityState
from espace.state.staff import StaffAccessState
from tests import factories
from tests.events import run_handler


def test_ending_a_session_by_id_only_reaches_your_own(engine):
    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        return factories.signed_in(db, alice), factories.signed_in(db, bob)

    (alice_token, alice), (bob_token, bob) = factories.committed(setup)
    bob_self = SimpleNamespace(
        _me=lambda: bob, _refresh=lambda me: None, _to_login=lambda: "login", flash=""
    )
    run_handler(SecurityState.end_session, bob_self, alice.session_id)
    with Session(get_engine()) as db:
        assert sessions.validate(session=db, token=alice_token) is not None
        assert db.get(AuthSession, alice.session_id).revoked_at is None
    assert bob_self.flash == ""


def test_signed_out_caller_is_sent_to_login(engine):
    nobody = SimpleNamespace(_me=lambda: None, _to_login=lambda: "login")
    assert run_handler(SecurityState.end_session, nobody, 1) == "login"
    assert run_handler(SecurityState.end_others, nobody) == "login"


def test_only_handlers_and_managers_handle_access_requests(engine):
    def setup(db):
        person = factories.holder(db, phone="")
        factories.contract(db, person)
        request = AccessRecoveryRequest(
            holder_id=person.id, contract_number="MRH0000000", due_at=utcnow()
        )
        db.add(request)
        expert, handler = factories.staff(db, role="expert"), factories.staff(db, role="handler")
        db.flush()
        return request.id, expert.id, handler.id

    request_id, expert_id, handler_id = factories.committed(setup)
    expert_self = SimpleNamespace(
        _staff_id=lambda: expert_id, _refresh=lambda staff_id: None, error=""
    )
    run_handler(StaffAccessState.handle, expert_self, {"request_id": str(request_id), "note": "x"})
    assert "rôle" in expert_self.error
    with Session(get_engine()) as db:
        assert db.get(AccessRecoveryRequest, request_id).status == "open"
        with pytest.raises(staff_access.StaffForbidden):
            staff_access.list_requests(session=db, staff_id=expert_id)
    handler_self = SimpleNamespace(
        _staff_id=lambda: handler_id, _refresh=lambda staff_id: None, error=""
    )
    run_handler(
        StaffAccessState.handle,
        handler_self,
        {"request_id": str(request_id), "note": "Identité vérifiée"},
    )
    with Session(get_engine()) as db:
        row = db.exec(
            select(AccessRecoveryRequest).where(AccessRecoveryRequest.id == request_id)
        ).one()
        assert row.status == "handled" and row.handled_by_id == handler_id


def test_a_holder_session_cannot_use_the_staff_area(engine):
    def setup(db):
        return factories.signed_in(db, factories.holder(db))

    _, holder = factories.committed(setup)
    assert (
        holder.staff_id is None
    )  # StaffAccessState._staff_id() is None for a holder: redirected to staff login
