"""IBAN/BIC checks, masking and the mandate PDF, without a database."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from espace.billing import bank_accounts as ba
from espace.billing import bank_details
from espace.billing.mandates import method_phrase, new_reference
from espace.billing.models import BankAccount
from espace.documents.pdf.data import MandateData
from espace.documents.pdf.mandate import render_mandate

VALID_FR = "FR7630006000011234567890189"
WRONG_KEY_FR = "FR7630006000011234567890188"
VALID_DE = "DE89370400440532013000"
BRAZIL = "BR1800360305000010009795493C1"  # valid check digits, outside the SEPA zone


def check(
    iban: str = VALID_FR, bic: str = "", holder: str = "Camille Martin", label: str = ""
) -> bank_details.Checked:
    return bank_details.check_fields(iban=iban, bic=bic, account_holder=holder, label=label)


def test_masked_shows_prefix_three_groups_and_last_four():
    account = BankAccount(
        holder_id=1,
        account_holder="x",
        iban_encrypted="x",
        iban_fingerprint="x",
        iban_prefix="FR76",
        iban_last4="1234",
        bic="AGRIFRPP",
    )
    assert ba.masked(account) == "FR76 •••• •••• •••• 1234"


def test_grouped_and_normalise():
    assert ba.grouped("fr76 3000-6000 0112 3456 7890 189") == "FR76 3000 6000 0112 3456 7890 189"
    assert bank_details.normalise(" fr76\u00a03000 6000 ") == "FR7630006000"


def test_valid_iban_derives_bic():
    result = check(" fr76 3000 6000 0112 3456 7890 189 ")
    assert result.errors == {}
    assert result.iban.compact == VALID_FR
    assert result.bic == "AGRIFRPPXXX"


def test_wrong_check_digits():
    result = check(WRONG_KEY_FR)
    assert result.errors["iban"] == (
        "Le numéro IBAN est invalide : la clé de contrôle ne correspond pas. "
        "Vérifiez les chiffres saisis."
    )


def test_wrong_length():
    assert "nombre de caractères" in check(VALID_FR[:-1]).errors["iban"]


def test_unknown_country():
    assert "code pays" in check("XX" + VALID_FR[2:]).errors["iban"]


def test_wrong_national_key():
    # FR with valid IBAN check digits but a wrong RIB key (88 instead of 89).
    assert "clé RIB" in check("FR0630006000011234567890188").errors["iban"]


def test_empty_iban():
    assert check("").errors["iban"] == bank_details.MESSAGES["iban_empty"]


def test_non_sepa_country_refused():
    result = check(BRAZIL, bic="")
    assert "zone SEPA" in result.errors["iban"]
    assert "bic" not in result.errors  # no BIC message on top of a refused IBAN


def test_error_never_quotes_the_iban():
    for iban in (WRONG_KEY_FR, VALID_FR[:-1], BRAZIL, "FR0630006000011234567890188"):
        error = ba.BankAccountError(check(iban).errors)
        assert iban not in str(error) and iban[4:] not in str(error)


def test_bic_given_valid_and_matching():
    result = check(bic="agri fr pp")
    assert result.errors == {} and result.bic == "AGRIFRPP"


def test_bic_country_mismatch():
    assert check(bic="DEUTDEFF").errors["bic"] == bank_details.MESSAGES["bic_country"]


def test_bic_format_invalid():
    assert check(bic="AGRI1RPP").errors["bic"] == bank_details.MESSAGES["bic_invalid"]
    assert check(bic="ABC").errors["bic"] == bank_details.MESSAGES["bic_invalid"]


def test_bic_of_french_overseas_bank_accepted_for_fr_iban():
    assert "bic" not in check(bic="BNPARERX").errors


def test_bic_required_when_it_cannot_be_derived():
    # Belgian IBAN: valid, in the SEPA zone, but schwifty has no BIC for its bank code.
    result = check("BE68539007547034")
    assert result.errors == {"bic": bank_details.MESSAGES["bic_needed"]}
    assert check("BE68539007547034", bic="GEBABEBB").errors == {}


def test_german_iban_derives_bic():
    result = check(VALID_DE)
    assert result.errors == {} and result.bic == "COBADEFFXXX"


@pytest.mark.parametrize("holder", ["", "   ", "A", "x" * 141])
def test_account_holder_required_and_bounded(holder):
    assert "account_holder" in check(holder=holder).errors


def test_label_bounded_and_all_errors_at_once():
    errors = check(WRONG_KEY_FR, holder="", label="x" * 61).errors
    assert set(errors) == {"iban", "account_holder", "label"}


def test_fingerprint_is_keyed_and_normalised():
    assert ba.fingerprint(VALID_FR) == ba.fingerprint("fr76 3000 6000 0112 3456 7890 189")
    assert ba.fingerprint(VALID_FR) != ba.fingerprint(VALID_DE)
    assert VALID_FR not in ba.fingerprint(VALID_FR)


def test_rum_reference_format():
    reference = new_reference(42)
    assert reference.startswith("ESP-00000042-") and len(reference) == 23 <= 35
    assert all(c.isdigit() or c.isupper() or c == "-" for c in reference)
    assert new_reference(42) != reference


def test_method_phrase():
    assert (
        method_phrase("code envoyé par e-mail") == "après vérification par code envoyé par e-mail"
    )
    assert (
        method_phrase("application d'authentification")
        == "après vérification par l'application d'authentification"
    )


def test_mandate_pdf_content():
    data = MandateData(
        reference="ESP-00000042-K7Q2M9X4ZD",
        creditor_identifier="FR12ZZZ123456",
        creditor_name="Espace Assurances",
        creditor_address=["12 quai de la Fosse, 44000 Nantes"],
        debtor_name="Mme Camille Martin",
        debtor_address=["3 rue du Test", "75011 Paris"],
        iban=ba.grouped(VALID_FR),
        bic="AGRIFRPPXXX",
        bank_name="CREDIT AGRICOLE SA",
        signed_on="23/11/2026",
        signed_time="10:42",
        signature_method=method_phrase("code envoyé par e-mail"),
    )
    text = " ".join(PdfReader(io.BytesIO(render_mandate(data))).pages[0].extract_text().split())
    for expected in (
        "Mandat de prélèvement SEPA",
        "Référence unique du mandat (RUM) ESP-00000042-K7Q2M9X4ZD",
        "Identifiant créancier SEPA (ICS) FR12ZZZ123456",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPPXXX",
        "CREDIT AGRICOLE SA",
        "Type de paiement : récurrent",
        "12 quai de la Fosse",
        "3 rue du Test",
        "dans les 8 semaines suivant la date de débit",
        "Signé électroniquement le 23/11/2026 à 10:42 après vérification par code envoyé par "
        "e-mail",
    ):
        assert expected in text
