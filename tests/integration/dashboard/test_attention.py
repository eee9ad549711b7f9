"""The dashboard's "À faire maintenant" (issue 23: the phone's first screen opens on a greeting and
what needs the holder now): money first, then claims waiting for the holder, then an adviser's
answer; another holder's rows never appear."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from espace.billing.models import Payment, PaymentMethod, PaymentStatus
from espace.claims.models import (
    Claim,
    ClaimStatus,
    SettlementOffer,
    VisitSlot,
)
from espace.dashboard.attention import needing_attention
from tests import factories

TODAY = date(2027, 3, 1)


def _payment(db, contract, *, due: date, status: str, method: str = PaymentMethod.SEPA_DEBIT):
    row = Payment(
        contract_id=contract.id,
        holder_id=contract.holder_id,
        due_date=due,
        period_start=due,
        period_end=due + timedelta(days=30),
        amount_cents=4_250,
        tax_cents=300,
        status=status,
        method=method,
    )
    db.add(row)
    db.flush()
    return row


def _claim(db, person, contract, status: str, suffix: int) -> Claim:
    claim = Claim(
        holder_id=person.id,
        contract_id=contract.id,
        status=status,
        peril="water_damage",
        number=f"SIN-2027-{suffix}{person.id:05d}",
        submitted_at=datetime(2027, 2, 1, 9, tzinfo=UTC),
    )
    db.add(claim)
    db.flush()
    return claim


def _everything(db, person):
    contract = factories.contract(db, person)
    _payment(db, contract, due=date(2027, 2, 5), status=PaymentStatus.REJECTED)
    _payment(
        db, contract, due=TODAY + timedelta(days=4), status="scheduled", method=PaymentMethod.CARD
    )
    docs = _claim(db, person, contract, ClaimStatus.DOCUMENTS_REQUESTED, 1)
    visit = _claim(db, person, contract, ClaimStatus.EXPERT_APPOINTED, 2)
    db.add(VisitSlot(claim_id=visit.id, starts_at=datetime(2027, 3, 4, 9, tzinfo=UTC)))
    db.add(VisitSlot(claim_id=visit.id, starts_at=datetime(2027, 3, 5, 9, tzinfo=UTC)))
    offer = _claim(db, person, contract, ClaimStatus.INDEMNITY_COMPUTED, 3)
    db.add(
        SettlementOffer(
            claim_id=offer.id,
            damage_cents=300_000,
            deductible_cents=15_000,
            ceiling_cents=250_000,
            immediate_cents=225_000,
            deferred_cents=25_000,
        )
    )
    db.flush()
    return docs, visit, offer


def test_money_first_then_what_blocks_a_claim(db):
    person = factories.holder(db)
    docs, visit, offer = _everything(db, person)
    items = needing_attention(session=db, holder_id=person.id, today=TODAY, limit=10)
    assert [i.kind for i in items] == ["payment", "payment", "documents", "visit", "offer"]
    assert "rejeté" in items[0].text and "42,50" in items[0].text
    assert "avant le 05/03/2027" in items[1].text and items[1].link == "/paiements"
    assert items[2].link == f"/sinistre?n={docs.number}"
    assert items[3].link == f"/sinistre?n={visit.number}#visit"  # one item for two slots
    assert "2 500,00" in items[4].text.replace("\u202f", " ").replace("\xa0", " ")
    # the first screen keeps to the most urgent four
    assert len(needing_attention(session=db, holder_id=person.id, today=TODAY)) == 4


def test_nothing_to_do_and_nothing_of_another_holder(db):
    person = factories.holder(db)
    _everything(db, person)
    other = factories.holder(db)
    contract = factories.contract(db, other)
    # a debit (mandate) and a card payment due in a month need nothing from the holder today
    _payment(db, contract, due=TODAY + timedelta(days=4), status="scheduled")
    _payment(
        db, contract, due=TODAY + timedelta(days=30), status="scheduled", method=PaymentMethod.CARD
    )
    _claim(db, other, contract, ClaimStatus.EXPERT_APPOINTED, 4)
    assert needing_attention(session=db, holder_id=other.id, today=TODAY) == []


def test_an_overdue_card_payment_says_so(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    _payment(db, contract, due=date(2027, 2, 20), status="scheduled", method=PaymentMethod.TRANSFER)
    (item,) = needing_attention(session=db, holder_id=person.id, today=TODAY)
    assert "était dû le 20/02/2027" in item.text
