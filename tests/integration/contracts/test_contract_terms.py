"""Effective-dated contract terms on a real database: versions and the copy of today's terms, an
endorsement that takes effect later, claims assessed on the terms of the loss date, attestations on
their validity, options shown as cover (page, attestation, certificate), the no-claims bonus line.

Dates are parameters; where a service reads the clock, the clock is moved with time-machine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from fpdf import FPDF
from pypdf import PdfReader
from sqlmodel import select

from espace.claims import (
    declaration,
    declaration_contents,
    declaration_queries,
    declaration_sending,
    indemnity,
    workflow_assessment,
)
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim
from espace.contracts import (
    attestations,
    certificates,
    cover_change,
    cover_choice,
    cover_quotes,
    coverage,
    detail,
)
from espace.contracts import terms as contract_terms
from espace.contracts.attestations import AttestationError, AttestationRequest
from espace.contracts.cover_choice import CoverChangeError
from espace.contracts.models import (
    Attestation,
    Contract,
    ContractOption,
    ContractTerms,
    Formula,
    InsuredProperty,
)
from espace.contracts.terms import TermsError
from espace.core import formatting as fmt
from espace.core import storage
from espace.core.formatting import PARIS
from espace.demo.seed import DEMO_CONTRACTS, DEMO_EMAIL
from espace.documents.models import Document
from espace.identity.models import Account
from tests import factories

# Ordinary days, the last day of a year and a 29 February: nothing may depend on the real calendar.
DAYS = [date(2026, 11, 9), date(2027, 12, 31), date(2028, 2, 29)]


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=PARIS)


def _formula(db, code: str) -> int:
    return db.exec(select(Formula.id).where(Formula.code == code)).one()


def _pdf_text(document: Document) -> str:
    return " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(storage.root() / document.storage_key).pages
        ).split()
    )


def _invoice() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Facture vitrier")
    return bytes(pdf.output())


def _claim(
    db,
    person,
    contract,
    *,
    occurred: date,
    now: datetime,
    peril: str = "glass_breakage",
    amount: str = "950",
    invoice: bool = False,
) -> Claim:
    """A claim declared at ``now`` for a loss on ``occurred`` (sent)."""
    answers = {
        "glass_breakage": {"pane": "window", "glass_cause": "accident"},
        "water_damage": {"origin": "leak", "neighbour_involved": "no", "leak_stopped": "yes"},
    }[peril]
    claim = declaration.start_draft(
        session=db,
        holder_id=person.id,
        account_id=factories.account_of(db, person).id,
        contract_id=contract.id,
    )
    declaration.set_peril(session=db, claim=claim, peril_code=peril)
    declaration.set_answers(session=db, claim=claim, raw=answers, today=now.date())
    declaration.set_when(
        session=db,
        claim=claim,
        day_text=occurred.isoformat(),
        time_text="18:00",
        description="Description détaillée de l'événement.",
        now=now,
    )
    declaration.set_location(session=db, claim=claim, kind="property")
    declaration_contents.add_item(
        session=db,
        claim=claim,
        description="Bien endommagé",
        category="building",
        purchase_date="",
        purchase_price="",
        estimate_text=amount,
        today=now.date(),
    )
    if invoice:
        declaration_contents.add_file(
            session=db, claim=claim, data=_invoice(), filename="facture.pdf", kind="invoice"
        )
    declaration_sending.submit(session=db, claim=claim, now=now)
    return claim


# ----- versions and the copy of today's terms -----------------------------------------------------


def test_the_version_in_force_on_each_day_and_the_daily_job(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, start_date=date(2024, 2, 29), deductible_cents=15_000)
    first = contract_terms.version_on(session=db, contract_id=contract.id, day=date(2024, 2, 29))
    assert first is not None and first.applied_at is not None and first.deductible_cents == 15_000
    assert (
        contract_terms.version_on(session=db, contract_id=contract.id, day=date(2024, 2, 28))
        is None
    )

    today, change = date(2026, 11, 9), date(2026, 12, 1)
    terms = replace(
        contract_terms.terms_of(first), deductible_cents=50_000, options={"ASSISTANCE_PLUS": 1_800}
    )
    coming = contract_terms.record_version(
        session=db, contract=contract, effective_from=change, terms=terms, today=today
    )
    db.refresh(contract)
    assert (
        contract.deductible_cents == 15_000 and coming.applied_at is None
    )  # nothing changes before the date
    assert (
        db.exec(select(ContractOption).where(ContractOption.contract_id == contract.id)).all() == []
    )
    assert (
        contract_terms.version_on(
            session=db, contract_id=contract.id, day=change - timedelta(days=1)
        ).id
        == first.id
    )
    assert (
        contract_terms.version_on(session=db, contract_id=contract.id, day=change).id == coming.id
    )
    assert [(p.start, p.end) for p in contract_terms.periods(session=db, contract=contract)] == [
        (date(2024, 2, 29), date(2026, 11, 30)),
        (change, None),
    ]
    assert [
        p.start for p in contract_terms.upcoming(session=db, contract=contract, today=today)
    ] == [change]
    clipped = contract_terms.boundaries(
        session=db, contract=contract, start=date(2026, 11, 15), end=date(2026, 12, 15)
    )
    assert [(p.start, p.end) for p in clipped] == [
        (date(2026, 11, 15), date(2026, 11, 30)),
        (change, date(2026, 12, 15)),
    ]

    with pytest.raises(TermsError):  # never slipped in before a version already signed
        contract_terms.record_version(
            session=db,
            contract=contract,
            effective_from=change - timedelta(days=1),
            terms=terms,
            today=today,
        )
    with pytest.raises(TermsError):
        contract_terms.record_version(
            session=db, contract=contract, effective_from=date(2024, 2, 1), terms=terms, today=today
        )

    assert contract_terms.apply_due(session=db, today=change - timedelta(days=1)) == 0
    assert contract_terms.apply_due(session=db, today=change) == 1
    assert contract_terms.apply_due(session=db, today=change) == 0  # idempotent
    db.refresh(contract)
    assert (
        contract.deductible_cents == 50_000
        and db.get(ContractTerms, coming.id).applied_at is not None
    )
    assert [
        o.annual_price_cents
        for o in db.exec(
            select(ContractOption).where(ContractOption.contract_id == contract.id)
        ).all()
    ] == [1_800]


def test_a_same_day_version_replaces_the_earlier_one(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, start_date=date(2025, 6, 1))
    first = contract_terms.version_on(session=db, contract_id=contract.id, day=date(2025, 6, 1))
    again = contract_terms.record_version(
        session=db,
        contract=contract,
        effective_from=date(2025, 6, 1),
        today=date(2026, 1, 5),
        terms=replace(contract_terms.terms_of(first), furniture_capital_cents=2_000_000),
    )
    assert (
        contract_terms.version_on(session=db, contract_id=contract.id, day=date(2025, 6, 1)).id
        == again.id
    )
    assert [p.version.id for p in contract_terms.periods(session=db, contract=contract)] == [
        again.id
    ]
    db.refresh(contract)
    assert contract.furniture_capital_cents == 2_000_000


# ----- an endorsement effective next month ----------------------------------------------------


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_an_endorsement_next_month_changes_nothing_before_its_date(db, today):
    effective = today + timedelta(days=31)
    with time_machine.travel(_noon(today), tick=False):
        person = factories.holder(db)
        contract = factories.contract(
            db, person, formula_code="ESSENTIELLE", start_date=date(2024, 2, 29)
        )
        account = factories.account_of(db, person)
        before = cover_choice.current_choice(session=db, contract=contract)
        endorsement = cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=replace(before, formula="CONFORT"),
            effective=effective,
            consent=True,
            today=today,
        )
        db.refresh(contract)
        # today's cover, the contract row and its page are unchanged; the page shows the coming
        # version
        assert db.get(Formula, contract.formula_id).code == "ESSENTIELLE"
        assert not coverage.cover_on(session=db, contract=contract, on=today).covers(
            "glass_breakage"
        )
        page = detail.build(session=db, holder_id=person.id, number=contract.number, today=today)
        assert (
            page.formula == "Essentielle"
            and not next(c for c in page.categories if c.key == "glass_breakage").covered
        )
        assert [(c.starts, c.formula, c.endorsement) for c in page.coming] == [
            (fmt.date_fr(effective), "Confort", 1)
        ]
        # today's estimate: yesterday's broken window is assessed on Essentielle
        claim = _claim(
            db, person, contract, occurred=today - timedelta(days=1), now=_noon(today), invoice=True
        )
        assert claim.estimate["covered"] is False and claim.express is False
        # today's attestation states Essentielle and ends the day before the change
        issued = attestations.issue(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=AttestationRequest(kind="detailed"),
            today=today,
        )
        row = db.exec(select(Attestation).where(Attestation.document_id == issued.id)).one()
        assert row.valid_until == effective - timedelta(days=1)
        text = _pdf_text(issued)
        assert "Essentielle" in text and "Bris de glace" not in text
        # a temporary attestation across the change is refused, with the dates to ask for
        with pytest.raises(AttestationError) as refused:
            attestations.issue(
                session=db,
                holder_id=person.id,
                contract_id=contract.id,
                today=today,
                request=AttestationRequest(
                    kind="temporary", start=today, end=effective + timedelta(days=5)
                ),
            )
        assert refused.value.field == "end" and fmt.date_fr(effective) in str(refused.value)
        # a second change may not take effect before the one already signed
        with pytest.raises(CoverChangeError) as early:
            cover_change.endorse(
                session=db,
                holder_id=person.id,
                account_id=account.id,
                contract_id=contract.id,
                choice=replace(before, deductible_cents=30_000),
                effective=effective - timedelta(days=1),
                consent=True,
                today=today,
            )
        assert early.value.field == "effective"
    assert endorsement.effective_date == effective

    later = effective + timedelta(days=2)
    with time_machine.travel(_noon(later), tick=False):
        # The daily job, on the date. Handler-level tests commit their endorsements to the shared
        # database (tests/integration/claims/test_cover_after_loss.py), so others may be due too.
        assert contract_terms.apply_due(session=db, today=effective) >= 1
        db.refresh(contract)
        assert db.get(Formula, contract.formula_id).code == "CONFORT"
        assert coverage.cover_on(session=db, contract=contract, on=effective).covers(
            "glass_breakage"
        )
        after = _claim(
            db,
            person,
            contract,
            occurred=effective + timedelta(days=1),
            now=_noon(later),
            amount="300",
        )
        assert (
            after.estimate["covered"] is True and after.estimate["indemnity_cents"] == 22_500
        )  # 300 − 75 €
        issued = attestations.issue(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=AttestationRequest(kind="detailed"),
            today=later,
        )
        assert "Confort" in _pdf_text(issued) and "Bris de glace" in _pdf_text(issued)


def test_the_prorata_follows_the_version_boundaries(db):
    """Two changes signed the same day, effective one after the other: each prorata is against the
    version it replaces, so the year is paid at each version's premium for its own days."""
    today = date(2026, 11, 9)
    with time_machine.travel(_noon(today), tick=False):
        person = factories.holder(db)
        contract = factories.contract(db, person, priced=True, start_date=date(2024, 2, 29))
        account = factories.account_of(db, person)
        base = cover_choice.current_choice(session=db, contract=contract)
        p0 = contract.annual_premium_cents
        first = cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=replace(base, formula="INTEGRALE"),
            effective=date(2026, 12, 1),
            consent=True,
            today=today,
        )
        second = cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=replace(base, formula="INTEGRALE", deductible_cents=50_000),
            effective=date(2027, 1, 1),
            consent=True,
            today=today,
        )
    p1, p2 = first.new_premium_cents, second.new_premium_cents
    assert first.old_premium_cents == p0 and second.old_premium_cents == p1
    # started on 29 February: the insurance year runs from 28 February 2026 to 27 February 2027 (365
    # days)
    assert cover_change.insurance_year(contract, date(2026, 12, 1)) == (
        date(2026, 2, 28),
        date(2027, 2, 27),
    )
    assert first.prorata_cents == round((p1 - p0) * 89 / 365)  # 1 Dec .. 27 Feb
    assert second.prorata_cents == round((p2 - p1) * 58 / 365)  # 1 Jan .. 27 Feb
    assert [c["label"] for c in second.changes] == [
        "Franchise"
    ]  # described against the version it follows


