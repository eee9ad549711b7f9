"""Session and account edges, written for the mutants that survived the mutation run of
``identity/sessions`` and ``identity/accounts`` (docs/security-testing.md).

Sessions: the exact end of a hand-off code, of an idle session and of an absolute one; the idle
clock started at the hand-off and restarted by a request 30 s after the last; a code bound to a
browser; a sign-in that did not ask for trust; the address and browser kept to their columns; an
ending that is written and stays (a closed then reopened account, a sign-in ended before its
hand-off); a closed staff account; "end my other sessions" ending and counting only this account's
open ones; the purge cut-off.

Accounts: the new password may not hold the holder's own words (first name, e-mail, birth date; at
sign-up the address typed); a refusal explains itself on the right field; only the last five
passwords are kept, whatever the number of changes, and other accounts' changes leave them alone; a
new password restarts the failure count; the "password changed" alert carries the reset link and is
erased with the account; guessing the current password locks for 30 minutes from the time given; a
blocked address changes nothing; an e-mailed link works only for its purpose and until its exact
end."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
import time_machine
from sqlmodel import select

from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import (
    account_recovery,
    accounts,
    auth,
    devices,
    one_time_codes,
    security_page,
    sessions,
    signin,
    signup,
)
from espace.identity.accounts import AccountError
from espace.identity.auth import Outcome
from espace.identity.models import AuthSession, CodePurpose, LoginResult, PasswordHistory
from espace.identity.password_policy import check_password
from espace.notifications import outbox
from espace.notifications.models import OutboxMessage
from espace.privacy import rights
from tests import factories
from tests.integration.identity.test_account_security import last_link_token
from tests.integration.identity.test_account_security import outbox as sent_to

TICK = timedelta(microseconds=1)
NEW_PASSWORD = "Girafe#Bleue-Quai2027"
IP = "198.51.100.61"


def _idle() -> timedelta:
    return timedelta(minutes=get_settings().session_idle_minutes)


def _sign_in(db, person, **begin) -> tuple[str, AuthSession]:
    """(token, row) of a session of ``person`` begun with ``begin`` and redeemed at once."""
    code = sessions.begin_login(session=db, account_id=factories.account_of(db, person).id, **begin)
    activated = sessions.activate(session=db, code=code)
    assert activated is not None
    return activated


def _at(instant):
    return time_machine.travel(instant, tick=False)


def _change(db, person, proof, *, current=factories.PASSWORD, new=NEW_PASSWORD, **kwargs):
    kwargs.setdefault("confirm", new)
    accounts.change_password(
        session=db,
        account_id=factories.account_of(db, person).id,
        current=current,
        new=new,
        proof=proof,
        **kwargs,
    )


# ---- sessions: the ends of a code and of a session -----------------------------------------------


def test_a_hand_off_code_ends_exactly_at_its_expiry(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    start = utcnow()
    with _at(start):
        early = sessions.begin_login(session=db, account_id=account.id)
        late = sessions.begin_login(session=db, account_id=account.id)
    end = start + timedelta(seconds=get_settings().login_handoff_seconds)
    with _at(end - TICK):
        assert sessions.complete_handoff(session=db, code=early) is not None
    with _at(end):
        assert sessions.complete_handoff(session=db, code=late) is None


def test_the_idle_clock_starts_when_the_hand_off_is_redeemed(db):
    person = factories.holder(db)
    start = utcnow()
    with _at(start):
        code = sessions.begin_login(session=db, account_id=factories.account_of(db, person).id)
    redeemed = start + timedelta(seconds=50)
    with _at(redeemed):
        token = sessions.complete_handoff(session=db, code=code)
    with _at(redeemed + _idle() - TICK):
        assert sessions.validate(session=db, token=token) is not None


def test_a_session_idle_for_exactly_the_idle_limit_ends(db):
    person = factories.holder(db)
    start = utcnow()
    with _at(start):
        kept, _ = _sign_in(db, person)
        ended, _ = _sign_in(db, person)
    with _at(start + _idle() - TICK):
        assert sessions.validate(session=db, token=kept) is not None
    with _at(start + _idle()):
        assert sessions.validate(session=db, token=ended) is None


def test_a_request_thirty_seconds_after_the_last_one_restarts_the_idle_clock(db):
    person = factories.holder(db)
    start = utcnow()
    with _at(start):
        token, _ = _sign_in(db, person)
    again = start + timedelta(seconds=30)
    with _at(again):
        assert sessions.validate(session=db, token=token) is not None
    with _at(again + _idle() - TICK):
        assert sessions.validate(session=db, token=token) is not None


def test_a_session_ends_exactly_at_its_absolute_expiry_and_the_ending_is_written(db):
    person = factories.holder(db)
    start = utcnow()
    with _at(start):
        token, row = _sign_in(db, person)
    row.expires_at = start + timedelta(minutes=10)
    db.add(row)
    db.flush()
    with _at(row.expires_at - TICK):
        assert sessions.validate(session=db, token=token) is not None
    with _at(row.expires_at):
        assert sessions.validate(session=db, token=token) is None
    db.flush()  # what the request's commit writes: the ending must be writable


# ---- sessions: what a sign-in records ------------------------------------------------------------


def test_a_code_bound_to_a_browser_is_redeemed_only_with_that_binding(db):
    account = factories.account_of(db, factories.holder(db))
    code = sessions.begin_login(session=db, account_id=account.id, binding="this-tab")
    assert sessions.complete_handoff(session=db, code=code, binding="another-tab") is None
    assert sessions.complete_handoff(session=db, code=code) is None
    token = sessions.complete_handoff(session=db, code=code, binding="this-tab")
    assert sessions.validate(session=db, token=token).account_id == account.id


def test_a_sign_in_that_did_not_ask_for_trust_leaves_the_device_untrusted(db):
    account = factories.account_of(db, factories.holder(db))
    code = sessions.begin_login(session=db, account_id=account.id, binding="this-tab")
    finished = signin.finish_login(
        session=db,
        code=code,
        binding="this-tab",
        previous_token=None,
        device_token="a-new-browser",
        user_agent="pytest",
    )
    device = devices.find_device(
        session=db, account_id=account.id, device_token=finished.device_token
    )
    assert device is not None and not devices.is_trusted(device)


def test_the_address_and_browser_of_a_sign_in_are_kept_to_their_columns(db):
    """45 and 400 characters: the columns' widths (a longer value is refused by PostgreSQL)."""
    address = "2001:db8:" + "ab:" * 20
    browser = "Mozilla/5.0 (X11; Linux x86_64) " + "Extension/1.0 " * 40
    _, row = _sign_in(db, factories.holder(db), ip_address=address, user_agent=browser)
    assert (row.ip_address, row.user_agent) == (address[:45], browser[:400])


