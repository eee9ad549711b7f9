"""The staff claims back office states, called as Reflex would call them, without a browser.

Each state is a real Reflex state whose websocket handshake carries a session cookie (a staff
member's, a holder's, or none); the database is the real one, so the test data is committed
(and the staff members created here are deactivated afterwards)."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path

import pytest
import reflex as rx
from PIL import Image
from sqlmodel import Session, select

import espace.espace  # noqa: F401  (registers every state)
from espace import routes
from espace.claims import declaration, workflow
from espace.claims.models import Claim, ClaimFile, ClaimMessage, ClaimStatus, StaffAuditLog
from espace.core import formatting as fmt
from espace.core.db import get_engine
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.identity.models import StaffUser
from espace.state.staff_claims import StaffClaimsState, StaffClaimState
from tests import factories

S = ClaimStatus


# ----- helpers -----------------------------------------------------------------------------------


def _token(db, *, account_id=None, staff_id=None) -> str:
    return sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, account_id=account_id, staff_id=staff_id)
    )


def _state(cls, token: str | None, number: str = ""):
    """A fresh state of ``cls`` whose handshake carried ``token`` as the session cookie."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    path = routes.STAFF_CLAIM if cls is StaffClaimState else routes.STAFF_CLAIMS
    cookie = f"{get_settings().session_cookie_name}={token}" if token else ""
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


def _is_login_redirect(spec) -> bool:
    return (
        isinstance(spec, rx.event.EventSpec)
        and bool(spec.args)
        and getattr(spec.args[0][1], "_var_value", None) == routes.STAFF_LOGIN
    )


def _claim(db, *, peril: str = "water_damage") -> Claim:
    person = factories.holder(db)
    contract = factories.contract(db, person)
    now = utcnow()
    today = now.astimezone(PARIS).date()
    claim = declaration.start_draft(
        session=db,
        holder_id=person.id,
        account_id=factories.account_of(db, person).id,
        contract_id=contract.id,
    )
    declaration.set_peril(session=db, claim=claim, peril_code=peril)
    answers = (
        {"origin": "leak", "neighbour_involved": "no", "leak_stopped": "yes"}
        if peril == "water_damage"
        else {"pane": "window", "glass_cause": "accident"}
    )
    declaration.set_answers(session=db, claim=claim, raw=answers, today=today)
    declaration.set_when(
        session=db,
        claim=claim,
        day_text=(today - timedelta(days=1)).isoformat(),
        time_text="09:30",
        description="Fuite sous l'évier de la cuisine, parquet gonflé.",
        now=now,
    )
    declaration.add_item(
        session=db,
        claim=claim,
        description="Parquet de la cuisine",
        category="building",
        purchase_date="",
        purchase_price="",
        estimate_text="1 200,00",
        today=today,
    )
    declaration.submit(session=db, claim=claim, now=now)
    return claim


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _upload(data: bytes, name: str) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name))


def _audit(claim_id: int) -> list[tuple[str, int]]:
    with Session(get_engine()) as db:
        return [
            (log.action, log.staff_id)
            for log in db.exec(
                select(StaffAuditLog)
                .where(StaffAuditLog.object_type == "claim", StaffAuditLog.object_id == claim_id)
                .order_by(StaffAuditLog.id)
            ).all()
        ]


def _status(claim_id: int) -> str:
    with Session(get_engine()) as db:
        return db.get(Claim, claim_id).status


@pytest.fixture
def team(engine):
    """A handler, a manager and two experts, each with a signed-in staff session; deactivated
    afterwards."""

    def setup(db):
        people = {
            role: factories.staff(db, role=r)
            for role, r in (
                ("handler", "handler"),
                ("manager", "manager"),
                ("expert", "expert"),
                ("other_expert", "expert"),
            )
        }
        return {role: (user.id, _token(db, staff_id=user.id)) for role, user in people.items()}

    members = factories.committed(setup)
    yield members

    def teardown(db):
        for staff_id, _ in members.values():
            user = db.get(StaffUser, staff_id)
            user.is_active = False
            db.add(user)

    factories.committed(teardown)


