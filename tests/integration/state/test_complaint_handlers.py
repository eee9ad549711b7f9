"""Complaint handlers called as Reflex would call them for another holder's browser: holder B
sending holder A's complaint id (the ``n`` of the URL, kept in ``_complaint_id``) or claim id gets
nothing, and an expert cannot answer a complaint."""

from __future__ import annotations

from types import SimpleNamespace

from sqlmodel import Session, select

from espace.claims.models import Claim, ClaimStatus
from espace.contracts.models import Contract
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.state.complaints import ComplaintRow, ComplaintsState, ComplaintState
from espace.state.staff_complaints import StaffComplaintState
from espace.support import complaints
from espace.support.models import Complaint, ComplaintMessage
from tests import factories
from tests.events import run_handler


def _setup(db):
    alice, bob = factories.holder(db), factories.holder(db)
    contract = factories.contract(db, alice)
    claim = Claim(
        holder_id=alice.id,
        contract_id=contract.id,
        status=ClaimStatus.RECEIVED,
        peril="fire",
        submitted_at=utcnow(),
        number=f"SIN-2026-8{alice.id:05d}",
    )
    db.add(claim)
    db.flush()
    found = complaints.file_complaint(
        session=db,
        holder_id=alice.id,
        topic="claim",
        subject="Indemnité trop basse",
        body="L'indemnité proposée ne couvre pas la cuisine.",
        claim_id=claim.id,
    )
    expert = factories.staff(db, role="expert")
    return alice.id, bob.id, claim.id, found.id, expert.id


def _holder_self(holder_id: int, complaint_id: int = 0):
    return SimpleNamespace(
        _holder_id=lambda: holder_id,
        _to_login=lambda: "login",
        _refresh=lambda me: None,
        _complaint_id=complaint_id,
        complaint=ComplaintRow(),
        errors={},
        flash="",
    )


def test_another_holder_cannot_disagree_or_download(engine):
    alice_id, bob_id, _claim_id, complaint_id, _ = factories.committed(_setup)
    with Session(get_engine()) as db:
        complaint = db.get(Complaint, complaint_id)
        complaint.status = "answered"
        db.add(complaint)
        db.commit()
    bob = _holder_self(bob_id, complaint_id)
    run_handler(ComplaintState.disagree, bob, {"reason": "Je conteste pour elle."})
    assert bob.errors == {"form": "Cette réclamation est introuvable."}
    assert run_handler(ComplaintState.download, bob) is None
    assert bob.errors == {"form": "Cette réclamation est introuvable."}
    with Session(get_engine()) as db:
        assert db.get(Complaint, complaint_id).holder_disagreed_at is None


def test_a_complaint_cannot_name_another_holders_claim(engine):
    alice_id, bob_id, claim_id, _complaint_id, _ = factories.committed(_setup)
    bob = _holder_self(bob_id)
    result = run_handler(
        ComplaintsState.file,
        bob,
        {
            "topic": "claim",
            "claim": str(claim_id),
            "subject": "Objet",
            "body": "Une réclamation sur le dossier d'une autre.",
        },
    )
    assert result is None and bob.errors == {"claim": "Choisissez le sinistre concerné."}
    with Session(get_engine()) as db:
        assert not db.exec(select(Complaint).where(Complaint.holder_id == bob_id)).all()


def test_an_expert_cannot_answer_or_take(engine):
    _a, _b, _c, complaint_id, expert_id = factories.committed(_setup)
    expert = SimpleNamespace(
        _staff_id=lambda: expert_id,
        _to_staff_login=lambda: "login",
        _refresh=lambda staff_id: None,
        _complaint_id=complaint_id,
        errors={},
        flash="",
        form_version=0,
    )
    expert._act = lambda call, success: StaffComplaintState._act(expert, call, success)
    run_handler(StaffComplaintState.answer, expert, {"body": "Réponse d'un expert non autorisé."})
    assert "rôle" in expert.errors["form"]
    run_handler(StaffComplaintState.take, expert)
    with Session(get_engine()) as db:
        assert db.get(Complaint, complaint_id).status == "open"
        assert db.get(Complaint, complaint_id).assigned_staff_id is None
        kinds = db.exec(
            select(ComplaintMessage.kind).where(ComplaintMessage.complaint_id == complaint_id)
        ).all()
        assert "answer" not in kinds


def test_signed_out_callers_go_to_login(engine):
    nobody = _holder_self(None)
    assert run_handler(ComplaintState.disagree, nobody, {}) == "login"
    assert run_handler(ComplaintState.download, nobody) == "login"
    assert run_handler(ComplaintsState.file, nobody, {}) == "login"


def _load_self(holder_id: int, query: dict[str, str]):
    me = _holder_self(holder_id)
    me._load_header = lambda holder_id: None
    me.router = SimpleNamespace(url=SimpleNamespace(query_parameters=query))
    return me


def test_the_contract_and_payment_pages_links_prefill_the_form(engine):
    alice_id, bob_id, _claim_id, _complaint_id, _ = factories.committed(_setup)
    with Session(get_engine()) as db:
        contract_id = db.exec(select(Claim).where(Claim.holder_id == alice_id)).one().contract_id
        contract_number = db.get(Contract, contract_id).number
    alice = _load_self(alice_id, {"contrat": contract_number})
    run_handler(ComplaintsState.load, alice)
    assert alice.topic == "contract"
    assert alice.chosen_contract and [alice.chosen_contract, f"Contrat {contract_number}"] in (
        alice.contract_options
    )
    # Holder B with A's contract number in the link: nothing chosen for him.
    bob = _load_self(bob_id, {"contrat": contract_number})
    run_handler(ComplaintsState.load, bob)
    assert bob.chosen_contract == "" and bob.topic == ""
    payer = _load_self(alice_id, {"objet": "payment"})
    run_handler(ComplaintsState.load, payer)
    assert payer.topic == "payment" and payer.chosen_contract == ""
