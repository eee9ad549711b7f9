from datetime import UTC, date, datetime

from espace import formatting as fmt

NNBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"


def test_money_french_format():
    assert fmt.money(123456) == f"1{NNBSP}234,56{NBSP}€"
    assert fmt.money(18640) == f"186,40{NBSP}€"
    assert fmt.money(0) == f"0,00{NBSP}€"
    assert fmt.money(None) == ""


def test_dates_french_format():
    assert fmt.date_fr(date(2026, 11, 23)) == "23/11/2026"
    # 23:30 UTC on 31 Dec is already 1 Jan in Paris
    assert fmt.date_fr(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2027"
    assert fmt.datetime_fr(datetime(2026, 7, 1, 8, 5, tzinfo=UTC)) == "01/07/2026 à 10:05"


def test_phone_national_for_france_international_otherwise():
    assert fmt.phone("+33612345678") == "06 12 34 56 78"
    assert fmt.phone("+32470123456").startswith("+32 ")
    assert fmt.phone("") == ""