# ---- sessions: endings ---------------------------------------------------------------------------


def test_a_session_ended_because_the_account_was_closed_stays_ended_after_reopening(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    token, _ = factories.signed_in(db, person)
    account.is_active = False
    db.add(account)
    assert sessions.validate(session=db, token=token) is None
    db.flush()  # what the request's commit writes: the ending must be writable
    account.is_active = True
    db.add(account)
    assert sessions.validate(session=db, token=token) is None


def test_a_sign_in_ended_before_its_hand_off_cannot_be_redeemed(db):
    account = factories.account_of(db, factories.holder(db))
    code = sessions.begin_login(session=db, account_id=account.id)
    pending = db.exec(
        select(AuthSession).where(
            AuthSession.account_id == account.id, AuthSession.token_hash.is_(None)
        )
    ).one()
    assert security_page.end_session(session=db, account_id=account.id, session_id=pending.id)
    assert sessions.complete_handoff(session=db, code=code) is None


def test_a_closed_staff_account_loses_its_sessions(db):
    staff = factories.staff(db)
    token = sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, staff_id=staff.id)
    )
    assert sessions.validate(session=db, token=token).staff_id == staff.id
    staff.is_active = False
    db.add(staff)
    assert sessions.validate(session=db, token=token) is None


def test_ending_other_sessions_ends_and_counts_only_this_accounts_open_ones(db):
    person, neighbour = factories.holder(db), factories.holder(db)
    current, principal = factories.signed_in(db, person)
    others = [factories.signed_in(db, person)[0] for _ in range(2)]
    logged_out = factories.signed_in(db, person)[0]
    assert sessions.revoke(session=db, token=logged_out)
    theirs = factories.signed_in(db, neighbour)[0]
    count = security_page.end_other_sessions(
        session=db, account_id=principal.account_id, current_session_id=principal.session_id
    )
    assert count == 2  # told to the holder: "2 autres sessions fermées"
    assert [sessions.validate(session=db, token=t) for t in others] == [None, None]
    assert sessions.validate(session=db, token=current) is not None
    assert sessions.validate(session=db, token=theirs) is not None


def test_a_session_ending_exactly_at_the_purge_cut_off_is_kept(db):
    start = utcnow()
    with _at(start):
        token, row = _sign_in(db, factories.holder(db))
    end = row.expires_at
    sessions.purge_sessions(session=db, older_than=end)
    with _at(start):
        assert sessions.validate(session=db, token=token) is not None
    sessions.purge_sessions(session=db, older_than=end + TICK)
    with _at(start):
        assert sessions.validate(session=db, token=token) is None


# ---- accounts: the new password ------------------------------------------------------------------


