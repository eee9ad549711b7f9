"""The staff claims back office states, called as Reflex would call them, without a browser.

Each state is a real Reflex state whose websocket handshake carries a session cookie (a staff
member's, a holder's, or none); the database is the real one, so the test data is committed
(and the staff members created here are deactivated afterwards)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
import reflex as rx
from PIL import Image
from sqlmodel import Session, select

import espace.espace  # noqa: F401  (registers every state)
from espace import routes
from espace.claims import declaration, declaration_contents, declaration_sending, workflow
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
from tests.events import run_handler

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
    declaration_contents.add_item(
        session=db,
        claim=claim,
        description="Parquet de la cuisine",
        category="building",
        purchase_date="",
        purchase_price="",
        estimate_text="1 200,00",
        today=today,
    )
    declaration_sending.submit(session=db, claim=claim, now=now)
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
    assert run_handler(StaffClaimState.load, state) is None
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
        lambda: run_handler(StaffClaimsState.load, queue),
        lambda: run_handler(StaffClaimsState.apply_filters, queue, {"status": ""}),
        lambda: run_handler(StaffClaimsState.filter_status, queue, "received"),
        lambda: run_handler(StaffClaimsState.filter_late, queue, True),
        lambda: run_handler(StaffClaimsState.clear_filters, queue),
    ):
        assert _is_login_redirect(call())
    assert queue.rows == []

    page = _state(StaffClaimState, holder_token, number)
    assert _is_login_redirect(run_handler(StaffClaimState.load, page))
    assert not page.found and page.number == ""
    page._claim_id = (
        claim_id  # even with the claim's id on the server side, every action is refused
    )
    handler_id = team["handler"][0]
    expert_id = team["expert"][0]
    calls = [
        lambda: run_handler(StaffClaimState.take_claim, page),
        lambda: run_handler(StaffClaimState.assign_handler, page, {"handler": str(handler_id)}),
        lambda: run_handler(StaffClaimState.appoint_expert, page, {"expert": str(expert_id)}),
        lambda: run_handler(
            StaffClaimState.plan_visit, page, {"visit_date": "2030-01-01", "visit_time": "10:00"}
        ),
        lambda: run_handler(StaffClaimState.assess, page, {"damage": "1000"}),
        lambda: run_handler(StaffClaimState.record_payment, page, {}),
        lambda: run_handler(
            StaffClaimState.request_documents, page, {"requested": "Facture du parquet"}
        ),
        lambda: run_handler(
            StaffClaimState.refuse, page, {"refusal": "Exclusion : défaut d'entretien manifeste."}
        ),
        lambda: run_handler(StaffClaimState.close_claim, page),
        lambda: run_handler(StaffClaimState.reopen, page, {"reopen_reason": "Nouvel élément reçu"}),
        lambda: run_handler(StaffClaimState.reply, page, {"reply_body": "Bonjour"}),
        lambda: run_handler(StaffClaimState.upload_report, page, [_upload(_jpeg(), "rapport.jpg")]),
        lambda: run_handler(StaffClaimState.upload_document, page, [_upload(_jpeg(), "devis.jpg")]),
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
    assert _is_login_redirect(run_handler(StaffClaimsState.load, _state(StaffClaimsState, None)))
    assert _is_login_redirect(
        run_handler(StaffClaimState.load, _state(StaffClaimState, None, "SIN-2026-000001"))
    )
    assert _is_login_redirect(
        run_handler(StaffClaimState.load, _state(StaffClaimState, "not-a-token", "SIN-2026-000001"))
    )


# ----- experts only see and act on their own claims ----------------------------------------------


def test_an_expert_neither_sees_nor_acts_on_a_claim_they_are_not_appointed_to(engine, team):
    claim_id, number = factories.committed(lambda db: (lambda c: (c.id, c.number))(_claim(db)))
    page = _claim_page(team, "handler", number)
    run_handler(StaffClaimState.appoint_expert, page, {"expert": str(team["expert"][0])})
    assert page.errors == {} and _status(claim_id) == S.EXPERT_APPOINTED

    # The other expert: not in the queue, "Dossier introuvable" on the page.
    queue = _state(StaffClaimsState, team["other_expert"][1])
    run_handler(StaffClaimsState.load, queue)
    run_handler(StaffClaimsState.apply_filters, queue, {"status": ""})
    assert number not in {row.number for row in queue.rows}
    other = _claim_page(team, "other_expert", number)
    assert other.loaded and not other.found and other.number == ""

    # ... and acting by id (as if the id had been planted on the server) is refused by the service.
    before = _audit(claim_id)
    other._claim_id = claim_id
    run_handler(
        StaffClaimState.plan_visit,
        other,
        {
            "visit_date": (utcnow() + timedelta(days=3)).date().isoformat(),
            "visit_time": "10:00",
            "visit_note": "",
        },
    )
    assert "attribué" in other.errors.get("visit", "")
    other._claim_id = claim_id
    run_handler(StaffClaimState.upload_report, other, [_upload(_jpeg(), "rapport.jpg")])
    assert "report" in other.errors
    assert _status(claim_id) == S.EXPERT_APPOINTED and _audit(claim_id) == before

    # The appointed expert sees it and may plan the visit, but not appoint or refuse.
    mine = _state(StaffClaimsState, team["expert"][1])
    run_handler(StaffClaimsState.load, mine)
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
    run_handler(
        StaffClaimState.refuse,
        expert,
        {"refusal": "Je refuse ce dossier pour une raison quelconque."},
    )
    assert "rôle" in expert.errors.get("refuse", "")
    assert _status(claim_id) == S.EXPERT_APPOINTED


# ----- the manager alone reopens ------------------------------------------------------------------


def test_a_handler_cannot_reopen_a_claim_only_a_manager_can(engine, team):
    claim_id, number = factories.committed(lambda db: (lambda c: (c.id, c.number))(_claim(db)))
    handler = _claim_page(team, "handler", number)
    run_handler(StaffClaimState.refuse, handler, {"refusal": "Trop court"})
    assert (
        handler.errors.get("refusal") and _status(claim_id) == S.RECEIVED
    )  # nothing saved on an error
    run_handler(
        StaffClaimState.refuse,
        handler,
        {"refusal": "La fuite provient d'un défaut d'entretien exclu (art. 12)."},
    )
    assert _status(claim_id) == S.REFUSED
    assert not handler.allowed["reopen"]

    run_handler(
        StaffClaimState.reopen,
        handler,
        {"reopen_reason": "L'assuré a envoyé une facture d'entretien."},
    )
    assert "rôle" in handler.errors.get("reopen", "")
    assert _status(claim_id) == S.REFUSED
    assert ("reopen", team["handler"][0]) not in _audit(claim_id)

    manager = _claim_page(team, "manager", number)
    assert manager.allowed["reopen"]
    run_handler(
        StaffClaimState.reopen,
        manager,
        {"reopen_reason": "L'assuré a envoyé une facture d'entretien."},
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

    run_handler(StaffClaimState.assign_handler, manager, {"handler": str(handler_id)})
    done(manager, "assign_handler", manager_id)
    run_handler(StaffClaimState.take_claim, handler)
    done(handler, "assign_handler", handler_id)
    run_handler(
        StaffClaimState.request_documents,
        handler,
        {"requested": "Facture du parquet et photos de la fuite."},
    )
    done(handler, "request_documents", handler_id)
    run_handler(
        StaffClaimState.reply,
        handler,
        {"reply_body": "Bonjour, merci d'ajouter la facture du parquet."},
    )
    done(handler, "reply", handler_id)
    assert handler.messages[-1].from_staff
    run_handler(StaffClaimState.set_document_kind, handler, "correspondence")
    run_handler(StaffClaimState.upload_document, handler, [_upload(_jpeg(), "courrier.jpg")])
    done(handler, "upload", handler_id)
    assert handler.files[-1].kind == "Courrier" and handler.files[-1].thumbnail_url.endswith(
        "?miniature=1"
    )
    run_handler(StaffClaimState.appoint_expert, handler, {"expert": str(expert_id)})
    done(handler, "appoint_expert", handler_id)

    expert = _claim_page(team, "expert", number)
    run_handler(
        StaffClaimState.plan_visit, expert, {"visit_date": "2001-01-01", "visit_time": "10:00"}
    )
    assert expert.errors.get("visit_date")  # in the past: refused, nothing saved
    day = (utcnow().astimezone(PARIS) + timedelta(days=3)).date().isoformat()
    run_handler(
        StaffClaimState.plan_visit,
        expert,
        {"visit_date": day, "visit_time": "14:30", "visit_note": "Sonner au 2e"},
    )
    done(expert, "plan_visit", expert_id)
    run_handler(StaffClaimState.upload_report, expert, [_upload(_jpeg(), "rapport.jpg")])
    assert (
        expert.errors.get("report_summary") and _status(claim_id) == S.VISIT_PLANNED
    )  # the summary comes first
    run_handler(
        StaffClaimState.set_report_summary, expert, "Fuite du siphon, parquet à remplacer sur 6 m²."
    )
    run_handler(StaffClaimState.upload_report, expert, [_upload(b"not an image", "rapport.exe")])
    assert expert.errors.get("report_file") and _status(claim_id) == S.VISIT_PLANNED
    run_handler(StaffClaimState.upload_report, expert, [_upload(_jpeg(), "rapport.jpg")])
    done(expert, "attach_report", expert_id)
    run_handler(StaffClaimState.assess, expert, {"damage": "deux mille"})
    assert expert.errors.get("damage") and _status(claim_id) == S.EXPERT_REPORT
    run_handler(StaffClaimState.assess, expert, {"damage": "2 450,00"})
    done(expert, "assess", expert_id)
    assert (
        expert.assessed_damage == fmt.money(245_000)
        and expert.indemnity
        and "franchise" in expert.indemnity_detail
    )

    handler = _claim_page(team, "handler", number)
    run_handler(StaffClaimState.record_payment, handler, {"payment_reference": "VIR-TEST-1"})
    done(handler, "record_payment", handler_id)
    run_handler(StaffClaimState.close_claim, handler)
    done(handler, "close", handler_id)
    assert _status(claim_id) == S.CLOSED and not handler.allowed["close"]
    run_handler(
        StaffClaimState.reopen, manager, {"reopen_reason": "Dommage complémentaire découvert."}
    )
    done(manager, "reopen", manager_id)
    run_handler(
        StaffClaimState.refuse,
        handler,
        {"refusal": "Le dommage complémentaire relève d'une exclusion du contrat."},
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
    run_handler(StaffClaimsState.load, queue)
    run_handler(StaffClaimsState.filter_mine, queue, True)
    assert {row.number for row in queue.rows} == {
        water,
        late,
    }  # "en cours" by default: the refused one is out

    run_handler(StaffClaimsState.filter_status, queue, "")
    assert {row.number for row in queue.rows} == {water, glass, late}
    run_handler(StaffClaimsState.filter_status, queue, "refused")
    assert [row.number for row in queue.rows] == [glass]
    assert (
        queue.rows[0].status == "Prise en charge refusée"
        and queue.rows[0].url == f"{routes.STAFF_CLAIM}?n={glass}"
    )

    run_handler(
        StaffClaimsState.apply_filters,
        queue,
        {"status": "", "peril": "glass_breakage", "age": "", "mine": "on"},
    )
    assert [row.number for row in queue.rows] == [glass]
    run_handler(StaffClaimsState.filter_peril, queue, "water_damage")
    assert {row.number for row in queue.rows} == {water, late}

    run_handler(StaffClaimsState.filter_late, queue, True)
    assert [row.number for row in queue.rows] == [late]
    assert queue.rows[0].late and queue.rows[0].handler.startswith("Agent")

    run_handler(StaffClaimsState.filter_age, queue, "gt30")
    assert queue.rows == []
    run_handler(StaffClaimsState.filter_age, queue, "lt7")
    assert [row.number for row in queue.rows] == [late]

    run_handler(
        StaffClaimsState.filter_status, queue, "nonsense"
    )  # unknown values fall back to the defaults
    assert queue.f_status == "open"
    run_handler(StaffClaimsState.clear_filters, queue)
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
    run_handler(StaffClaimState.close_claim, page)
    assert page.errors == {"close": "Dossier introuvable."}


def test_the_staff_page_shows_where_the_loss_happened():
    """The claim page tells staff the typed address, the device's position or the insured home."""
    from types import MethodType, SimpleNamespace

    from espace.claims.models import Claim
    from espace.state.staff_claims import StaffClaimState

    def shown(**location) -> str:
        me = SimpleNamespace()
        claim = Claim(holder_id=1, contract_id=1, peril="water_damage", **location)
        MethodType(StaffClaimState._fill_declaration, me)(claim)
        return me.location

    assert (
        shown(
            location_kind="address",
            location_street="12 chemin des Vignes",
            location_postal_code="01090",
            location_town="Montmerle-sur-Saône",
        )
        == "Adresse saisie par l'assuré : 12 chemin des Vignes, 01090 Montmerle-sur-Saône"
    )
    assert shown(location_kind="geolocation", latitude=45.1, longitude=4.8).startswith(
        "Position relevée"
    )
    assert shown() == "À l'adresse du logement assuré"