# ----- claims on the terms of the loss date -------------------------------------------------------


def test_a_claim_dated_before_an_upgrade_is_assessed_on_the_old_terms(db):
    signed, upgrade = date(2026, 10, 1), date(2026, 10, 20)
    with time_machine.travel(_noon(signed), tick=False):
        person = factories.holder(db)
        contract = factories.contract(
            db,
            person,
            formula_code="ESSENTIELLE",
            start_date=date(2024, 2, 29),
            deductible_cents=50_000,
        )
        account = factories.account_of(db, person)
        before = cover_choice.current_choice(session=db, contract=contract)
        cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=replace(before, formula="CONFORT", deductible_cents=15_000),
            effective=upgrade,
            consent=True,
            today=signed,
        )
    declared = upgrade + timedelta(days=2)
    with time_machine.travel(_noon(declared), tick=False):
        contract_terms.apply_due(session=db, today=declared)
        glass = _claim(
            db,
            person,
            contract,
            occurred=upgrade - timedelta(days=1),
            now=_noon(declared),
            invoice=True,
        )
        water = _claim(
            db,
            person,
            contract,
            occurred=upgrade - timedelta(days=1),
            now=_noon(declared),
            peril="water_damage",
            amount="2000",
        )
        late_water = _claim(
            db,
            person,
            contract,
            occurred=upgrade,
            now=_noon(declared),
            peril="water_damage",
            amount="2000",
        )
    assert (
        glass.estimate["covered"] is False and glass.express is False
    )  # no glass cover on Essentielle
    assert (
        water.estimate["deductible_cents"] == 50_000
        and water.estimate["indemnity_cents"] == 150_000
    )
    assert (
        late_water.estimate["deductible_cents"] == 15_000
        and late_water.estimate["indemnity_cents"] == 185_000
    )
    manager = factories.staff(db, role="manager")
    with pytest.raises(ClaimInputError):
        workflow_assessment.assess(
            session=db, staff_id=manager.id, claim_id=glass.id, damage_text="950"
        )
    result = workflow_assessment.assess(
        session=db, staff_id=manager.id, claim_id=water.id, damage_text="3000"
    )
    assert (result.deductible_cents, result.indemnity_cents) == (50_000, 250_000)
    assert (
        indemnity.compute(
            session=db,
            contract=contract,
            peril_code="glass_breakage",
            damage_cents=95_000,
            on=date(2024, 2, 28),
        ).covered
        is False
    )  # before the contract started


