"""Settlement-offer, visit-slot and emergency handlers called as Reflex would call them: holder B
on holder A's claim number (kept server-side in ``_number``), slot or contract gets nothing; an
expert not appointed to the claim cannot make an offer."""

from __future__ import annotations

from types import SimpleNamespace

from sqlmodel import Session

from espace.claims import settlement
from espace.claims.models import Claim, ClaimStatus, SettlementOffer
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.state.settlement import SettlementState, StaffSettlementState
from tests import factories
from tests.events import run_handler
from tests.integration.claims.test_settlement_offer import _account


def _setup(db):
    alice, bob = factories.holder(db), factories.holder(db)
    contract = factories.contract(db, alice)
    claim = Claim(
        holder_id=alice.id,
        contract_id=contract.id,
        status=ClaimStatus.INDEMNITY_COMPUTED,
        peril="water_damage",
        submitted_at=utcnow(),
        number=f"SIN-2026-6{alice.id:05d}",
        assessed_damage_cents=100_000,
        deductible_cents=15_000,
        ceiling_cents=500_000,
        indemnity_cents=85_000,
    )
    db.add(claim)
    db.flush()
    offer = settlement.make_offer(session=db, staff_id=factories.staff(db).id, claim_id=claim.id)
    bob_account = _account(db, bob)
    expert = factories.staff(db, role="expert")
    return claim.number, claim.id, offer.id, bob.id, bob_account.id, expert.id


def _bob(bob_id: int, number: str):
    return SimpleNamespace(
        _holder_id=lambda: bob_id,
        _to_login=lambda: "login",
        _refresh=lambda me: None,
        _number=number,
        holder_name="Bob",
        errors={},
        flash="",
    )


def test_another_holder_can_neither_accept_nor_dispute(engine):
    number, _claim_id, offer_id, bob_id, bob_account, _ = factories.committed(_setup)
    bob = _bob(bob_id, number)
    run_handler(SettlementState.accept, bob, {"choice": "transfer", "account": str(bob_account)})
    assert "offer" in bob.errors
    bob.errors = {}
    run_handler(
        SettlementState.dispute,
        bob,
        {"action": "complaint", "reason": "Je conteste le dossier de quelqu'un d'autre."},
    )
    assert "offer" in bob.errors
    with Session(get_engine()) as db:
        assert db.get(SettlementOffer, offer_id).status == "proposed"


def test_an_expert_not_appointed_cannot_make_an_offer(engine):
    _number, claim_id, offer_id, _b, _a, expert_id = factories.committed(_setup)
    expert = SimpleNamespace(
        _staff_id=lambda: expert_id,
        _to_staff_login=lambda: "login",
        _refresh=lambda staff_id, number: None,
        _claim_id=claim_id,
        errors={},
        flash="",
        router=SimpleNamespace(url=SimpleNamespace(query_parameters={})),
    )
    run_handler(StaffSettlementState.make_offer, expert, {"obsolescence": "0"})
    assert expert.errors and expert.flash == ""
    with Session(get_engine()) as db:
        assert db.get(SettlementOffer, offer_id).status == "proposed"


def test_an_emergency_request_on_another_holders_contract_is_refused(engine):
    from espace.claims.models import AssistanceRequest
    from espace.state.assistance import AssistanceState

    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        return factories.contract(db, alice).id, bob.id

    contract_id, bob_id = factories.committed(setup)
    bob = SimpleNamespace(
        _holder_id=lambda: bob_id,
        _to_login=lambda: "login",
        _refresh=lambda me: None,
        _claim_number="",
        errors={},
        flash="",
    )
    run_handler(
        AssistanceState.submit,
        bob,
        {"contract": str(contract_id), "situation": "water_leak", "service": "plumber"},
    )
    assert "contract" in bob.errors and bob.flash == ""
    with Session(get_engine()) as db:
        from sqlmodel import select

        assert not db.exec(
            select(AssistanceRequest).where(AssistanceRequest.contract_id == contract_id)
        ).all()


