"""Settlement-offer handlers called as Reflex would call them: holder B on holder A's claim number
(kept server-side in ``_number``) accepts or disputes nothing; an expert not appointed to the claim
cannot make an offer."""

from __future__ import annotations

from types import SimpleNamespace

from sqlmodel import Session

from espace.claims import settlement
from espace.claims.models import Claim, ClaimStatus, SettlementOffer
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.state.settlement import SettlementState, StaffSettlementState
from tests import factories
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
    SettlementState.accept.fn(bob, {"choice": "transfer", "account": str(bob_account)})
    assert "offer" in bob.errors
    bob.errors = {}
    SettlementState.dispute.fn(
        bob, {"action": "complaint", "reason": "Je conteste le dossier de quelqu'un d'autre."}
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
    StaffSettlementState.make_offer.fn(expert, {"obsolescence": "0"})
    assert expert.errors and expert.flash == ""
    with Session(get_engine()) as db:
        assert db.get(SettlementOffer, offer_id).status == "proposed"