# ----- options are cover --------------------------------------------------------------------------


def test_protection_juridique_taken_as_an_option_is_covered_on_the_page_attestation_and_certificate(
    db,
):
    today = date(2026, 11, 9)
    lyon = db.exec(
        select(Contract).where(Contract.number == DEMO_CONTRACTS[0])
    ).one()  # Confort + Protection juridique
    holder_id = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
    page = detail.build(session=db, holder_id=holder_id, number=lyon.number, today=today)
    legal = next(c for c in page.categories if c.key == "legal_protection")
    assert legal.covered and [g.name for g in legal.guarantees] == ["Protection juridique (option)"]
    assert (
        fmt.money(2_000_000) in legal.guarantees[0].ceiling
        and legal.guarantees[0].deductible == "Aucune"
    )
    assert next(o for o in page.options if o.code == "PROTECTION_JURIDIQUE").taken

    detailed = attestations.issue(
        session=db,
        holder_id=holder_id,
        contract_id=lyon.id,
        request=AttestationRequest(kind="detailed"),
        today=today,
    )
    certificate = certificates.issue_certificate(
        session=db, holder_id=holder_id, contract_id=lyon.id, today=today
    )
    for document in (detailed, certificate):
        text = _pdf_text(document)
        assert "Protection juridique (option) 20 000,00 € (par litige" in text, document.kind
    result = indemnity.compute(
        session=db,
        contract=lyon,
        peril_code="other",
        damage_cents=500_000,
        on=today,
        category="legal_protection",
    )
    assert (
        result.covered and result.ceiling_cents == 2_000_000 and result.indemnity_cents == 500_000
    )


