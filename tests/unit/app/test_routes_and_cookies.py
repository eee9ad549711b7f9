from datetime import date

from espace import routes
from espace.contracts.portfolio import next_anniversary
from espace.state.session import read_session_cookie


def test_only_private_pages_are_post_login_destinations():
    assert routes.safe_next("/profil") == "/profil"
    assert routes.safe_next("https://evil.example/") == routes.AFTER_LOGIN
    assert routes.safe_next("//evil.example") == routes.AFTER_LOGIN
    assert routes.safe_next(None) == routes.AFTER_LOGIN
    assert routes.safe_next("/contrat?n=MRH0412857") == "/contrat?n=MRH0412857"
    assert routes.safe_next("/contrat?n=<script>") == routes.AFTER_LOGIN
    assert routes.safe_next("/ailleurs?n=1") == routes.AFTER_LOGIN


def test_session_cookie_is_read_from_the_raw_header():
    assert read_session_cookie("a=1; espace_session=tok123; b=2") == "tok123"
    assert read_session_cookie("other=1") is None
    assert read_session_cookie("") is None


def test_next_anniversary():
    assert next_anniversary(date(2021, 9, 1), date(2026, 11, 23)) == date(2027, 9, 1)
    assert next_anniversary(date(2023, 12, 1), date(2026, 11, 23)) == date(2026, 12, 1)
    assert next_anniversary(date(2024, 2, 29), date(2026, 11, 23)) == date(2027, 2, 28)
    assert next_anniversary(date(2021, 11, 23), date(2026, 11, 23)) == date(2027, 11, 23)