def _claim_page(team, role: str, number: str) -> StaffClaimState:
    state = _state(StaffClaimState, team[role][1], number)
    assert StaffClaimState.load.fn(state) is None
    return state


# ----- a holder's session never passes -----------------------------------------------------------


def test_a_holder_session_cannot_use_any_staff_handler(engine, team):
    def setup(db):
        claim = _claim(db)
        person_account = factories.account_of(db, factories.holder(db))
        return claim.id, claim.number, _token(db, account_id=person_account.id)

    claim_id, number, holder_token = factories.committed(setup)
    before_status, before_audit = _status(claim_id), _audit(claim_id)
    queue = _state(StaffClaimsState, holder_token)
    for call in (
        lambda: StaffClaimsState.load.fn(queue),
        lambda: StaffClaimsState.apply_filters.fn(queue, {"status": ""}),
        lambda: StaffClaimsState.filter_status.fn(queue, "received"),
        lambda: StaffClaimsState.filter_late.fn(queue, True),
        lambda: StaffClaimsState.clear_filters.fn(queue),
    ):
        assert _is_login_redirect(call())
    assert queue.rows == []

    page = _state(StaffClaimState, holder_token, number)
    assert _is_login_redirect(StaffClaimState.load.fn(page))
    assert not page.found and page.number == ""
    page._claim_id = (
        claim_id  # even with the claim's id on the server side, every action is refused
    )
    handler_id = team["handler"][0]
    expert_id = team["expert"][0]
    calls = [
        lambda: StaffClaimState.take_claim.fn(page),
        lambda: StaffClaimState.assign_handler.fn(page, {"handler": str(handler_id)}),
        lambda: StaffClaimState.appoint_expert.fn(page, {"expert": str(expert_id)}),
        lambda: StaffClaimState.plan_visit.fn(
            page, {"visit_date": "2030-01-01", "visit_time": "10:00"}
        ),
        lambda: StaffClaimState.assess.fn(page, {"damage": "1000"}),
        lambda: StaffClaimState.record_payment.fn(page, {}),
        lambda: StaffClaimState.request_documents.fn(page, {"requested": "Facture du parquet"}),
        lambda: StaffClaimState.refuse.fn(
            page, {"refusal": "Exclusion : défaut d'entretien manifeste."}
        ),
        lambda: StaffClaimState.close_claim.fn(page),
        lambda: StaffClaimState.reopen.fn(page, {"reopen_reason": "Nouvel élément reçu"}),
        lambda: StaffClaimState.reply.fn(page, {"reply_body": "Bonjour"}),
        lambda: asyncio.run(
            StaffClaimState.upload_report.fn(page, [_upload(_jpeg(), "rapport.jpg")])
        ),
        lambda: asyncio.run(
            StaffClaimState.upload_document.fn(page, [_upload(_jpeg(), "devis.jpg")])
        ),
    ]
    for call in calls:
        page._claim_id = claim_id
        assert _is_login_redirect(call())
    assert _status(claim_id) == before_status and _audit(claim_id) == before_audit
    with Session(get_engine()) as db:
        assert (
            db.exec(select(ClaimMessage).where(ClaimMessage.claim_id == claim_id)).first() is None
        )
        assert db.exec(select(ClaimFile).where(ClaimFile.claim_id == claim_id)).first() is None


def test_no_session_at_all_is_sent_to_staff_login(engine):
    assert _is_login_redirect(StaffClaimsState.load.fn(_state(StaffClaimsState, None)))
    assert _is_login_redirect(
        StaffClaimState.load.fn(_state(StaffClaimState, None, "SIN-2026-000001"))
    )
    assert _is_login_redirect(
        StaffClaimState.load.fn(_state(StaffClaimState, "not-a-token", "SIN-2026-000001"))
    )


