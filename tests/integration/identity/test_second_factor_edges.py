"""Second-factor edges, written for mutants that survived the mutation run of
``identity/second_factor`` and ``identity/devices`` (docs/security-testing.md): the clock drift an
authenticator code is allowed, the tries left that a wrong e-mailed code announces, and a browser
trusted by one account that is nobody else's."""

from __future__ import annotations

import pyotp
import pytest

from espace.core import crypto
from espace.identity import devices, one_time_codes, second_factor
from espace.identity.second_factor import SecondFactorError
from tests import factories

AT = 1_800_000_000.0  # a fixed instant (15 January 2027), on a 30-second step


@pytest.mark.parametrize(
    ("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_an_app_code_is_accepted_one_step_either_side_of_the_time_given(steps, accepted):
    secret = pyotp.random_base32()
    encrypted = crypto.encrypt(secret, purpose=b"totp")
    code = pyotp.TOTP(secret).at(AT + 30 * steps)
    if accepted:
        assert second_factor._check_totp(encrypted, 0, code, at=AT) == int(AT // 30) + steps
    else:
        with pytest.raises(SecondFactorError, match="Code incorrect"):
            second_factor._check_totp(encrypted, 0, code, at=AT)


def test_a_wrong_code_says_how_many_tries_are_left_then_that_there_are_none(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    messages = []
    for _ in range(second_factor.CODE_MAX_ATTEMPTS):
        with pytest.raises(SecondFactorError) as refused:
            second_factor.verify_code(
                session=db, account_id=account.id, purpose="login", code="000000"
            )
        messages.append(str(refused.value))
    assert messages[0] == "Code incorrect. Il vous reste 4 essais."
    assert messages[3] == "Code incorrect. Il vous reste 1 essai."
    assert messages[4] == "Code incorrect. Trop d'essais : demandez un nouveau code."


def test_a_browser_trusted_by_one_account_is_unknown_to_another(db):
    first, second = factories.holder(db), factories.holder(db)
    token = "browser-token-shared-by-two-people"
    devices.remember_device(
        session=db,
        account_id=factories.account_of(db, first).id,
        device_token=token,
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
        trust=True,
    )
    db.flush()
    assert devices.is_trusted(
        devices.find_device(
            session=db, account_id=factories.account_of(db, first).id, device_token=token
        )
    )
    assert (
        devices.find_device(
            session=db, account_id=factories.account_of(db, second).id, device_token=token
        )
        is None
    )
