from espace.core import crypto
from espace.identity.devices import describe, mask_ip

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 "
    "Safari/537.36"
)


def test_user_agents_become_french_labels():
    phone = describe(IPHONE)
    assert (
        phone.kind == "Téléphone"
        and phone.browser.startswith("Safari mobile 17")
        and phone.system == "iOS 17"
    )
    desktop = describe(DESKTOP)
    assert (
        desktop.kind == "Ordinateur"
        and desktop.browser == "Chrome 156"
        and desktop.system == "Linux"
    )
    assert describe("").browser == "Navigateur inconnu"


def test_ip_addresses_are_masked():
    assert mask_ip("203.0.113.57") == "203.0.113.xxx"
    assert mask_ip("2001:db8:1:2::5") == "2001:db8:1:xxxx:…"
    assert mask_ip("garbage") == "inconnue"


def test_encryption_round_trip_is_randomised_and_authenticated():
    a, b = crypto.encrypt("JBSWY3DPEHPK3PXP"), crypto.encrypt("JBSWY3DPEHPK3PXP")
    assert a != b and "JBSWY3DP" not in a
    assert crypto.decrypt(a) == "JBSWY3DPEHPK3PXP"
    tampered = a[:-4] + ("AAAA" if not a.endswith("AAAA") else "BBBB")
    try:
        crypto.decrypt(tampered)
        raise AssertionError("tampered ciphertext was accepted")
    except Exception as error:  # noqa: BLE001
        assert "tampered" not in str(error)


def test_code_digest_is_keyed_and_stable():
    assert (
        crypto.code_digest("123456") == crypto.code_digest("123456") != crypto.code_digest("123457")
    )
    import hashlib

    assert crypto.code_digest("123456") != hashlib.sha256(b"123456").hexdigest()