@pytest.mark.parametrize(
    "new",
    ["Ombeline#Vk29-qzTj", "Vermeil#Kx29-qzTj", "Kx7#vRq2!mWp1987"],
    ids=["first name", "e-mail", "birth year"],
)
def test_a_new_password_may_not_hold_the_holders_own_words(db, new):
    person = factories.holder(
        db,
        first_name="Ombeline",
        email="capucine.vermeil@example.org",
        birth_date=date(1987, 3, 14),
    )
    assert check_password(new).ok  # only the rule on personal words stands against it
    proof = factories.step_up(db, person)
    with pytest.raises(AccountError) as refused:
        _change(db, person, proof, new=new)
    assert refused.value.field == "password"


def test_a_sign_up_password_may_not_hold_the_address_typed(db):
    """The address typed, not the one on the holder's file."""
    person = factories.holder(db, with_account=False)
    password = "Quetzalcoatl#Vk29-qzT"
    assert check_password(password).ok
    with pytest.raises(AccountError) as refused:
        signup.sign_up(
            session=db,
            holder=person,
            email="zephyrin.quetzalcoatl@example.org",
            password=password,
            confirm=password,
        )
    assert refused.value.field == "password"


def test_a_refused_new_password_explains_itself(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)
    with pytest.raises(AccountError) as mismatch:
        _change(db, person, proof, confirm=NEW_PASSWORD + "x")
    assert mismatch.value.field == "confirm" and "identiques" in str(mismatch.value).lower()
    weak = "court"
    broken = check_password(weak, personal=accounts.holder_personal_words(person)).errors
    with pytest.raises(AccountError) as refused:
        _change(db, person, proof, new=weak)
    assert refused.value.field == "password" and broken
    assert all(rule in str(refused.value) for rule in broken)


def test_a_recently_used_password_is_refused_on_the_password_field_of_a_reset(db):
    """The reset forms show an error next to the field it names: another name shows nothing."""
    current = "Otarie#Verte-Quai2028"
    person = factories.holder(db, password=current)
    account_recovery.request_reset(session=db, identifier=person.email, channel="email")
    with pytest.raises(AccountError) as refused:
        account_recovery.reset_with_token(
            session=db, token=last_link_token(db, person.email), password=current, confirm=current
        )
    assert refused.value.field == "password" and "déjà utilisé" in str(refused.value)


def test_a_dead_reset_link_is_refused_at_the_form_level(db):
    with pytest.raises(AccountError) as refused:
        account_recovery.reset_with_token(
            session=db, token="not-a-link", password=NEW_PASSWORD, confirm=NEW_PASSWORD
        )
    assert refused.value.field == ""  # tied to no field: shown above the form


def test_only_the_last_five_passwords_are_kept_and_the_one_before_last_stays_refused(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)
    chain = [factories.PASSWORD] + [f"Girafe#Bleue-Quai{i}x" for i in range(7)]
    for current, new in itertools.pairwise(chain):
        _change(db, person, proof, current=current, new=new)
    kept = db.exec(
        select(PasswordHistory).where(
            PasswordHistory.account_id == factories.account_of(db, person).id
        )
    ).all()
    assert len(kept) == accounts.PASSWORD_HISTORY  # older hashes are not kept
    with pytest.raises(AccountError, match="déjà utilisé"):
        _change(db, person, proof, current=chain[-1], new=chain[-2])


def test_other_accounts_changes_leave_an_accounts_history_alone(db):
    chain = [factories.PASSWORD] + [f"Girafe#Bleue-Quai{i}x" for i in range(4)]
    mine, second, third = (factories.holder(db) for _ in range(3))
    proofs = {p.id: factories.step_up(db, p) for p in (mine, second, third)}
    for person, changes in ((mine, 2), (second, 4), (third, 1)):
        for current, new in itertools.pairwise(chain[: changes + 1]):
            _change(db, person, proofs[person.id], current=current, new=new)
    with pytest.raises(AccountError, match="déjà utilisé"):
        _change(db, mine, proofs[mine.id], current=chain[2], new=chain[1])


def test_a_new_password_restarts_the_failure_count(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)

    def sign_in(password: str):
        return auth.attempt_password(
            session=db, identifier=person.email, password=password, ip=IP, user_agent="pytest"
        )

    for _ in range(2):
        sign_in("Wrong#Password2026")
    _change(db, person, proof)
    for _ in range(auth.MAX_FAILURES - 1):
        assert sign_in("Wrong#Password2026").outcome is Outcome.FAILED
    assert sign_in(NEW_PASSWORD).outcome is not Outcome.FAILED  # four failures do not lock


# ---- accounts: the alert -------------------------------------------------------------------------


def test_the_password_changed_alert_carries_the_reset_link(db):
    person = factories.holder(db)
    _change(db, person, factories.step_up(db, person))
    assert outbox.link("/mot-de-passe-oublie") + "\n" in sent_to(db, person.email)[-1].body


