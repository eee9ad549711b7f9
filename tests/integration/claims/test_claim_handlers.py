"""Claims handlers and the claim-file route: holder B sending holder A's ids gets nothing.

Handlers are called with a stand-in ``self`` signed in as B (as Reflex would call them for B's
browser), on the real database; the file route is called over HTTP with each one's cookie."""

from __future__ import annotations

import io
import types
from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlmodel import Session, select
from starlette.testclient import TestClient

from espace import routes
from espace.api.routes import build_api
from espace.claims import (
    declaration,
    declaration_contents,
    declaration_sending,
    workflow_assessment,
)
from espace.claims.models import Claim, ClaimFile, ClaimItem, ClaimMessage
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.identity import sessions
from espace.notifications import notices as notifications
from espace.notifications.models import Notification
from espace.state.claim_wizard import ClaimWizardState
from espace.state.claims import ClaimsState, ClaimState
from espace.state.notifications import NotificationsState
from tests import factories
from tests.events import run_handler

COOKIE = "espace_session"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return buffer.getvalue()


def _claim(db, person, *, send: bool) -> Claim:
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
    declaration_contents.add_file(session=db, claim=claim, data=_jpeg(), filename="cuisine.jpg")
    if send:
        declaration_sending.submit(session=db, claim=claim, now=now)
    return claim


@pytest.fixture
def two_holders(engine):
    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        a_draft, a_sent = _claim(db, alice, send=False), _claim(db, alice, send=True)
        b_draft = _claim(db, bob, send=False)
        a_notice = db.exec(select(Notification).where(Notification.holder_id == alice.id)).first()
        return SimpleNamespace(
            alice=factories.signed_in(db, alice),
            bob=factories.signed_in(db, bob),
            a_draft=a_draft.id,
            a_sent=a_sent.id,
            a_number=a_sent.number,
            b_draft=b_draft.id,
            a_notice=a_notice.id,
            a_item=db.exec(select(ClaimItem).where(ClaimItem.claim_id == a_draft.id)).first().id,
            a_file=db.exec(select(ClaimFile).where(ClaimFile.claim_id == a_sent.id)).first().id,
        )

    return factories.committed(setup)


def _stand_in(cls, principal, **fields):
    """A stand-in ``self`` for ``cls``: its own helper methods bound to it, signed in as
    ``principal``."""
    me = SimpleNamespace(
        errors={},
        form_version=0,
        upload_errors=[],
        upload_kind="auto",
        flash="",
        message_error="",
        **fields,
    )
    for name in (
        "_save",
        "_draft",
        "_show",
        "_deadline",
        "_build_questions",
        "_go",
        "_claim",
        "_refresh",
        "_store_uploads",
    ):
        if hasattr(cls, name):
            setattr(me, name, types.MethodType(getattr(cls, name), me))
    me._holder_principal = lambda: principal
    me._holder_id = lambda: principal.holder_id if principal else None
    me._to_login = lambda: "login"
    me._load_header = lambda holder_id: None
    me._clear = lambda: setattr(me, "claim_id", 0)
    me.reset = lambda: None
    return me


def _count(model, **where) -> int:
    with Session(get_engine()) as db:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return len(db.exec(query).all())