def test_an_extension_option_is_listed_without_making_its_category_covered(db):
    person = factories.holder(db)
    contract = factories.contract(
        db, person, formula_code="CONFORT", options=("BRIS_GLACE", "ASSISTANCE_PLUS")
    )
    cover = coverage.cover_on(session=db, contract=contract, on=date(2026, 11, 9))
    glass = cover.lines_in("glass_breakage")
    assert [line.source for line in glass] == ["formula", "option"]
    assert (
        glass[1].deductible == glass[0].deductible == fmt.money(7_500)
    )  # the base guarantee's deductible
    assert cover.line_for("glass_breakage").source == "formula"
    assert {o.code for o in cover.options} == {"BRIS_GLACE", "ASSISTANCE_PLUS"}
    assert all(o.annual_price_cents > 0 for o in cover.options)


# ----- the no-claims bonus ------------------------------------------------------------------------


def test_the_no_claims_bonus_is_not_shown_as_earned_while_a_claim_counts(db):
    today = date(2026, 11, 9)
    with time_machine.travel(_noon(today), tick=False):
        person = factories.holder(db)
        contract = factories.contract(db, person, priced=True, start_date=date(2024, 2, 29))
        choice = cover_choice.current_choice(session=db, contract=contract)
        clean = cover_quotes.quote(session=db, contract=contract, choice=choice, today=today)
        assert any(line.label == "Bonus sans sinistre \u22125\u00a0%" for line in clean.lines)
        _claim(
            db,
            person,
            contract,
            occurred=today - timedelta(days=3),
            now=_noon(today),
            peril="water_damage",
        )
        with_claim = cover_quotes.quote(session=db, contract=contract, choice=choice, today=today)
    labels = [line.label for line in with_claim.lines]
    assert "Bonus sans sinistre \u22125\u00a0%" not in labels
    assert any(
        label.startswith("Bonus sans sinistre") and "non reconduit" in label for label in labels
    )
    assert any("ne sera pas reconduit" in tip and "28/02/2027" in tip for tip in with_claim.advice)
    assert (
        with_claim.annual_premium_cents == clean.annual_premium_cents
    )  # the price of the year does not move


