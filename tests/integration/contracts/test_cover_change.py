"""Changing the cover against a real database: quotes, simulations, endorsements and the
schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

from espace.billing import instalments
from espace.billing.models import Payment, PaymentStatus
from espace.contracts import cover_change, cover_choice, cover_quotes
from espace.contracts.cover_choice import CoverChangeError
from espace.contracts.models import (
    Attestation,
    Contract,
    ContractOption,
    Endorsement,
    InsuredProperty,
)
from espace.contracts.rating import RatingError
from espace.core import formatting as fmt
from espace.core import storage
from espace.core.models import today_paris
from espace.documents.models import Document
from espace.notifications.models import OutboxMessage
from tests import factories

TODAY = today_paris()  # the portal's calendar is France's, whatever the server's time zone


def _setup(db, **contract_fields):
    person = factories.holder(db)
    contract = factories.contract(db, person, priced=True, **contract_fields)
    current = cover_choice.current_choice(session=db, contract=contract)
    account = factories.account_of(db, person)
    return person, account, contract, current


def test_an_unchanged_choice_costs_the_current_premium(db):
    _, _, contract, current = _setup(db)
    assert (
        cover_quotes.quote(session=db, contract=contract, choice=current).annual_premium_cents
        == contract.annual_premium_cents
    )


def test_formulas_compare_in_order_of_price(db):
    _, _, contract, _ = _setup(db)
    rows = cover_quotes.compare_formulas(session=db, contract=contract)
    assert [r[0] for r in rows] == ["ESSENTIELLE", "CONFORT", "INTEGRALE"]
    prices = [r[2].annual_premium_cents for r in rows]
    assert prices == sorted(prices) and all(r[3] == "" for r in rows)


def test_endorsement_updates_contract_schedule_documents_and_history(db):
    person, account, contract, current = _setup(
        db, start_date=TODAY.replace(day=1) - timedelta(days=150), payment_frequency="monthly"
    )
    year_start, year_end = cover_change.insurance_year(contract, TODAY)
    instalments.seed_history(session=db, contract=contract, today=TODAY, ahead_until=year_end)
    scheduled_before = {
        p.id: p.amount_cents
        for p in db.exec(
            select(Payment).where(
                Payment.contract_id == contract.id, Payment.status == PaymentStatus.SCHEDULED
            )
        ).all()
    }
    new = replace(
        current,
        deductible_cents=15_000 if current.deductible_cents != 15_000 else 30_000,
        options=current.options | {"ASSISTANCE_PLUS"},
    )
    expected = cover_quotes.quote(session=db, contract=contract, choice=new)
    old_premium = contract.annual_premium_cents
    endorsement = cover_change.endorse(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        contract_id=contract.id,
        choice=new,
        effective=TODAY,
        consent=True,
        today=TODAY,
    )
    assert (
        endorsement.number == 1 and endorsement.new_premium_cents == expected.annual_premium_cents
    )
    assert {c["label"] for c in endorsement.changes} == {"Franchise", "Option Assistance renforcée"}
    db.refresh(contract)
    assert (
        contract.annual_premium_cents == expected.annual_premium_cents
        and contract.deductible_cents == new.deductible_cents
    )
    assert db.exec(select(ContractOption).where(ContractOption.contract_id == contract.id)).all()
    # the scheduled instalments of this year carry the prorata
    after = {
        p.id: p.amount_cents
        for p in db.exec(select(Payment).where(Payment.id.in_(scheduled_before))).all()
    }
    assert sum(after.values()) - sum(scheduled_before.values()) == endorsement.prorata_cents
    assert (endorsement.prorata_cents > 0) == (expected.annual_premium_cents > old_premium)
    # the avenant PDF is in the holder's documents and says what changed
    document = db.get(Document, endorsement.document_id)
    assert document.holder_id == person.id and document.kind == "avenant"
    text = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(storage.root() / document.storage_key).pages
        ).split()
    )
    assert contract.number in text and "Franchise" in text and "Assistance renforcée" in text
    assert (
        db.exec(select(OutboxMessage).where(OutboxMessage.recipient == person.email))
        .all()[-1]
        .subject.startswith("Votre avenant n° 1")
    )
    second = cover_change.endorse(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        contract_id=contract.id,
        choice=replace(new, formula="INTEGRALE", options=frozenset({"ASSISTANCE_PLUS"})),
        effective=TODAY + timedelta(days=10),
        consent=True,
        today=TODAY,
    )
    assert second.number == 2
    assert [
        e.number for e in cover_change.endorsements_of(session=db, contract_id=contract.id)
    ] == [2, 1]


def test_a_move_changes_the_insured_home_on_its_date(db):
    person, account, contract, current = _setup(db)
    from espace.contracts import attestations, terms
    from espace.contracts.attestations import AttestationRequest

    issued = attestations.issue(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=AttestationRequest(kind="standard"),
        today=TODAY,
    )
    reference = attestations.sign(
        db.exec(select(Attestation).where(Attestation.document_id == issued.id)).one().public_id
    )
    moved = replace(
        current,
        address_line1="5 rue Nationale",
        postal_code="37000",
        city="Tours",
        rooms=4,
        surface_m2=80,
    )
    move_day = TODAY + timedelta(days=15)
    cover_change.endorse(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        contract_id=contract.id,
        choice=moved,
        effective=move_day,
        consent=True,
        today=TODAY,
    )
    prop = db.get(InsuredProperty, contract.property_id)
    assert (prop.city, prop.rooms) == (
        "Nantes",
        2,
    )  # until the move, the insured home is the old one
    check = attestations.verify(
        session=db, reference=reference, today=TODAY
    )  # the old home's attestation ends the day before
    assert (
        check.status == "valide"
        and check.town == "Nantes"
        and check.valid_until == fmt.date_fr(move_day - timedelta(days=1))
    )
    assert attestations.verify(session=db, reference=reference, today=move_day).status == "expirée"
    # this contract at least: the module's other tests share the database and may leave theirs due
    assert terms.apply_due(session=db, today=move_day) >= 1
    db.refresh(prop)
    assert (prop.city, prop.postal_code, prop.rooms, prop.surface_m2) == ("Tours", "37000", 4, 80)
    assert terms.apply_due(session=db, today=move_day) == 0  # once


@pytest.mark.parametrize(
    "change, effective_days, consent, field",
    [
        ({}, 0, True, ""),  # nothing changed
        ({"deductible_cents": 50_000}, 0, False, "consent"),
        ({"deductible_cents": 50_000}, -1, True, "effective"),
        ({"deductible_cents": 50_000}, 91, True, "effective"),
        ({"postal_code": "37000", "address_line1": "", "city": "Tours"}, 0, True, "address_line1"),
    ],
)
def test_refusals_keep_the_contract_as_it_was(db, change, effective_days, consent, field):
    person, account, contract, current = _setup(db)
    before = (contract.annual_premium_cents, contract.deductible_cents)
    with pytest.raises(CoverChangeError) as error:
        cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=replace(current, **change),
            effective=TODAY + timedelta(days=effective_days),
            consent=consent,
            today=TODAY,
        )
    assert error.value.field == field and str(error.value)
    assert (contract.annual_premium_cents, contract.deductible_cents) == before
    assert db.exec(select(Endorsement).where(Endorsement.contract_id == contract.id)).all() == []


def test_invalid_choices_are_refused_by_the_tariff_with_french_messages(db):
    person, account, contract, current = _setup(db)
    for bad in (
        replace(current, furniture_capital_cents=-100),
        replace(current, surface_m2=5),
        replace(current, options=frozenset({"JARDIN_PISCINE"})),
    ):  # a flat has no garden
        with pytest.raises(RatingError) as error:
            cover_change.endorse(
                session=db,
                holder_id=person.id,
                account_id=account.id,
                contract_id=contract.id,
                choice=bad,
                effective=TODAY,
                consent=True,
                today=TODAY,
            )
        assert error.value.message and error.value.field


def test_another_holders_contract_and_simulations_give_nothing(db):
    alice, alice_account, alice_contract, alice_choice = _setup(db)
    bob, bob_account, _, _ = _setup(db)
    with pytest.raises(CoverChangeError):
        cover_change.endorse(
            session=db,
            holder_id=bob.id,
            account_id=bob_account.id,
            contract_id=alice_contract.id,
            choice=replace(alice_choice, deductible_cents=50_000),
            effective=TODAY,
            consent=True,
            today=TODAY,
        )
    with pytest.raises(CoverChangeError):
        cover_quotes.save_simulation(
            session=db,
            holder_id=bob.id,
            contract_id=alice_contract.id,
            name="x",
            choice=alice_choice,
        )
    simulation = cover_quotes.save_simulation(
        session=db,
        holder_id=alice.id,
        contract_id=alice_contract.id,
        name="Franchise 500 €",
        choice=replace(alice_choice, deductible_cents=50_000),
    )
    assert (
        cover_quotes.simulations(session=db, holder_id=bob.id, contract_id=alice_contract.id) == []
    )
    assert not cover_quotes.delete_simulation(
        session=db, holder_id=bob.id, simulation_id=simulation.id
    )
    assert (
        cover_quotes.simulations(session=db, holder_id=alice.id, contract_id=alice_contract.id)[
            0
        ].id
        == simulation.id
    )
    assert cover_quotes.delete_simulation(
        session=db, holder_id=alice.id, simulation_id=simulation.id
    )


def test_simulations_are_named_and_keep_their_breakdown(db):
    alice, _, contract, choice = _setup(db)
    with pytest.raises(CoverChangeError, match="nom"):
        cover_quotes.save_simulation(
            session=db, holder_id=alice.id, contract_id=contract.id, name="  ", choice=choice
        )
    a = cover_quotes.save_simulation(
        session=db, holder_id=alice.id, contract_id=contract.id, name="A", choice=choice
    )
    b = cover_quotes.save_simulation(
        session=db,
        holder_id=alice.id,
        contract_id=contract.id,
        name="B",
        choice=replace(choice, deductible_cents=100_000),
    )
    assert b.annual_premium_cents < a.annual_premium_cents
    assert sum(amount for _, amount in a.lines) == a.annual_premium_cents
    assert cover_choice.CoverChoice.from_json(b.inputs).deductible_cents == 100_000


def test_insurance_year_bounds(db):
    _, _, contract, _ = _setup(db, start_date=date(2021, 9, 1))
    assert cover_change.insurance_year(contract, date(2026, 11, 23)) == (
        date(2026, 9, 1),
        date(2027, 8, 31),
    )
    assert cover_change.insurance_year(contract, date(2026, 8, 31)) == (
        date(2025, 9, 1),
        date(2026, 8, 31),
    )
    assert isinstance(db.get(Contract, contract.id), Contract)