# ----- experts only see and act on their own claims ----------------------------------------------


def test_an_expert_neither_sees_nor_acts_on_a_claim_they_are_not_appointed_to(engine, team):
    claim_id, number = factories.committed(lambda db: (lambda c: (c.id, c.number))(_claim(db)))
    page = _claim_page(team, "handler", number)
    StaffClaimState.appoint_expert.fn(page, {"expert": str(team["expert"][0])})
    assert page.errors == {} and _status(claim_id) == S.EXPERT_APPOINTED

    # The other expert: not in the queue, "Dossier introuvable" on the page.
    queue = _state(StaffClaimsState, team["other_expert"][1])
    StaffClaimsState.load.fn(queue)
    StaffClaimsState.apply_filters.fn(queue, {"status": ""})
    assert number not in {row.number for row in queue.rows}
    other = _claim_page(team, "other_expert", number)
    assert other.loaded and not other.found and other.number == ""

    # ... and acting by id (as if the id had been planted on the server) is refused by the service.
    before = _audit(claim_id)
    other._claim_id = claim_id
    StaffClaimState.plan_visit.fn(
        other,
        {
            "visit_date": (utcnow() + timedelta(days=3)).date().isoformat(),
            "visit_time": "10:00",
            "visit_note": "",
        },
    )
    assert "attribué" in other.errors.get("visit", "")
    other._claim_id = claim_id
    asyncio.run(StaffClaimState.upload_report.fn(other, [_upload(_jpeg(), "rapport.jpg")]))
    assert "report" in other.errors
    assert _status(claim_id) == S.EXPERT_APPOINTED and _audit(claim_id) == before

    # The appointed expert sees it and may plan the visit, but not appoint or refuse.
    mine = _state(StaffClaimsState, team["expert"][1])
    StaffClaimsState.load.fn(mine)
    assert number in {row.number for row in mine.rows}
    expert = _claim_page(team, "expert", number)
    assert (
        expert.found
        and expert.allowed["visit"]
        and not expert.allowed["appoint"]
        and not expert.allowed["refuse"]
    )
    assert (
        not expert.allowed["messages"]
        and not expert.allowed["audit"]
        and expert.messages == []
        and expert.audit == []
    )
    StaffClaimState.refuse.fn(
        expert, {"refusal": "Je refuse ce dossier pour une raison quelconque."}
    )
    assert "rôle" in expert.errors.get("refuse", "")
    assert _status(claim_id) == S.EXPERT_APPOINTED


# ----- the manager alone reopens ------------------------------------------------------------------


def test_a_handler_cannot_reopen_a_claim_only_a_manager_can(engine, team):
    claim_id, number = factories.committed(lambda db: (lambda c: (c.id, c.number))(_claim(db)))
    handler = _claim_page(team, "handler", number)
    StaffClaimState.refuse.fn(handler, {"refusal": "Trop court"})
    assert (
        handler.errors.get("refusal") and _status(claim_id) == S.RECEIVED
    )  # nothing saved on an error
    StaffClaimState.refuse.fn(
        handler, {"refusal": "La fuite provient d'un défaut d'entretien exclu (art. 12)."}
    )
    assert _status(claim_id) == S.REFUSED
    assert not handler.allowed["reopen"]

    StaffClaimState.reopen.fn(
        handler, {"reopen_reason": "L'assuré a envoyé une facture d'entretien."}
    )
    assert "rôle" in handler.errors.get("reopen", "")
    assert _status(claim_id) == S.REFUSED
    assert ("reopen", team["handler"][0]) not in _audit(claim_id)

    manager = _claim_page(team, "manager", number)
    assert manager.allowed["reopen"]
    StaffClaimState.reopen.fn(
        manager, {"reopen_reason": "L'assuré a envoyé une facture d'entretien."}
    )
    assert manager.errors == {} and _status(claim_id) == S.RECEIVED
    assert ("reopen", team["manager"][0]) in _audit(claim_id)
    assert manager.audit and manager.audit[0].action == "Dossier rouvert"


