import pytest

from espace.core import tokens
from espace.identity.identifiers import normalise_contract_number, normalise_email
from espace.identity.passwords import hash_password, verify_password


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("MRH0412857", "MRH0412857"),
        ("mrh 041 2857", "MRH0412857"),
        (" MRH-0412857 ", "MRH0412857"),
        ("MRH041285", None),
        ("camille@example.com", None),
        ("", None),
    ],
)
def test_contract_number(raw, expected):
    assert normalise_contract_number(raw) == expected


def test_email_is_trimmed_and_lowercased():
    assert normalise_email("  Camille.Martin@Example.COM ") == "camille.martin@example.com"


def test_tokens_are_256_bit_and_only_digests_are_compared():
    a, b = tokens.new_token(), tokens.new_token()
    assert a != b and len(a) >= 43
    assert len(tokens.digest(a)) == 64 and tokens.digest(a) != a
    assert tokens.same_digest(tokens.digest(a), tokens.digest(a))


def test_argon2id_with_guide_parameters():
    hashed = hash_password("Tournesol#Lyon2026")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password("Tournesol#Lyon2026", hashed)
    assert not verify_password("tournesol#lyon2026", hashed)
    assert not verify_password("anything", "not-a-hash")


def test_long_passwords_are_not_truncated():
    base = "A" * 100
    hashed = hash_password(base + "1")
    assert not verify_password(base + "2", hashed)
