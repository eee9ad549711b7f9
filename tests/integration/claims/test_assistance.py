"""Emergency assistance: the test provider schedules a plumber; a request beyond the guarantee's
nights of hotel is refused with a clear message; another holder's contract is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from espace.claims import assistance
from espace.claims.assistance import AssistanceError
from espace.contracts.models import Contract
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
