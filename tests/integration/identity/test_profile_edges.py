"""'Mon profil''s edges, written for the mutants that survived the mutation run of
``identity/profile``, ``profile_validation`` and ``profile_confirmation``: a closed account, other
holders' and other fields' pending changes left alone, the exact ends of a pending change's day and
of the link's resend pause, a code of another request, the resent SMS code, a done change that
cannot be cancelled, the webhook's payload, the date and masked values of the alerts, the history's
size and order, and what the forms accept at their limits (100 characters, the départements' first
and last codes, control characters, empty fields, and the field each error points at)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from espace import routes
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.identity import accounts, one_time_codes, profile, profile_confirmation, signup
from espace.identity.account_recovery import mask_email
from espace.identity.models import ProfileChange, TokenPurpose
from espace.identity.profile_validation import (
    ProfileError,
    address_errors,
    clean_address,
    clean_mobile,
    clean_new_email,
    clean_postal_code,
)
from espace.notifications.models import Notification
from espace.webhooks.models import WebhookEvent
from tests import factories
from tests.integration.identity.test_profile import outbox as sent

OLD_PHONE, NEW_PHONE, OTHER_PHONE = "+33611112222", "+33781234567", "+33699887766"


@pytest.fixture
def person(db):
    return factories.holder(db, phone=OLD_PHONE)


def last_code(db, to: str) -> str:
    return re.search(r"\b(\d{6})\b", sent(db, to, "sms")[-1].body).group(1)


def last_token(db, to: str) -> str:
    return re.search(r"jeton=([\w-]+)", sent(db, to)[-1].body).group(1)


def frozen(at):
    return time_machine.travel(at, tick=False)


def start_phone(db, person, phone: str = NEW_PHONE) -> ProfileChange:
    return profile.start_phone_change(
        session=db, holder_id=person.id, phone=phone, proof=factories.step_up(db, person)
    )


def confirm_phone(db, person, code: str) -> ProfileChange:
    return profile_confirmation.confirm_phone_change(session=db, holder_id=person.id, code=code)


def start_email(db, person, email: str) -> ProfileChange:
    return profile.start_email_change(
        session=db, holder_id=person.id, email=email, proof=factories.step_up(db, person)
    )


def confirm_email(db, token: str) -> ProfileChange:
    return profile_confirmation.confirm_email_change(session=db, token=token)


def update_address(db, person, *, line1="3 rue Neuve", line2="", city="Nantes", proof=None):
    return profile.update_address(
        session=db,
        holder_id=person.id,
        line1=line1,
        line2=line2,
        postal_code="44000",
        city=city,
        proof=proof or factories.step_up(db, person),
    )


def close(db, person) -> None:
    account = factories.account_of(db, person)
    account.is_active = False
    db.add(account)
    db.flush()


# ---- the holder, the account and other holders ---------------------------------------------------


def test_a_closed_account_confirms_nothing(db, person):
    phone = start_phone(db, person)
    email = start_email(db, person, f"ferme{person.id}@example.com")
    close(db, person)
    with pytest.raises(ProfileError, match="pas accessible"):
        confirm_phone(db, person, last_code(db, NEW_PHONE))
    with pytest.raises(ProfileError, match="Lien expiré"):
        confirm_email(db, last_token(db, email.new_value))
    db.refresh(person)
    assert person.phone == OLD_PHONE and not person.email.startswith("ferme")
    db.refresh(phone)
    assert phone.status == "pending"


def test_a_holder_without_an_account_is_told_to_sign_in_again(db):
    orphan = factories.holder(db, with_account=False)
    with pytest.raises(ProfileError, match="pas accessible"):
        profile.check_new_email(session=db, holder_id=orphan.id, email="neuve@example.com")


def test_other_holders_and_other_fields_pending_changes_are_left_alone(db, person):
    """Starting or cancelling one change touches neither another field's pending change (nor its
    link) nor another holder's."""
    other = factories.holder(db)
    theirs = start_email(db, other, f"autre{other.id}@example.com")
    email = start_email(db, person, f"mienne{person.id}@example.com")
    phone = start_phone(db, person)
    assert profile_confirmation.cancel_change(session=db, holder_id=person.id, change_id=phone.id)
    for change, status in ((theirs, "pending"), (email, "pending"), (phone, "cancelled")):
        db.refresh(change)
        assert change.status == status
    assert confirm_email(db, last_token(db, email.new_value)).status == "done"
    assert confirm_email(db, last_token(db, theirs.new_value)).status == "done"


