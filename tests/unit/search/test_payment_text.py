"""The text a payment is searched and shown by (search snippets) reads as French."""

from __future__ import annotations

from datetime import date

import pytest

from espace.billing.models import Payment
from espace.search.sources import payment_doc


@pytest.mark.parametrize(
    ("due", "said"),
    [
        (date(2025, 10, 5), "Échéance d'octobre 2025."),
        (date(2025, 8, 5), "Échéance d'août 2025."),
        (date(2025, 5, 5), "Échéance de mai 2025."),
    ],
)
def test_the_month_of_a_payment_is_elided_before_a_vowel(due: date, said: str) -> None:
    payment = Payment(
        id=1,
        contract_id=1,
        holder_id=1,
        due_date=due,
        period_start=due.replace(day=1),
        period_end=due.replace(day=28),
        amount_cents=1924,
        tax_cents=0,
    )
    assert said in payment_doc(payment, "MRH0412857").body
