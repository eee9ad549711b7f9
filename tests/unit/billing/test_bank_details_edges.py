"""Edges of the IBAN/BIC form checks, written for the mutants that survived the mutation run of
``billing/bank_details``: an IBAN with unexpected characters gets the structure message (not a
crash), a valid SEPA IBAN whose national check digits schwifty cannot verify (Hungary, Sweden) is
accepted, and the exact bounds of the holder's name (2 to 140 characters, spaces collapsed) and of
the label (60 characters)."""

from __future__ import annotations

import pytest

from espace.billing import bank_details

VALID_FR = "FR7630006000011234567890189"


def check(iban: str = VALID_FR, holder: str = "Camille Martin", label: str = ""):
    return bank_details.check_fields(iban=iban, bic="", account_holder=holder, label=label)


@pytest.mark.parametrize("iban", ["FR76300060000112345678901AB", "DE8937040044053201300A"])
def test_unexpected_characters_get_the_structure_message(iban):
    assert check(iban).errors["iban"] == bank_details.MESSAGES["iban_structure"]


@pytest.mark.parametrize("iban", ["HU42117730161111101800000000", "SE4550000000058398257466"])
def test_a_sepa_iban_without_a_national_check_algorithm_is_accepted(iban):
    assert "iban" not in check(iban).errors


@pytest.mark.parametrize("holder", ["Li", "A" * 69 + "   " + "B" * 70])
def test_holder_names_of_2_and_140_characters_are_accepted(holder):
    assert "account_holder" not in check(holder=holder).errors


def test_a_holder_name_too_long_gets_the_length_message():
    errors = check(holder="A" * 70 + " " + "B" * 70).errors
    assert errors["account_holder"] == bank_details.MESSAGES["holder_length"]


def test_a_label_of_60_characters_is_accepted():
    assert "label" not in check(label="x" * 60).errors
