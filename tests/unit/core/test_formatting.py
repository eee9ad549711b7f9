from datetime import UTC, date, datetime

from espace.core import formatting as fmt

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


def test_parse_euros_reads_french_amounts():
    assert fmt.parse_euros("1\u202f234,56\u00a0€") == 123456
    assert fmt.parse_euros(" 25000 ") == 2_500_000
    assert fmt.parse_euros("15,5") == 1550
    assert fmt.parse_euros("") is None
    assert (
        fmt.parse_euros("-10") == -1000
    )  # the caller decides whether a negative amount makes sense
    for bad in ("abc", "12,3,4", "NaN", "Infinity"):
        try:
            fmt.parse_euros(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_month_names_come_from_babel():
    from espace.core.formatting import month_fr

    assert [month_fr(date(2027, month, 1)) for month in (1, 2, 8, 12)] == [
        "janvier 2027",
        "février 2027",
        "août 2027",
        "décembre 2027",
    ]


def test_counts_take_the_french_plural():
    from espace.core.formatting import plural as count_fr

    assert [count_fr(n, "document", "documents") for n in (0, 1, 2)] == [
        "0 document",
        "1 document",
        "2 documents",
    ]
