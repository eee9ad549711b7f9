"""The portal's "today" is France's, whatever the server's time zone.

At 00:30 on 1 January in Paris a UTC server's ``date.today()`` still says 31 December. Services that
defaulted to it issued attestations dated the day before, accepted a cover change "effective
yesterday" and took an expired card. Each check runs at that explicit instant (TZ of the test
process untouched).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlmodel import select

from espace.billing.card_payments import CardInput, validate_card
from espace.contracts import attestations, cover_change, cover_choice
from espace.contracts.attestations import AttestationRequest
from espace.contracts.cover_choice import CoverChangeError
from espace.contracts.models import Attestation
from espace.core.models import today_paris
from tests import factories

NEW_YEAR_IN_PARIS = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January 2027 in Paris
LEAP_DAY_EVENING = datetime(
    2028, 2, 29, 22, 30, tzinfo=UTC
)  # 23:30 on 29 February 2028 in Paris (winter: UTC+1)


def test_today_is_the_date_in_paris():
    with time_machine.travel(NEW_YEAR_IN_PARIS, tick=False):
        assert today_paris() == date(2027, 1, 1)
    with time_machine.travel(LEAP_DAY_EVENING, tick=False):
        assert today_paris() == date(2028, 2, 29)
    with time_machine.travel(datetime(2027, 7, 1, 22, 30, tzinfo=UTC), tick=False):  # summer: UTC+2
        assert today_paris() == date(2027, 7, 2)


def test_an_attestation_issued_after_midnight_in_paris_is_dated_that_day(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    with time_machine.travel(NEW_YEAR_IN_PARIS, tick=False):
        document = attestations.issue(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=AttestationRequest(kind="standard"),
        )
        assert document.period_start == date(2027, 1, 1) and document.reference.startswith(
            "ATT-2027-"
        )
        row = db.exec(select(Attestation).where(Attestation.document_id == document.id)).one()
        assert (
            attestations.verify(session=db, reference=attestations.sign(row.public_id)).status
            == "valide"
        )


def test_a_cover_change_cannot_take_effect_on_the_day_before_in_paris(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    account = factories.account_of(db, person)
    current = cover_choice.current_choice(session=db, contract=contract)
    cheaper = replace(current, deductible_cents=50_000)
    with time_machine.travel(NEW_YEAR_IN_PARIS, tick=False):
        with pytest.raises(CoverChangeError) as refused:
            cover_change.endorse(
                session=db,
                holder_id=person.id,
                account_id=account.id,
                contract_id=contract.id,
                choice=cheaper,
                effective=date(2026, 12, 31),
                consent=True,
            )
        assert refused.value.field == "effective"
        endorsement = cover_change.endorse(
            session=db,
            holder_id=person.id,
            account_id=account.id,
            contract_id=contract.id,
            choice=cheaper,
            effective=date(2027, 1, 1),
            consent=True,
        )
        assert endorsement.effective_date == date(2027, 1, 1)


def test_a_card_expiring_in_december_is_expired_on_new_years_night_in_paris():
    card = CardInput(
        number="4242 4242 4242 4242",
        expiry_month="12",
        expiry_year="26",
        cvc="123",
        holder_name="A B",
    )
    with time_machine.travel(NEW_YEAR_IN_PARIS, tick=False):
        assert validate_card(card)["card_expiry"] == "Cette carte est expirée."
    with time_machine.travel(
        datetime(2026, 12, 31, 22, 30, tzinfo=UTC), tick=False
    ):  # 23:30 on 31 December
        assert "card_expiry" not in validate_card(card)
