"""What 'Mon profil' accepts as a mobile number, a postal code, an address and a new e-mail
address."""

from __future__ import annotations

import pytest

from espace.identity import profile_validation
from espace.identity.profile_validation import ProfileError


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33612345678",
        " 06-12-34-56-78 ",
    ],
)
def test_a_french_mobile_in_any_usual_writing_is_stored_in_e164(typed):
    assert profile_validation.clean_mobile(typed) == "+33612345678"


def test_07_mobiles_are_mobiles_too():
    assert profile_validation.clean_mobile("07 81 23 45 67") == "+33781234567"


@pytest.mark.parametrize("typed", ["01 42 68 53 00", "04 72 10 30 30", "09 70 12 34 56"])
def test_landlines_and_internet_boxes_are_refused_as_not_mobile(typed):
    with pytest.raises(ProfileError) as error:
        profile_validation.clean_mobile(typed)
    assert error.value.field == "phone" and "pas un mobile" in str(error.value)


def test_a_foreign_mobile_with_its_country_code_is_accepted():
    assert profile_validation.clean_mobile("+32 470 12 34 56") == "+32470123456"  # Belgium
    assert (
        profile_validation.clean_mobile("0041 79 123 45 67") == "+41791234567"
    )  # Switzerland, 00 prefix from France


def test_a_foreign_landline_is_refused():
    with pytest.raises(ProfileError, match="pas un mobile"):
        profile_validation.clean_mobile("+49 30 12345678")  # Berlin


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "06 12 34",
        "06 12 34 56 78 90",
        "+99 612345678",
        "12345",
        "06 12 34 56 78 poste 12",
        "0612345678" * 5,
    ],
)
def test_garbage_is_refused_with_an_example(typed):
    with pytest.raises(ProfileError) as error:
        profile_validation.clean_mobile(typed)
    assert error.value.field == "phone" and "06 12 34 56 78" in str(error.value)


def test_an_empty_number_is_asked_for():
    with pytest.raises(ProfileError, match="Saisissez"):
        profile_validation.clean_mobile("   ")


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("44000", "44000"),
        (" 75 011 ", "75011"),
        ("01000", "01000"),
        ("20000", "20000"),
        ("20200", "20200"),
        ("97400", "97400"),
        ("97600", "97600"),
        ("98800", "98800"),
        ("95000", "95000"),
    ],
)
def test_french_postal_codes(typed, stored):
    assert profile_validation.clean_postal_code(typed) == stored


@pytest.mark.parametrize("typed", ["4400", "440000", "44OOO", "2A000", "", "75-011"])
def test_postal_codes_are_five_digits(typed):
    with pytest.raises(ProfileError) as error:
        profile_validation.clean_postal_code(typed)
    assert error.value.field == "postal_code"


@pytest.mark.parametrize("typed", ["00100", "96000", "99000", "98000", "97900", "20900"])
def test_postal_codes_of_no_french_departement_are_refused(typed):
    with pytest.raises(ProfileError, match="aucun département"):
        profile_validation.clean_postal_code(typed)


def test_address_errors_lists_every_wrong_field():
    errors = profile_validation.address_errors(
        line1="", line2="x" * 101, postal_code="123", city="  "
    )
    assert set(errors) == {"line1", "line2", "postal_code", "city"}
    assert (
        profile_validation.address_errors(
            line1="12 rue des Lilas", line2="", postal_code="44000", city="Nantes"
        )
        == {}
    )
    assert (
        "100 caractères"
        in profile_validation.address_errors(
            line1="a" * 101, line2="", postal_code="44000", city="Nantes"
        )["line1"]
    )


def test_clean_address_tidies_spaces_and_control_characters():
    address = profile_validation.clean_address(
        line1="  12   rue\tdes Lilas ", line2="Bât.\nB", postal_code="44 000", city=" Nantes "
    )
    assert address == profile_validation.Address(
        "12 rue des Lilas", "Bât. B", "44000", "Nantes", "FR"
    )
    assert address.one_line() == "12 rue des Lilas, Bât. B, 44000 Nantes"


def test_new_email_is_lower_cased_and_must_differ_from_the_current_one():
    assert (
        profile_validation.clean_new_email(
            " Nouvelle.Adresse@Example.FR ", current="old@example.com"
        )
        == "nouvelle.adresse@example.fr"
    )
    with pytest.raises(ProfileError, match="déjà votre adresse") as same:
        profile_validation.clean_new_email("OLD@example.com", current="old@example.com")
    assert same.value.field == "email"
    with pytest.raises(ProfileError, match="adresse e-mail valide"):
        profile_validation.clean_new_email("pas-une-adresse", current="old@example.com")


def test_history_values_are_masked_but_the_address_is_not():
    assert profile_validation.masked("phone", "+33612345678") == "•• •• •• 56 78"
    assert profile_validation.masked("email", "camille@example.com") == "c•••@example.com"
    assert profile_validation.masked("address", "1 rue X, 44000 Nantes") == "1 rue X, 44000 Nantes"
    assert profile_validation.masked("phone", "") == "—"