# ----- every action is written to the audit log ---------------------------------------------------


def test_each_action_writes_an_audit_row_with_the_staff_id(engine, team):
    claim_id, number = factories.committed(lambda db: (lambda c: (c.id, c.number))(_claim(db)))
    handler_id, manager_id, expert_id = team["handler"][0], team["manager"][0], team["expert"][0]
    handler, manager = _claim_page(team, "handler", number), _claim_page(team, "manager", number)
    assert handler.found and handler.number == number and handler.peril_label == "Dégât des eaux"
    assert handler.answers and handler.items[0].estimate == fmt.money(120_000)

    def done(state, action, staff_id):
        assert state.errors == {}, state.errors
        assert _audit(claim_id)[-1] == (action, staff_id)

    StaffClaimState.assign_handler.fn(manager, {"handler": str(handler_id)})
    done(manager, "assign_handler", manager_id)
    StaffClaimState.take_claim.fn(handler)
    done(handler, "assign_handler", handler_id)
    StaffClaimState.request_documents.fn(
        handler, {"requested": "Facture du parquet et photos de la fuite."}
    )
    done(handler, "request_documents", handler_id)
    StaffClaimState.reply.fn(
        handler, {"reply_body": "Bonjour, merci d'ajouter la facture du parquet."}
    )
    done(handler, "reply", handler_id)
    assert handler.messages[-1].from_staff
    StaffClaimState.set_document_kind.fn(handler, "correspondence")
    asyncio.run(StaffClaimState.upload_document.fn(handler, [_upload(_jpeg(), "courrier.jpg")]))
    done(handler, "upload", handler_id)
    assert handler.files[-1].kind == "Courrier" and handler.files[-1].thumbnail_url.endswith(
        "?miniature=1"
    )
    StaffClaimState.appoint_expert.fn(handler, {"expert": str(expert_id)})
    done(handler, "appoint_expert", handler_id)

    expert = _claim_page(team, "expert", number)
    StaffClaimState.plan_visit.fn(expert, {"visit_date": "2001-01-01", "visit_time": "10:00"})
    assert expert.errors.get("visit_date")  # in the past: refused, nothing saved
    day = (utcnow().astimezone(PARIS) + timedelta(days=3)).date().isoformat()
    StaffClaimState.plan_visit.fn(
        expert, {"visit_date": day, "visit_time": "14:30", "visit_note": "Sonner au 2e"}
    )
    done(expert, "plan_visit", expert_id)
    asyncio.run(StaffClaimState.upload_report.fn(expert, [_upload(_jpeg(), "rapport.jpg")]))
    assert (
        expert.errors.get("report_summary") and _status(claim_id) == S.VISIT_PLANNED
    )  # the summary comes first
    StaffClaimState.set_report_summary.fn(expert, "Fuite du siphon, parquet à remplacer sur 6 m².")
    asyncio.run(StaffClaimState.upload_report.fn(expert, [_upload(b"not an image", "rapport.exe")]))
    assert expert.errors.get("report_file") and _status(claim_id) == S.VISIT_PLANNED
    asyncio.run(StaffClaimState.upload_report.fn(expert, [_upload(_jpeg(), "rapport.jpg")]))
    done(expert, "attach_report", expert_id)
    StaffClaimState.assess.fn(expert, {"damage": "deux mille"})
    assert expert.errors.get("damage") and _status(claim_id) == S.EXPERT_REPORT
    StaffClaimState.assess.fn(expert, {"damage": "2 450,00"})
    done(expert, "assess", expert_id)
    assert (
        expert.assessed_damage == fmt.money(245_000)
        and expert.indemnity
        and "franchise" in expert.indemnity_detail
    )

    handler = _claim_page(team, "handler", number)
    StaffClaimState.record_payment.fn(handler, {"payment_reference": "VIR-TEST-1"})
    done(handler, "record_payment", handler_id)
    StaffClaimState.close_claim.fn(handler)
    done(handler, "close", handler_id)
    assert _status(claim_id) == S.CLOSED and not handler.allowed["close"]
    StaffClaimState.reopen.fn(manager, {"reopen_reason": "Dommage complémentaire découvert."})
    done(manager, "reopen", manager_id)
    StaffClaimState.refuse.fn(
        handler, {"refusal": "Le dommage complémentaire relève d'une exclusion du contrat."}
    )
    done(handler, "refuse", handler_id)
    assert _status(claim_id) == S.REFUSED
    actions = {action for action, _ in _audit(claim_id)}
    assert actions == {
        "assign_handler",
        "request_documents",
        "reply",
        "upload",
        "appoint_expert",
        "plan_visit",
        "attach_report",
        "assess",
        "record_payment",
        "close",
        "reopen",
        "refuse",
    }