def test_starting_an_email_change_leaves_the_accounts_other_links_working(db, person):
    update_address(db, person)
    not_me = last_token(db, person.email)  # the "ce n'était pas moi" link of the address alert
    start_email(db, person, f"autres-liens{person.id}@example.com")
    assert accounts.peek_token(session=db, token=not_me, purpose=TokenPurpose.NOT_ME) is not None


def test_a_done_change_cannot_be_cancelled(db, person):
    change = start_phone(db, person)
    confirm_phone(db, person, last_code(db, NEW_PHONE))
    assert not profile_confirmation.cancel_change(
        session=db, holder_id=person.id, change_id=change.id
    )
    db.refresh(change)
    assert change.status == "done"


def test_each_change_tells_the_insurer_which_holder_and_which_field(db, person):
    update_address(db, person)
    start_phone(db, person)
    confirm_phone(db, person, last_code(db, NEW_PHONE))
    email = start_email(db, person, f"webhook{person.id}@example.com")
    confirm_email(db, last_token(db, email.new_value))
    payloads = [
        event.payload
        for event in db.exec(
            select(WebhookEvent)
            .where(WebhookEvent.type == "holder.profile_changed")
            .order_by(WebhookEvent.id)
        ).all()
        if person.id in event.payload.values()
    ]
    assert payloads == [
        {"holder_id": person.id, "field": field} for field in ("address", "phone", "email")
    ]


# ---- postal address ------------------------------------------------------------------------------


def test_the_same_address_with_its_second_line_is_refused_as_unchanged(db):
    person = factories.holder(db, address_line2="Bât. C", postal_code="44000", city="Nantes")
    with pytest.raises(ProfileError, match="déjà votre adresse") as error:
        update_address(db, person, line1=person.address_line1, line2="Bât. C")
    assert error.value.field == ""  # not tied to one input: shown above the form


def test_long_addresses_are_recorded_to_300_characters(db, person):
    proof = factories.step_up(db, person)
    update_address(db, person, line1="a" * 100, line2="b" * 100, city="c" * 100, proof=proof)
    change = update_address(
        db, person, line1="d" * 100, line2="e" * 100, city="f" * 100, proof=proof
    )
    assert (len(change.old_value), len(change.new_value)) == (300, 300)
    assert change.old_value.startswith("a" * 100) and change.new_value.startswith("d" * 100)
    assert change.status == "done"


def test_the_alerts_carry_the_date_of_the_change(db, person):
    at = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    old = person.email
    with frozen(at):
        update_address(db, person)
        new = f"datee{person.id}@example.com"
        start_email(db, person, new)
        confirm_email(db, last_token(db, new))
    address_mail, request_mail, final = sent(db, old)
    for mail in (address_mail, request_mail, final):
        assert f"le {fmt.datetime_fr(at)}" in mail.body
    assert final.subject == "Votre adresse e-mail a été modifiée"
    assert mask_email(new) in final.body
    assert [m.subject for m in sent(db, new)] == ["Confirmez votre nouvelle adresse e-mail"]


# ---- mobile phone --------------------------------------------------------------------------------


def test_a_change_to_the_current_number_is_refused_at_the_start(db, person):
    with pytest.raises(ProfileError, match="déjà votre numéro") as error:
        start_phone(db, person, "06 11 11 22 22")
    assert error.value.field == "phone"
    assert profile.pending_changes(session=db, holder_id=person.id) == {}


def test_a_code_asked_for_too_soon_points_at_the_field_typed(db, person):
    start_phone(db, person)
    with pytest.raises(ProfileError, match="patientez") as at_start:
        start_phone(db, person, OTHER_PHONE)
    assert at_start.value.field == "phone"
    with pytest.raises(ProfileError, match="patientez") as at_resend:
        profile_confirmation.resend_phone_code(session=db, holder_id=person.id)
    assert at_resend.value.field == "code"


def test_a_resent_code_goes_to_the_new_number_and_confirms_the_change(db, person):
    with pytest.raises(ProfileError, match="Aucun changement de numéro") as nothing:
        profile_confirmation.resend_phone_code(session=db, holder_id=person.id)
    assert nothing.value.field == "code"
    at = utcnow() + timedelta(minutes=5)
    with frozen(at):
        change = start_phone(db, person)
    before = len(sent(db, NEW_PHONE, "sms"))
    with frozen(at + timedelta(seconds=31)):
        assert profile_confirmation.resend_phone_code(session=db, holder_id=person.id) == change
        assert len(sent(db, NEW_PHONE, "sms")) == before + 1
        done = confirm_phone(db, person, last_code(db, NEW_PHONE))
    assert done.id == change.id and done.status == "done"
    db.refresh(person)
    assert person.phone == NEW_PHONE


