"""Event handlers that take an id: holder B sending holder A's id gets nothing.

The handlers are called with a stand-in ``self`` whose signed-in principal is B, exactly as
Reflex would call them for B's browser; the database is the real one.
"""

from __future__ import annotations

import dataclasses
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


# ----- id-taking handlers reached through the real session check (holder B, A's ids) -------------


def _page(cls, token: str, path: str, query: dict | None = None):
    import reflex as rx

    import espace.espace  # noqa: F401  (registers every state)
    from espace.core.settings import get_settings

    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    state._update_router_vars(
        {
            "headers": {"cookie": f"{get_settings().session_cookie_name}={token}"},
            "pathname": path,
            "asPath": path,
            "query": query or {},
        },
        {},
    )
    return state


@pytest.fixture
def alice_and_bob(engine):
    from espace.contracts import attestations, cover_choice, cover_quotes

    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        a_contract, b_contract = factories.contract(db, alice), factories.contract(db, bob)
        document = attestations.issue(
            session=db,
            holder_id=alice.id,
            contract_id=a_contract.id,
            request=attestations.AttestationRequest(kind="standard"),
        )
        current = cover_choice.current_choice(session=db, contract=a_contract)
        other = "INTEGRALE" if current.formula != "INTEGRALE" else "ESSENTIELLE"
        choice = dataclasses.replace(current, formula=other)  # not what Bob's page shows
        simulation = cover_quotes.save_simulation(
            session=db, holder_id=alice.id, contract_id=a_contract.id, name="A", choice=choice
        )
        return SimpleNamespace(
            bob_token=factories.signed_in(db, bob)[0],
            a_contract=a_contract.id,
            b_number=b_contract.number,
            document=document.id,
            simulation=simulation.id,
        )

    return factories.committed(setup)


def test_previewing_another_holders_document_shows_nothing(alice_and_bob):
    from espace.state.documents import DocumentsState
    from tests.events import run_handler

    bob = _page(DocumentsState, alice_and_bob.bob_token, "/documents")
    run_handler(DocumentsState.open_preview, bob, alice_and_bob.document)
    assert bob.preview_url == "" and bob.preview_title == ""


def test_a_quick_attestation_for_another_holders_contract_is_refused(alice_and_bob):
    from espace.documents.models import Document
    from espace.state.dashboard import DashboardState
    from tests.events import run_handler

    def count():
        with Session(get_engine()) as db:
            return len(
                db.exec(
                    select(Document).where(Document.contract_id == alice_and_bob.a_contract)
                ).all()
            )

    before = count()
    bob = _page(DashboardState, alice_and_bob.bob_token, "/tableau-de-bord")
    assert run_handler(DashboardState.quick_attestation, bob, alice_and_bob.a_contract) is None
    assert bob.attestation_error and count() == before


def test_another_holders_simulation_can_be_neither_applied_nor_deleted(alice_and_bob):
    from espace.contracts.models import Simulation
    from espace.state.cover import CoverState
    from tests.events import run_handler

    query = {"n": alice_and_bob.b_number}
    bob = _page(CoverState, alice_and_bob.bob_token, "/contrat/garanties", query)
    run_handler(CoverState.load, bob)
    shown = (bob.c_formula, bob.c_capital, bob.c_deductible, list(bob.c_options))
    run_handler(CoverState.apply_simulation, bob, alice_and_bob.simulation)
    assert bob.c_formula == shown[0]
    assert (bob.c_formula, bob.c_capital, bob.c_deductible, list(bob.c_options)) == shown
    run_handler(CoverState.delete_simulation, bob, alice_and_bob.simulation)
    with Session(get_engine()) as db:
        assert db.get(Simulation, alice_and_bob.simulation) is not None