def test_the_password_changed_alert_is_erased_with_the_account_at_a_replaced_address(db):
    """Signed up with an address not on the holder's file, later replaced (lost access): the alert
    sent there is found by its account only."""
    person = factories.holder(db, with_account=False)
    typed = "adresse.saisie@example.org"
    account = signup.sign_up(
        session=db,
        holder=person,
        email=typed,
        password=factories.PASSWORD,
        confirm=factories.PASSWORD,
    )
    _change(db, person, factories.step_up(db, person))
    alert = sent_to(db, typed)[-1]
    assert "/mot-de-passe-oublie" in alert.body
    one_time_codes.send_code(
        session=db, account=account, purpose=CodePurpose.RECOVERY, channel="sms"
    )
    replaced = "Otarie#Verte-Quai2028"
    account_recovery.finish_recovery(
        session=db,
        account_id=account.id,
        code=factories.last_code(db, person.phone, "sms"),
        new_email="nouvelle.boite@example.org",
        password=replaced,
        confirm=replaced,
    )
    rights.request_erasure(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        proof=factories.step_up(db, person),
    )
    erased = db.get(OutboxMessage, alert.id)
    assert erased.body == rights.ERASED_BODY and erased.recipient != typed


# ---- accounts: guessing and throttling -----------------------------------------------------------


def test_guessing_the_current_password_locks_for_30_minutes_from_the_time_given(db):
    person = factories.holder(db)
    then = utcnow() - timedelta(hours=2)
    proof = factories.step_up(db, person, now=then)
    wrong = "Devine#Peut-Etre2026"
    for second in range(1, auth.MAX_FAILURES):
        with pytest.raises(AccountError) as refused:
            _change(db, person, proof, current=wrong, now=then + timedelta(seconds=second))
        assert refused.value.field == "current"
    with pytest.raises(AccountError) as locked:
        _change(db, person, proof, current=wrong, now=then + timedelta(seconds=10))
    assert (str(locked.value), locked.value.field) == (accounts.PASSWORD_CHANGE_LOCKED, "current")
    signed = auth.attempt_password(
        session=db, identifier=person.email, password=factories.PASSWORD, ip=IP
    )
    assert signed.outcome is not Outcome.FAILED  # the lock ended 90 minutes ago


def test_a_blocked_address_cannot_change_the_password(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)
    blocked = "198.51.100.62"
    for _ in range(get_settings().ip_block_after):
        auth.record_event(session=db, result=LoginResult.BAD_CREDENTIALS, ip=blocked)
    db.flush()
    with pytest.raises(AccountError) as refused:
        _change(db, person, proof, ip=blocked)
    assert (str(refused.value), refused.value.field) == (auth.THROTTLED_MESSAGE, "current")


# ---- accounts: e-mailed links --------------------------------------------------------------------


def test_a_link_works_only_for_its_own_purpose(db):
    person = factories.holder(db)
    account_recovery.request_reset(session=db, identifier=person.email, channel="email")
    reset = last_link_token(db, person.email)
    assert signup.activate(session=db, token=reset) is None
    assert account_recovery.report_not_me(session=db, token=reset) is False
    account_recovery.reset_with_token(
        session=db, token=reset, password=NEW_PASSWORD, confirm=NEW_PASSWORD
    )
    newcomer = factories.holder(db, with_account=False)
    typed = "nouvelle.venue@example.org"
    signup.sign_up(
        session=db,
        holder=newcomer,
        email=typed,
        password=factories.PASSWORD,
        confirm=factories.PASSWORD,
    )
    with pytest.raises(AccountError):
        account_recovery.reset_with_token(
            session=db,
            token=last_link_token(db, typed),
            password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
        )


def test_links_end_exactly_at_their_expiry(db):
    person = factories.holder(db)
    newcomer = factories.holder(db, with_account=False)
    typed = "arrivee.recente@example.org"
    start = utcnow()
    with _at(start):
        account_recovery.request_reset(session=db, identifier=person.email, channel="email")
        signup.sign_up(
            session=db,
            holder=newcomer,
            email=typed,
            password=factories.PASSWORD,
            confirm=factories.PASSWORD,
        )
    reset, activation = last_link_token(db, person.email), last_link_token(db, typed)
    with _at(start + account_recovery.RESET_VALIDITY - TICK):
        assert accounts.peek_token(session=db, token=reset, purpose="reset") is not None
    with _at(start + account_recovery.RESET_VALIDITY):
        assert accounts.peek_token(session=db, token=reset, purpose="reset") is None
    with _at(start + signup.ACTIVATION_VALIDITY):
        assert signup.activate(session=db, token=activation) is None