def test_no_pending_change_errors_point_at_the_code_and_the_email_fields(db, person):
    with pytest.raises(ProfileError, match="Aucun changement de numéro") as phone:
        confirm_phone(db, person, "123456")
    with pytest.raises(ProfileError, match="Aucun changement d'adresse e-mail") as email:
        profile_confirmation.resend_email_link(session=db, holder_id=person.id)
    assert (phone.value.field, email.value.field) == ("code", "email")


def test_a_code_sent_after_the_request_cannot_confirm_it(db, person):
    """A code sent to another number after this request's (a concurrent request) would prove that
    number, not the pending one."""
    at = utcnow() + timedelta(minutes=5)
    with frozen(at):
        start_phone(db, person)
    with frozen(at + timedelta(seconds=31)):
        one_time_codes.send_code_to_phone(
            session=db, account=factories.account_of(db, person), phone=OTHER_PHONE
        )
        with pytest.raises(ProfileError, match="ne correspond plus") as error:
            confirm_phone(db, person, last_code(db, OTHER_PHONE))
    assert error.value.field == "code"
    db.refresh(person)
    assert person.phone == OLD_PHONE


def test_other_accounts_codes_and_other_kinds_of_codes_do_not_void_the_request(db, person):
    other = factories.holder(db)
    at = utcnow() + timedelta(minutes=5)
    with frozen(at):
        start_phone(db, person)
        code = last_code(db, NEW_PHONE)
    with frozen(at + timedelta(seconds=31)):
        start_phone(db, other, OTHER_PHONE)  # another account's new-number code
        factories.step_up(db, person)  # a step-up code e-mailed to this holder
        assert confirm_phone(db, person, code).status == "done"
    db.refresh(person)
    assert person.phone == NEW_PHONE


def test_the_phone_alerts_show_the_new_number_and_mask_the_old_one(db, person):
    start_phone(db, person)
    confirm_phone(db, person, last_code(db, NEW_PHONE))
    notice = db.exec(
        select(Notification).where(
            Notification.holder_id == person.id,
            Notification.title == "Votre numéro de mobile a été modifié",
        )
    ).one()
    assert notice.body == f"Nouveau numéro : {fmt.phone(NEW_PHONE)}." and notice.link == (
        routes.PROFILE
    )
    [mail] = sent(db, person.email)
    assert "•• •• •• 22 22 → •• •• •• 45 67" in mail.body
    assert OLD_PHONE not in mail.body and "06 11 11 22 22" not in mail.body


def test_a_pending_change_lapses_exactly_a_day_after_its_code(db, person):
    at = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    with frozen(at):
        change = start_phone(db, person)
    end = at + profile.PENDING_VALIDITY
    with frozen(end - timedelta(microseconds=1)):
        assert profile.pending_changes(session=db, holder_id=person.id) == {"phone": change}
    with frozen(end):
        assert profile.pending_changes(session=db, holder_id=person.id) == {}
        assert profile.describe(change).status == "expired"


# ---- e-mail address ------------------------------------------------------------------------------


def test_a_link_can_be_resent_exactly_a_minute_after_the_last_one(db, person):
    at = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    with frozen(at):
        change = start_email(db, person, f"minute{person.id}@example.com")
    with frozen(at + signup.RESEND_INTERVAL - timedelta(microseconds=1)):
        with pytest.raises(ProfileError, match="patientez"):
            profile_confirmation.resend_email_link(session=db, holder_id=person.id)
    with frozen(at + signup.RESEND_INTERVAL):
        profile_confirmation.resend_email_link(session=db, holder_id=person.id)
    with frozen(at + signup.RESEND_INTERVAL + timedelta(seconds=1)):  # judged on the latest link
        with pytest.raises(ProfileError, match="patientez") as error:
            profile_confirmation.resend_email_link(session=db, holder_id=person.id)
    assert error.value.field == "email"
    assert len(sent(db, change.new_value)) == 2


def test_the_resend_pause_counts_only_this_accounts_links(db, person):
    """Neither another holder's link nor this holder's other e-mails (the 'ce n'était pas moi' link
    of an alert) hold the resend back."""
    other = factories.holder(db)
    at = utcnow() + timedelta(minutes=5)
    with frozen(at):
        change = start_email(db, person, f"pause{person.id}@example.com")
    with frozen(at + timedelta(seconds=61)):
        start_email(db, other, f"pause-autre{other.id}@example.com")
        update_address(db, person)
    with frozen(at + timedelta(seconds=62)):
        profile_confirmation.resend_email_link(session=db, holder_id=person.id)
    assert len(sent(db, change.new_value)) == 2


