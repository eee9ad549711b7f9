"""Pure rules of « Mes paiements »: splitting a premium, new schedules, French amounts, export
periods."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from espace.billing import instalments as billing
from espace.billing.exports import ExportError, cents_fr, check_period
from espace.billing.models import PaymentStatus
from espace.billing.payment_changes import ALLOWED_DEBIT_DAYS, FREQUENCY_RULES
from espace.billing.payments import STATUS_LABELS, new_instalments, split_annual
from espace.contracts.models import Contract


def _contract(**fields) -> Contract:
    return Contract(
        **{
            "number": "MRH0000001",
            "holder_id": 1,
            "property_id": 1,
            "formula_id": 1,
            "furniture_capital_cents": 1_000_000,
            "deductible_cents": 15_000,
            "annual_premium_cents": 18_641,
            "annual_tax_cents": 1_539,
            "payment_frequency": "monthly",
            "start_date": date(2024, 2, 29),
            "debit_day": 5,
            **fields,
        }
    )


def test_status_labels_are_french_and_complete():
    assert STATUS_LABELS == {
        PaymentStatus.SCHEDULED: "À venir",
        PaymentStatus.PAID: "Payé",
        PaymentStatus.REJECTED: "Rejeté",
        PaymentStatus.REGULARISED: "Régularisé",
        PaymentStatus.PROCESSING: "Paiement en cours",
        PaymentStatus.REFUNDED: "Remboursé",
    }
    assert ALLOWED_DEBIT_DAYS == (5, 10, 15)
    assert any("échéance principale" in rule for rule in FREQUENCY_RULES)
    assert any("mandat" in rule for rule in FREQUENCY_RULES)


@pytest.mark.parametrize(
    "total, parts, expected",
    [
        (18_641, 12, [1_553] * 11 + [1_558]),
        (18_641, 4, [4_660, 4_660, 4_660, 4_661]),
        (18_641, 1, [18_641]),
        (0, 12, [0] * 12),
    ],
)
def test_split_annual_last_instalment_takes_the_rest(total, parts, expected):
    assert split_annual(total, parts) == expected
    assert sum(split_annual(total, parts)) == total


@pytest.mark.parametrize("frequency, count", [("monthly", 12), ("quarterly", 4), ("annual", 1)])
def test_new_instalments_cover_one_insurance_year(frequency, count):
    contract = _contract(debit_day=10)
    rows = new_instalments(
        contract, frequency, date(2027, 2, 28)
    )  # anniversary of a 29 February start
    assert len(rows) == count
    assert sum(r.amount_cents for r in rows) == 18_641 and sum(r.tax_cents for r in rows) == 1_539
    assert rows[0].period_start == date(2027, 2, 28) and rows[-1].period_end == date(2028, 2, 28)
    assert all(
        b.period_start - a.period_end == date(2000, 1, 2) - date(2000, 1, 1)
        for a, b in itertools.pairwise(rows)
    )
    if frequency == "annual":
        assert rows[0].due_date == date(2027, 2, 28)  # due on the anniversary
    else:
        assert all(
            r.due_date == r.period_start.replace(day=10) for r in rows
        )  # the contract's debit day


def test_instalments_follow_the_contract_debit_day_unless_overridden():
    contract = _contract(start_date=date(2025, 1, 1), debit_day=15)
    assert {row[2].day for row in billing.instalments(contract, until=date(2025, 12, 31))} == {15}
    assert {
        row[2].day for row in billing.instalments(contract, until=date(2025, 12, 31), debit_day=10)
    } == {10}
    contract.debit_day = 5
    assert {row[2].day for row in billing.instalments(contract, until=date(2025, 12, 31))} == {5}


@pytest.mark.parametrize(
    "cents, text",
    [
        (0, "0,00"),
        (5, "0,05"),
        (1_553, "15,53"),
        (123_456, "1234,56"),
        (12_345_678, "123456,78"),
        (-1_250, "-12,50"),
    ],
)
def test_french_decimals_without_thousands_separator(cents, text):
    assert cents_fr(cents) == text


def test_export_period_limits():
    check_period(date(2026, 1, 1), date(2026, 1, 1))
    check_period(date(2016, 1, 1), date(2025, 12, 31))  # exactly ten years
    with pytest.raises(ExportError, match="début"):
        check_period(date(2026, 2, 1), date(2026, 1, 31))
    with pytest.raises(ExportError, match="10 ans"):
        check_period(date(2016, 1, 1), date(2026, 1, 1))
