"""Emergency assistance: the test provider schedules a plumber; a request beyond the guarantee's
nights of hotel is refused with a clear message; another holder's contract is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from espace.claims import assistance
from espace.claims.assistance import AssistanceError
from espace.contracts.models import Contract
from espace.core.insurer import insurer
from tests import factories

NOW = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)


def test_a_plumber_is_scheduled_by_the_test_provider(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    found = assistance.allowance(session=db, contract=contract, on=NOW.date())
    assert found.covered and found.nights
    request = assistance.request_assistance(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        situation="water_leak",
        service="plumber",
        now=NOW,
    )
    assert request.status == "scheduled" and request.provider_reference.startswith("AST-")
    shown = assistance.holder_requests(session=db, holder_id=person.id)
    assert shown[0].status == "Intervention programmée" and "Plombier" in shown[0].what
    assistance.complete(session=db, request_id=request.id, now=NOW)
    assert request.status == "completed"


def test_beyond_the_nights_of_the_guarantee_is_refused(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    nights = assistance.allowance(session=db, contract=contract, on=NOW.date()).nights
    with pytest.raises(AssistanceError) as refused:
        assistance.request_assistance(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            situation="uninhabitable",
            service="rehousing",
            nights=nights + 1,
            now=NOW,
        )
    assert f"{nights} nuits d'hôtel au plus" in str(refused.value)
    assert refused.value.field == "nights"


def test_another_holders_contract_and_a_wrong_service_are_refused(db):
    owner, intruder = factories.holder(db), factories.holder(db)
    contract = factories.contract(db, owner)
    with pytest.raises(AssistanceError) as refused:
        assistance.request_assistance(
            session=db,
            holder_id=intruder.id,
            contract_id=contract.id,
            situation="water_leak",
            service="plumber",
        )
    assert refused.value.field == "contract"
    with pytest.raises(AssistanceError) as refused:
        assistance.request_assistance(
            session=db,
            holder_id=owner.id,
            contract_id=contract.id,
            situation="water_leak",
            service="locksmith",
        )
    assert refused.value.field == "service"
    assert isinstance(contract, Contract)


# ----- requests made for a claim, shown on its tracker ---------------------------------------


def _sent_claim(db, person, contract, peril="water_damage"):
    from espace.claims.models import Claim, ClaimStatus

    claim = Claim(
        holder_id=person.id,
        contract_id=contract.id,
        status=ClaimStatus.RECEIVED,
        peril=peril,
        submitted_at=NOW,
        number=f"SIN-2026-7{person.id:05d}",
    )
    db.add(claim)
    db.flush()
    return claim


class _Refusing:
    name = "Assistance refusante"

    def submit(self, request, *, now):
        return assistance.ProviderAnswer(False, message="Aucun artisan disponible")


def test_a_request_for_a_claim_shows_on_it_with_each_status(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    claim = _sent_claim(db, person, contract)
    found = assistance.claim_context(session=db, holder_id=person.id, number=claim.number.lower())
    assert found is not None and found.claim_id == claim.id
    assert found.contract_id == contract.id and found.situation == "water_leak"
    request = assistance.request_assistance(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        situation="water_leak",
        service="plumber",
        claim_id=claim.id,
        now=NOW,
    )
    shown = assistance.claim_requests(session=db, holder_id=person.id, claim_id=claim.id)
    assert [(r.stage, r.status) for r in shown] == [("scheduled", "Intervention programmée")]
    assert "Prévu le 23/12/2026" in shown[0].detail and "Assistance test" in shown[0].detail
    assert request.provider_reference in shown[0].detail
    assistance.complete(session=db, request_id=request.id, now=NOW)
    shown = assistance.claim_requests(session=db, holder_id=person.id, claim_id=claim.id)
    assert shown[0].stage == "completed" and shown[0].detail.startswith("Terminée le 23/12/2026")

    assistance.configure_provider(_Refusing())
    try:
        assistance.request_assistance(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            situation="water_leak",
            service="rehousing",
            nights=1,
            claim_id=claim.id,
            now=NOW,
        )
    finally:
        assistance.configure_provider(assistance.TestAssistanceProvider())
    shown = assistance.claim_requests(session=db, holder_id=person.id, claim_id=claim.id)
    assert [r.stage for r in shown] == ["refused", "completed"]
    assert insurer().assistance_phone in shown[0].detail
    # A request made without the claim does not show on it.
    assistance.request_assistance(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        situation="break_in",
        service="locksmith",
        now=NOW,
    )
    assert len(assistance.claim_requests(session=db, holder_id=person.id, claim_id=claim.id)) == 2


def test_another_holders_claim_or_a_claim_on_another_contract_is_refused(db):
    owner, intruder = factories.holder(db), factories.holder(db)
    owner_contract, intruder_contract = (
        factories.contract(db, owner),
        factories.contract(db, intruder),
    )
    claim = _sent_claim(db, owner, owner_contract)
    assert assistance.claim_context(session=db, holder_id=intruder.id, number=claim.number) is None
    with pytest.raises(AssistanceError) as refused:
        assistance.request_assistance(
            session=db,
            holder_id=intruder.id,
            contract_id=intruder_contract.id,
            situation="water_leak",
            service="plumber",
            claim_id=claim.id,
            now=NOW,
        )
    assert "introuvable" in str(refused.value)
    assert assistance.claim_requests(session=db, holder_id=owner.id, claim_id=claim.id) == []
    assert assistance.claim_requests(session=db, holder_id=intruder.id, claim_id=claim.id) == []
    second_home = factories.contract(db, owner)
    with pytest.raises(AssistanceError) as refused:
        assistance.request_assistance(
            session=db,
            holder_id=owner.id,
            contract_id=second_home.id,
            situation="water_leak",
            service="plumber",
            claim_id=claim.id,
            now=NOW,
        )
    assert refused.value.field == "contract" and "autre contrat" in str(refused.value)
