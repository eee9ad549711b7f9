from datetime import date

import pytest

from espace.identity.password_policy import check_password, meets_cnil_rules, personal_words

CAMILLE = personal_words(
    first_name="Camille",
    last_name="Martin",
    email="camille.martin@example.com",
    birth_date=date(1986, 3, 14),
)


@pytest.mark.parametrize(
    "password, ok",
    [
        ("Kq7#vB2!mZ9@", True),  # 12 chars, 4 classes
        ("Kq7vB2mZ9xLp4R", True),  # 14 chars, 3 classes
        ("trois pommes vertes sous la pluie", True),  # passphrase of 20+
        ("Kq7#vB2!mZ9", False),  # 11 chars
        ("kq7#vb2!mz9@", False),  # 12 chars, no upper case
        ("Kq7vB2mZ9xLp4", False),  # 13 chars, 3 classes
    ],
)
def test_cnil_rules(password, ok):
    assert meets_cnil_rules(password) is ok


@pytest.mark.parametrize("password", ["Azerty123456!", "Motdepasse2026!", "Password123456!"])
def test_common_passwords_are_refused(password):
    result = check_password(password)
    assert not result.ok and any("courant" in e for e in result.errors)


@pytest.mark.parametrize(
    "password",
    [
        "Martin#Lyon2026x",
        "Camille!Soleil42",
        "Soleil#1986Vert",
        "Espace#Lyon2026",
        "M4rt1n#Lyon2026x",
    ],
)
def test_personal_and_brand_words_are_refused(password):
    result = check_password(password, personal=CAMILLE)
    assert not result.ok and any("Évitez" in e for e in result.errors)


def test_strong_password_is_accepted_with_top_level():
    result = check_password("Tournesol#Lyon2026", personal=CAMILLE)
    assert (
        result.ok
        and result.level >= 3
        and result.label in ("Bon", "Excellent")
        and not result.hints
    )


def test_up_to_128_characters_accepted_and_no_more():
    assert check_password("Vert-" * 25 + "Ab1").ok  # 128 characters
    result = check_password("Vert-" * 26)
    assert not result.ok and "128" in result.errors[0]


def test_meter_gives_french_hints_for_weak_input():
    result = check_password("abc")
    assert result.level <= 1 and result.label in ("Très faible", "Faible")
    assert "Au moins 12 caractères" in result.hints and "Une majuscule" in result.hints