def test_wizard_handlers_never_touch_another_holders_draft(two_holders):
    bob = two_holders.bob[1]
    me = _stand_in(ClaimWizardState, bob, claim_id=two_holders.a_draft, peril="fire", answers={})
    items_before, files_before = (
        _count(ClaimItem, claim_id=two_holders.a_draft),
        _count(ClaimFile, claim_id=two_holders.a_draft),
    )
    run_handler(
        ClaimWizardState.add_item,
        me,
        {"item_description": "Télévision", "item_category": "appliances", "item_estimate": "900"},
    )
    assert "claim" in me.errors
    me.claim_id = two_holders.a_draft
    run_handler(ClaimWizardState.remove_item, me, two_holders.a_item)
    me.claim_id = two_holders.a_draft
    run_handler(ClaimWizardState.choose_peril, me, {"peril": "theft"})
    me.claim_id = two_holders.a_draft

    class Upload:
        name = "x.jpg"

        async def read(self):
            return _jpeg()

    run_handler(ClaimWizardState.upload, me, [Upload()])
    assert _count(ClaimItem, claim_id=two_holders.a_draft) == items_before
    assert _count(ClaimFile, claim_id=two_holders.a_draft) == files_before
    with Session(get_engine()) as db:
        assert db.get(Claim, two_holders.a_draft).peril == "fire"
    # B's own draft, with A's item and file ids: nothing of A's is removed.
    me = _stand_in(ClaimWizardState, bob, claim_id=two_holders.b_draft, peril="fire", answers={})
    run_handler(ClaimWizardState.remove_item, me, two_holders.a_item)
    run_handler(ClaimWizardState.remove_file, me, two_holders.a_file)
    assert (
        _count(ClaimItem, id=two_holders.a_item) == 1
        and _count(ClaimFile, id=two_holders.a_file) == 1
    )


def test_list_tracker_and_notification_handlers_refuse_other_ids(two_holders):
    bob = two_holders.bob[1]
    run_handler(
        ClaimsState.delete_draft,
        _stand_in(ClaimsState, bob, cards=[], drafts=[], can_declare=False),
        two_holders.a_draft,
    )
    assert _count(Claim, id=two_holders.a_draft) == 1

    tracker = _stand_in(ClaimState, bob, number=two_holders.a_number)
    tracker._refresh(bob.holder_id)
    assert tracker.found is False and tracker.files == [] and tracker.messages == []
    run_handler(ClaimState.send_message, tracker, {"message": "Je lis votre dossier"})
    assert "introuvable" in tracker.message_error
    assert _count(ClaimMessage, claim_id=two_holders.a_sent) == 0

    notices = _stand_in(NotificationsState, bob, notices=[])
    run_handler(NotificationsState.mark_read, notices, two_holders.a_notice)
    assert run_handler(NotificationsState.open_notice, notices, two_holders.a_notice) is None
    with Session(get_engine()) as db:
        assert db.get(Notification, two_holders.a_notice).read_at is None
        assert notifications.unread_count(session=db, holder_id=bob.holder_id) == 0


def test_signed_out_callers_go_to_login(engine):
    nobody = SimpleNamespace(
        _holder_id=lambda: None, _holder_principal=lambda: None, _to_login=lambda: "login"
    )
    assert run_handler(ClaimsState.delete_draft, nobody, 1) == "login"
    assert run_handler(ClaimState.send_message, nobody, {"message": "x"}) == "login"
    wizard = _stand_in(ClaimWizardState, None, claim_id=1)
    wizard._holder_principal = lambda: None
    assert run_handler(ClaimWizardState.add_item, wizard, {}) == "login"
    assert run_handler(NotificationsState.mark_all_read, nobody) == "login"


@pytest.fixture
def client(engine):
    with TestClient(build_api(), base_url="http://localhost:8000") as test_client:
        yield test_client