def test_contract_copy_on_the_row_stays_the_insured_home_until_a_move(db):
    today = date(2026, 11, 9)
    with time_machine.travel(_noon(today), tick=False):
        person = factories.holder(db)
        contract = factories.contract(db, person, start_date=date(2024, 2, 29))
        account = factories.account_of(db, person)
        before = cover_choice.current_choice(session=db, contract=contract)
        cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=replace(
                before, address_line1="5 rue Nationale", postal_code="37000", city="Tours"
            ),
            effective=today + timedelta(days=20),
            consent=True,
            today=today,
        )
        claim = _claim(
            db,
            person,
            contract,
            occurred=today - timedelta(days=1),
            now=_noon(today),
            peril="water_damage",
        )
    assert declaration_queries.loss_terms(session=db, claim=claim).city == "Nantes"
    assert db.get(InsuredProperty, contract.property_id).city == "Nantes"


def test_an_ended_contract_covers_nothing_after_its_end_but_its_page_still_shows_its_last_terms(db):
    person = factories.holder(db)
    contract = factories.contract(
        db, person, start_date=date(2024, 2, 29), end_date=date(2026, 6, 30), status="terminated"
    )
    assert coverage.cover_on(session=db, contract=contract, on=date(2026, 6, 30)).covers(
        "water_damage"
    )
    assert coverage.cover_on(session=db, contract=contract, on=date(2026, 7, 1)) is None
    late = indemnity.compute(
        session=db,
        contract=contract,
        peril_code="water_damage",
        damage_cents=100_000,
        on=date(2026, 7, 2),
    )
    assert late.covered is False and "avait pris fin" in late.explanation
    page = detail.build(
        session=db, holder_id=person.id, number=contract.number, today=date(2026, 11, 9)
    )
    assert (
        page.formula == "Confort"
        and next(c for c in page.categories if c.key == "water_damage").covered
    )