def test_a_password_changed_at_the_very_moment_of_the_request_does_not_void_it(db, person):
    change = start_email(db, person, f"instant{person.id}@example.com")
    account = factories.account_of(db, person)
    account.password_changed_at = change.changed_at
    db.add(account)
    db.flush()
    assert confirm_email(db, last_token(db, change.new_value)).status == "done"


# ---- history -------------------------------------------------------------------------------------


def _row(db, person, at, n: int = 0) -> ProfileChange:
    row = ProfileChange(
        holder_id=person.id,
        field="address",
        old_value=f"{n} rue A",
        new_value=f"{n} rue B",
        status="done",
        second_factor="email",
        changed_at=at,
    )
    db.add(row)
    db.flush()
    return row


def test_history_shows_the_last_50_changes(db, person):
    at = utcnow()
    for n in range(51):
        _row(db, person, at + timedelta(seconds=n), n)
    rows = profile.history(session=db, holder_id=person.id)
    assert len(rows) == 50 and rows[0].old_value == "50 rue A"


def test_history_orders_by_the_time_of_the_change_then_newest_first(db, person):
    at = utcnow() + timedelta(minutes=5)
    with frozen(at):
        phone = start_phone(db, person)
        code = last_code(db, NEW_PHONE)
    with frozen(at + timedelta(seconds=1)):
        update_address(db, person)
    with frozen(at + timedelta(seconds=2)):
        confirm_phone(db, person, code)  # the phone change is dated by its confirmation
    assert [r.field for r in profile.history(session=db, holder_id=person.id)] == [
        "phone",
        "address",
    ]
    view = profile.describe(phone)
    assert (view.changed_at, view.status) == (phone.changed_at, "done")
    same = at + timedelta(hours=1)
    first, second = _row(db, person, same, 1), _row(db, person, same, 2)
    assert [r.id for r in profile.history(session=db, holder_id=person.id)[:2]] == [
        second.id,
        first.id,
    ]


# ---- what the forms accept -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["20600", "97100", "97600", "98600", "98800"])
def test_the_first_and_last_codes_of_corsica_and_overseas_are_french(typed):
    assert clean_postal_code(typed) == typed


@pytest.mark.parametrize("typed", ["20700", "97700", "98500", "98900"])
def test_just_past_corsica_and_overseas_is_no_departement(typed):
    with pytest.raises(ProfileError, match="aucun département"):
        clean_postal_code(typed)


def test_empty_fields_are_asked_for_and_each_error_names_its_field():
    with pytest.raises(ProfileError, match="Saisissez le code postal") as postal:
        clean_postal_code("")
    with pytest.raises(ProfileError, match="5 chiffres"):
        clean_postal_code("123")
    with pytest.raises(ProfileError, match="Saisissez votre numéro de mobile") as phone:
        clean_mobile("")
    with pytest.raises(ProfileError, match="adresse e-mail valide") as email:
        clean_new_email("pas-une-adresse", current="old@example.com")
    assert (postal.value.field, phone.value.field, email.value.field) == (
        "postal_code",
        "phone",
        "email",
    )


def _address(**typed) -> dict[str, str]:
    return {"line1": "12 rue des Lilas", "line2": "", "postal_code": "44000", "city": "Nantes"} | (
        typed
    )


def test_a_wrong_address_is_refused_at_its_first_wrong_field():
    with pytest.raises(ProfileError, match="Saisissez le numéro et la voie") as line1:
        clean_address(**_address(line1=""))
    with pytest.raises(ProfileError, match="100 caractères au plus") as line2:
        clean_address(**_address(line2="x" * 101))
    assert (line1.value.field, line2.value.field) == ("line1", "line2")


def test_100_characters_are_accepted_and_101_refused_with_their_message():
    assert address_errors(**_address(line1="a" * 100, line2="b" * 100, city="c" * 100)) == {}
    errors = address_errors(**_address(line2="b" * 101, postal_code="123", city="c" * 101))
    assert set(errors) == {"line2", "postal_code", "city"}
    assert "100 caractères au plus" in errors["line2"] and "100 caractères" in errors["city"]
    assert "5 chiffres" in errors["postal_code"]


def test_a_town_without_a_letter_is_asked_for():
    assert "Saisissez la commune" in address_errors(**_address(city="44 000"))["city"]


def test_control_characters_that_are_not_spaces_become_spaces():
    address = clean_address(**_address(line1="12 rue\x07des\x00Lilas", city="Nan\u200btes"))
    assert (address.line1, address.city) == ("12 rue des Lilas", "Nan tes")