def test_claim_files_are_served_only_to_their_holder_and_allowed_staff(two_holders, client):
    url = routes.claim_file_url(two_holders.a_file)
    assert client.get(url).status_code == 401
    client.cookies.set(COOKIE, two_holders.alice[0])
    mine = client.get(url)
    assert mine.status_code == 200 and mine.headers["content-type"] == "image/jpeg"
    assert (
        mine.headers["cache-control"] == "no-store"
        and "attachment" in mine.headers["content-disposition"]
    )
    thumb = client.get(url + "?miniature=1")
    assert thumb.status_code == 200 and "inline" in thumb.headers["content-disposition"]
    client.cookies.set(COOKIE, two_holders.bob[0])
    assert client.get(url).status_code == 404
    assert client.get(routes.claim_file_url(two_holders.a_file + 10_000)).status_code == 404

    def staff_tokens(db):
        expert, handler = factories.staff(db, role="expert"), factories.staff(db, role="handler")
        tokens = [
            sessions.complete_handoff(
                session=db, code=sessions.begin_login(session=db, staff_id=s.id)
            )
            for s in (expert, handler)
        ]
        return expert.id, handler.id, tokens

    expert_id, handler_id, (expert_token, handler_token) = factories.committed(staff_tokens)
    client.cookies.set(COOKIE, expert_token)
    assert client.get(url).status_code == 404  # not the expert appointed to this claim
    client.cookies.set(COOKIE, handler_token)
    assert client.get(url).status_code == 200

    def appoint(db):
        workflow_assessment.appoint_expert(
            session=db, staff_id=handler_id, claim_id=two_holders.a_sent, expert_id=expert_id
        )

    factories.committed(appoint)
    client.cookies.set(COOKIE, expert_token)
    assert client.get(url).status_code == 200


def test_a_draft_file_is_not_visible_to_staff(two_holders, client):
    with Session(get_engine()) as db:
        draft_file = (
            db.exec(select(ClaimFile).where(ClaimFile.claim_id == two_holders.a_draft)).first().id
        )

    def token(db):
        manager = factories.staff(db, role="manager")
        return sessions.complete_handoff(
            session=db, code=sessions.begin_login(session=db, staff_id=manager.id)
        )

    client.cookies.set(COOKIE, factories.committed(token))
    assert client.get(routes.claim_file_url(draft_file)).status_code == 404


def test_a_peril_suggested_by_the_assistant_is_preselected_on_the_new_draft(two_holders):
    """/sinistres/declarer?peril=theft: the new draft starts with theft (the holder can still change
    it)."""
    bob = two_holders.bob[1]
    with Session(get_engine(), expire_on_commit=False) as db:
        contract = factories.contract(db, db.get(factories.Policyholder, bob.holder_id))
        db.commit()
    me = _stand_in(
        ClaimWizardState,
        bob,
        claim_id=0,
        peril="",
        answers={},
        step=0,
        reached=0,
        _suggested_peril="theft",
    )
    run_handler(ClaimWizardState.choose_contract, me, {"contract": str(contract.id)})
    assert me.errors == {} and me.claim_id
    with Session(get_engine()) as db:
        assert db.get(Claim, me.claim_id).peril == "theft"


def test_a_typed_address_reaches_only_the_callers_draft(two_holders):
    """B sends A's draft id with an address: A's draft keeps its place; B's own draft gets it,
    shown in the wizard, and a wrong postal code stays in the form with its error."""
    bob = two_holders.bob[1]
    form = {
        "location_street": "5 rue du Port",
        "location_postal_code": "13001",
        "location_town": "Marseille",
    }
    me = _stand_in(ClaimWizardState, bob, claim_id=two_holders.a_draft, peril="fire", answers={})
    run_handler(ClaimWizardState.use_typed_address, me, form)
    assert "claim" in me.errors
    with Session(get_engine()) as db:
        a_draft = db.get(Claim, two_holders.a_draft)
        assert a_draft.location_kind == "property" and a_draft.location_street == ""

    me = _stand_in(ClaimWizardState, bob, claim_id=two_holders.b_draft, peril="fire", answers={})
    run_handler(ClaimWizardState.use_typed_address, me, {**form, "location_postal_code": "13OO1"})
    assert "5 chiffres" in me.errors["location_postal_code"]
    assert me.address_open and me.address_street == "5 rue du Port"
    run_handler(ClaimWizardState.use_typed_address, me, form)
    assert me.errors == {} and me.step == declaration.STEP_ITEMS
    assert me.location_text == "5 rue du Port, 13001 Marseille"
    with Session(get_engine()) as db:
        assert db.get(Claim, two_holders.b_draft).location_kind == "address"