# ----- the queue's filters -----------------------------------------------------------------------


def test_queue_filters_late_peril_and_status(engine, team):
    handler_id, token = team["handler"]

    def setup(db):
        water, glass, late = _claim(db), _claim(db, peril="glass_breakage"), _claim(db)
        for claim in (water, glass, late):
            claim.handler_id = handler_id
            db.add(claim)
        late.next_step_due_at = utcnow() - timedelta(days=2)
        db.flush()
        workflow.refuse(
            session=db,
            staff_id=handler_id,
            claim_id=glass.id,
            reason="Le vitrage n'est pas couvert par la formule choisie.",
        )
        return water.number, glass.number, late.number

    water, glass, late = factories.committed(setup)
    queue = _state(StaffClaimsState, token)
    StaffClaimsState.load.fn(queue)
    StaffClaimsState.filter_mine.fn(queue, True)
    assert {row.number for row in queue.rows} == {
        water,
        late,
    }  # "en cours" by default: the refused one is out

    StaffClaimsState.filter_status.fn(queue, "")
    assert {row.number for row in queue.rows} == {water, glass, late}
    StaffClaimsState.filter_status.fn(queue, "refused")
    assert [row.number for row in queue.rows] == [glass]
    assert (
        queue.rows[0].status == "Prise en charge refusée"
        and queue.rows[0].url == f"{routes.STAFF_CLAIM}?n={glass}"
    )

    StaffClaimsState.apply_filters.fn(
        queue, {"status": "", "peril": "glass_breakage", "age": "", "mine": "on"}
    )
    assert [row.number for row in queue.rows] == [glass]
    StaffClaimsState.filter_peril.fn(queue, "water_damage")
    assert {row.number for row in queue.rows} == {water, late}

    StaffClaimsState.filter_late.fn(queue, True)
    assert [row.number for row in queue.rows] == [late]
    assert queue.rows[0].late and queue.rows[0].handler.startswith("Agent")

    StaffClaimsState.filter_age.fn(queue, "gt30")
    assert queue.rows == []
    StaffClaimsState.filter_age.fn(queue, "lt7")
    assert [row.number for row in queue.rows] == [late]

    StaffClaimsState.filter_status.fn(queue, "nonsense")  # unknown values fall back to the defaults
    assert queue.f_status == "open"
    StaffClaimsState.clear_filters.fn(queue)
    assert (queue.f_status, queue.f_peril, queue.f_age, queue.f_late, queue.f_mine) == (
        "open",
        "",
        "",
        False,
        False,
    )


def test_unknown_number_shows_dossier_introuvable(engine, team):
    page = _claim_page(team, "manager", "SIN-1999-999999")
    assert page.loaded and not page.found and page.number == ""
    StaffClaimState.close_claim.fn(page)
    assert page.errors == {"close": "Dossier introuvable."}