def test_another_holder_cannot_pick_a_visit_slot(engine):
    from datetime import timedelta

    from espace.claims import visits
    from espace.claims.models import VisitSlot
    from espace.core.models import utcnow
    from espace.state.visits import VisitState

    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        expert = factories.staff(db, role="expert")
        claim = Claim(
            holder_id=alice.id,
            contract_id=factories.contract(db, alice).id,
            status=ClaimStatus.EXPERT_APPOINTED,
            peril="water_damage",
            number=f"SIN-2026-2{alice.id:05d}",
            submitted_at=utcnow(),
            expert_id=expert.id,
        )
        db.add(claim)
        db.flush()
        day = (utcnow() + timedelta(days=3)).strftime("%d/%m/%Y")
        slot = visits.offer_slots(
            session=db, staff_id=expert.id, claim_id=claim.id, slots=[(day, "10:00")]
        )[0]
        return claim.number, slot.id, bob.id

    number, slot_id, bob_id = factories.committed(setup)
    bob = SimpleNamespace(
        _holder_id=lambda: bob_id,
        _to_login=lambda: "login",
        _refresh=lambda me: None,
        _number=number,
        errors={},
        flash="",
    )
    bob._act = lambda call, success: VisitState._act(bob, call, success)
    run_handler(VisitState.choose, bob, {"slot": str(slot_id)})
    assert "slot" in bob.errors
    run_handler(VisitState.reschedule, bob, {"reason": "Je reporte la visite d'une autre."})
    with Session(get_engine()) as db:
        assert db.get(VisitSlot, slot_id).status == "offered"


def _assistance_stand_in(holder_id, **query):
    import types

    from espace.state.assistance import AssistanceState

    me = SimpleNamespace(
        _holder_id=lambda: holder_id,
        _to_login=lambda: "login",
        _load_header=lambda holder_id: None,
        _claim_number="",
        router=SimpleNamespace(url=SimpleNamespace(query_parameters=query)),
        errors={},
        flash="",
    )
    for name in ("_refresh", "_set_situation"):
        setattr(me, name, types.MethodType(getattr(AssistanceState, name), me))
    return me


def test_an_emergency_request_is_attached_only_to_the_callers_own_claim(engine):
    """B opens /urgence with A's claim number and contract id: nothing of A's is preselected;
    a request B sends while ``_claim_number`` holds A's number is refused. A's own request from
    the tracker is attached to the claim and shows on A's tracker, never on B's."""
    from sqlmodel import select

    from espace.claims.models import AssistanceRequest
    from espace.state.assistance import AssistanceState
    from espace.state.claims import ClaimState

    def make(db):
        alice, bob = factories.holder(db), factories.holder(db)
        a_contract, b_contract = factories.contract(db, alice), factories.contract(db, bob)
        claim = Claim(
            holder_id=alice.id,
            contract_id=a_contract.id,
            status=ClaimStatus.RECEIVED,
            peril="water_damage",
            submitted_at=utcnow(),
            number=f"SIN-2026-8{alice.id:05d}",
        )
        db.add(claim)
        db.flush()
        return SimpleNamespace(
            alice=alice.id,
            bob=bob.id,
            a_contract=a_contract.id,
            b_contract=b_contract.id,
            claim_id=claim.id,
            number=claim.number,
        )

    ids = factories.committed(make)
    bob = _assistance_stand_in(ids.bob, sinistre=ids.number, contrat=str(ids.a_contract))
    run_handler(AssistanceState.load, bob)
    assert bob.for_claim == "" and bob._claim_number == "" and bob.contract_id == ""
    assert bob.contract_options == [[str(ids.b_contract), bob.contract_options[0][1]]]

    bob._claim_number = ids.number  # as if forged: the handler re-checks the claim's holder
    run_handler(
        AssistanceState.submit,
        bob,
        {"contract": str(ids.b_contract), "situation": "water_leak", "service": "plumber"},
    )
    assert "introuvable" in bob.errors["form"] and bob.flash == ""

    alice = _assistance_stand_in(ids.alice, sinistre=ids.number.lower())
    run_handler(AssistanceState.load, alice)
    assert alice.for_claim == ids.number and alice.contract_id == str(ids.a_contract)
    assert alice.situation == "water_leak"
    run_handler(
        AssistanceState.submit,
        alice,
        {"contract": alice.contract_id, "situation": "water_leak", "service": "plumber"},
    )
    assert alice.errors == {} and ids.number in alice.flash
    with Session(get_engine()) as db:
        rows = db.exec(
            select(AssistanceRequest).where(AssistanceRequest.holder_id.in_([ids.alice, ids.bob]))
        ).all()
        assert [(r.holder_id, r.claim_id) for r in rows] == [(ids.alice, ids.claim_id)]

    import types

    def tracker(holder_id):
        me = SimpleNamespace(number=ids.number)
        for name in ("_claim", "_refresh"):
            setattr(me, name, types.MethodType(getattr(ClaimState, name), me))
        me._refresh(holder_id)
        return me

    shown = tracker(ids.alice)
    assert [(r.stage, r.status) for r in shown.assistance] == [
        ("scheduled", "Intervention programmée")
    ]
    assert tracker(ids.bob).assistance == []
