"""'Mon profil' against the real database: address, phone and e-mail changes, their alerts and
history."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from espace.core.models import utcnow
from espace.identity import (
    auth,
    one_time_codes,
    profile,
    profile_confirmation,
    security_page,
    stepup,
)
from espace.identity.models import Account, Policyholder, ProfileChange
from espace.identity.profile_validation import ProfileError
from espace.identity.second_factor import SecondFactorError
from espace.notifications.models import Notification, OutboxMessage
from tests import factories


def outbox(db, to: str, channel: str = "email") -> list[OutboxMessage]:
    """What was sent to ``to``, but the step-up codes the tests type to get their proofs."""
    return list(
        db.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.recipient == to,
                OutboxMessage.channel == channel,
                OutboxMessage.subject != "Votre code de confirmation",
            )
            .order_by(OutboxMessage.id)
        ).all()
    )


def start_phone(db, person, phone: str):
    return profile.start_phone_change(
        session=db, holder_id=person.id, phone=phone, proof=factories.step_up(db, person)
    )


def recent(db, person):
    """The proof of a check passed shortly before (as a page re-obtains it), recorded as
    "recent"."""
    proof = factories.step_up(db, person)
    return stepup.recent_proof(session=db, account_id=proof.account_id, session_id=proof.session_id)


def code_in(message: OutboxMessage) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def token_in(message: OutboxMessage) -> str:
    return re.search(r"/profil/confirmer-email\?jeton=([\w-]+)", message.body).group(1)


def later(seconds: int = 61):
    """Past the resend pauses (30 s for codes, a minute for links)."""
    return time_machine.travel(utcnow() + timedelta(seconds=seconds), tick=True)


def changes(db, person) -> list[ProfileChange]:
    return list(
        db.exec(
            select(ProfileChange)
            .where(ProfileChange.holder_id == person.id)
            .order_by(ProfileChange.id)
        ).all()
    )


@pytest.fixture
def person(db):
    who = factories.holder(db, phone="+33611112222")
    factories.contract(db, who)
    return who


# ---- postal address ------------------------------------------------------------------------------


def test_address_change_is_saved_recorded_and_announced(db, person):
    old = profile.current_address(person)
    change = profile.update_address(
        session=db,
        holder_id=person.id,
        line1=" 8  allée des Tilleuls",
        line2="Bât. C",
        postal_code="44 300",
        city="Nantes",
        proof=factories.step_up(db, person),
    )
    db.refresh(person)
    assert (
        person.address_line1,
        person.address_line2,
        person.postal_code,
        person.city,
        person.country,
    ) == ("8 allée des Tilleuls", "Bât. C", "44300", "Nantes", "FR")
    assert (change.field, change.status, change.second_factor) == ("address", "done", "email")
    assert (change.old_value, change.new_value) == (
        old,
        "8 allée des Tilleuls, Bât. C, 44300 Nantes",
    )
    [mail] = outbox(db, person.email)
    assert mail.subject == "Votre adresse postale a été modifiée"
    assert old in mail.body and "8 allée des Tilleuls, Bât. C, 44300 Nantes" in mail.body
    assert "/pas-moi?jeton=" in mail.body  # "ce n'était pas moi"
    notice = db.exec(select(Notification).where(Notification.holder_id == person.id)).one()
    assert notice.category == "security" and notice.title == "Votre adresse postale a été modifiée"


def test_a_wrong_address_changes_nothing(db, person):
    before = profile.current_address(person)
    with pytest.raises(ProfileError) as error:
        profile.update_address(
            session=db,
            holder_id=person.id,
            line1="8 allée des Tilleuls",
            line2="",
            postal_code="99000",
            city="Nantes",
            proof=factories.step_up(db, person),
        )
    assert error.value.field == "postal_code"
    with pytest.raises(ProfileError, match="déjà votre adresse"):
        profile.update_address(
            session=db,
            holder_id=person.id,
            line1=person.address_line1,
            line2="",
            postal_code=person.postal_code,
            city=person.city,
            proof=factories.step_up(db, person),
        )
    db.refresh(person)
    assert (
        profile.current_address(person) == before
        and changes(db, person) == []
        and outbox(db, person.email) == []
    )


# ---- mobile phone --------------------------------------------------------------------------------


def test_phone_change_needs_the_code_sent_to_the_new_number(db, person):
    account = factories.account_of(db, person)
    # Other tests text these numbers too (the database is shared by a pytest process): count.
    new_before = len(outbox(db, "+33781234567", "sms"))
    old_before = len(outbox(db, "+33611112222", "sms"))
    change = start_phone(db, person, "07 81 23 45 67")
    assert (change.status, change.old_value, change.new_value) == (
        "pending",
        "+33611112222",
        "+33781234567",
    )
    *_, sms = texts = outbox(db, "+33781234567", "sms")
    assert len(texts) == new_before + 1
    assert len(outbox(db, "+33611112222", "sms")) == old_before  # nothing to the old number yet
    db.refresh(person)
    assert person.phone == "+33611112222" and account.phone_verified_at is None

    wrong = "000000" if code_in(sms) != "000000" else "111111"
    with pytest.raises(ProfileError) as error:
        profile_confirmation.confirm_phone_change(session=db, holder_id=person.id, code=wrong)
    assert error.value.field == "code" and "Code incorrect" in str(error.value)
    done = profile_confirmation.confirm_phone_change(
        session=db, holder_id=person.id, code=code_in(sms)
    )
    db.refresh(person)
    db.refresh(account)
    assert person.phone == "+33781234567" and account.phone_verified_at is not None
    assert done.id == change.id and done.status == "done"
    [alert] = outbox(db, person.email)
    assert (
        alert.subject == "Votre numéro de mobile a été modifié" and "•• •• •• 45 67" in alert.body
    )
    assert "/pas-moi?jeton=" in alert.body
    [warning] = outbox(db, "+33611112222", "sms")
    assert "remplacé" in warning.body and "45 67" in warning.body
    with pytest.raises(ProfileError, match="Aucun changement"):  # the code works once
        profile_confirmation.confirm_phone_change(
            session=db, holder_id=person.id, code=code_in(sms)
        )


def test_starting_again_supersedes_the_pending_phone_change(db, person):
    first = start_phone(db, person, "0781234567")
    first_code = code_in(outbox(db, "+33781234567", "sms")[-1])
    with pytest.raises(
        ProfileError, match="patientez"
    ):  # asked again at once: nothing sent, nothing changed
        start_phone(db, person, "0699887766")
    with later(31):
        second = start_phone(db, person, "0699887766")
        db.refresh(first)
        assert first.status == "cancelled" and second.status == "pending"
        with pytest.raises(ProfileError):
            profile_confirmation.confirm_phone_change(
                session=db, holder_id=person.id, code=first_code
            )
        profile_confirmation.confirm_phone_change(
            session=db, holder_id=person.id, code=code_in(outbox(db, "+33699887766", "sms")[-1])
        )
    db.refresh(person)
    assert person.phone == "+33699887766"


def test_a_code_sent_to_the_old_number_cannot_confirm_a_new_one(db, person):
    """The 'Sécurité' page's check of the number on file has its own kind of code, in both
    directions."""
    account = factories.account_of(db, person)
    start_phone(db, person, "0781234567")
    with later(31):
        one_time_codes.send_code(session=db, account=account, purpose="phone", channel="sms")
        old_number_code = code_in(outbox(db, "+33611112222", "sms")[-1])
        with pytest.raises(ProfileError, match="Code incorrect"):
            profile_confirmation.confirm_phone_change(
                session=db, holder_id=person.id, code=old_number_code
            )
        new_number_code = code_in(outbox(db, "+33781234567", "sms")[-1])
        with pytest.raises(SecondFactorError):
            security_page.confirm_phone(session=db, account=account, code=new_number_code)
    db.refresh(person)
    assert person.phone == "+33611112222"


def test_a_cancelled_phone_change_cannot_be_confirmed(db, person):
    change = start_phone(db, person, "0781234567")
    assert profile_confirmation.cancel_change(session=db, holder_id=person.id, change_id=change.id)
    with pytest.raises(ProfileError, match="Aucun changement"):
        profile_confirmation.confirm_phone_change(
            session=db, holder_id=person.id, code=code_in(outbox(db, "+33781234567", "sms")[-1])
        )
    assert changes(db, person)[0].status == "cancelled"


def test_phone_checks(db, person):
    with pytest.raises(ProfileError, match="déjà votre numéro"):
        profile.check_new_phone(session=db, holder_id=person.id, phone="06 11 11 22 22")
    with pytest.raises(ProfileError, match="pas un mobile"):
        start_phone(db, person, "01 42 68 53 00")
    assert changes(db, person) == []


# ---- e-mail address ------------------------------------------------------------------------------


def _start_email(db, person, new="Nouvelle.Adresse@Example.com"):
    return profile.start_email_change(
        session=db, holder_id=person.id, email=new, proof=factories.step_up(db, person)
    )


def test_email_change_goes_through_a_link_sent_to_the_new_address(db, person):
    old = person.email
    new = f"nouvelle{person.id}@example.com"
    change = _start_email(db, person, new.upper())
    assert (change.status, change.old_value, change.new_value) == ("pending", old, new)
    [link_mail] = outbox(db, new)
    assert link_mail.subject == "Confirmez votre nouvelle adresse e-mail"
    [request_alert] = outbox(db, old)
    assert (
        "demande de changement de votre adresse e-mail vers n•••@example.com" in request_alert.body
    )
    assert "/pas-moi?jeton=" in request_alert.body and new not in request_alert.body
    assert (
        factories.account_of(db, person).email == old
    )  # nothing changes before the link is opened

    done = profile_confirmation.confirm_email_change(session=db, token=token_in(link_mail))
    account = factories.account_of(db, person)
    db.refresh(person)
    assert account.email == person.email == new and done.status == "done"
    final = outbox(db, old)[-1]
    assert final.subject == "Votre adresse e-mail a été modifiée" and "/acces-perdu" in final.body
    titles = [
        n.title
        for n in db.exec(select(Notification).where(Notification.holder_id == person.id)).all()
    ]
    assert "Votre adresse e-mail a été modifiée" in titles
    assert auth.authenticate(session=db, identifier=new, password=factories.PASSWORD) is not None
    assert auth.authenticate(session=db, identifier=old, password=factories.PASSWORD) is None
    with pytest.raises(ProfileError, match="Lien expiré ou déjà utilisé"):  # once only
        profile_confirmation.confirm_email_change(session=db, token=token_in(link_mail))


def test_an_address_of_another_account_is_refused_at_the_start_and_at_the_link(db, person):
    other = factories.holder(db)
    with pytest.raises(ProfileError, match="déjà utilisée par un autre espace") as error:
        _start_email(db, person, other.email.upper())
    assert error.value.field == "email" and changes(db, person) == []
    with pytest.raises(ProfileError, match="déjà votre adresse"):
        _start_email(db, person, person.email)

    wanted = f"convoitee{person.id}@example.com"
    _start_email(db, person, wanted)
    other_account = factories.account_of(db, other)
    other_account.email = wanted  # someone else takes it before the link is opened
    db.add(other_account)
    db.flush()
    with pytest.raises(ProfileError, match="désormais utilisée"):
        profile_confirmation.confirm_email_change(
            session=db, token=token_in(outbox(db, wanted)[-1])
        )
    assert factories.account_of(db, person).email == person.email
    assert changes(db, person)[-1].status == "cancelled"


def test_expired_superseded_and_cancelled_links_do_not_work(db, person):
    first = _start_email(db, person, f"un{person.id}@example.com")
    first_token = token_in(outbox(db, first.new_value)[-1])
    second = _start_email(db, person, f"deux{person.id}@example.com")
    db.refresh(first)
    assert first.status == "cancelled"
    with pytest.raises(ProfileError, match="Lien expiré"):
        profile_confirmation.confirm_email_change(session=db, token=first_token)
    second_token = token_in(outbox(db, second.new_value)[-1])
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        with pytest.raises(ProfileError, match="Lien expiré"):
            profile_confirmation.confirm_email_change(session=db, token=second_token)
        assert profile.pending_changes(session=db, holder_id=person.id) == {}
        assert profile.describe(second).status_label == "Expirée"
    assert profile_confirmation.cancel_change(session=db, holder_id=person.id, change_id=second.id)
    with pytest.raises(ProfileError, match="Lien expiré"):
        profile_confirmation.confirm_email_change(session=db, token=second_token)
    with pytest.raises(ProfileError, match="Lien expiré"):
        profile_confirmation.confirm_email_change(session=db, token="not-a-token")
    assert factories.account_of(db, person).email == person.email


def test_a_resent_link_replaces_the_previous_one(db, person):
    change = _start_email(db, person, f"renvoi{person.id}@example.com")
    first_token = token_in(outbox(db, change.new_value)[-1])
    with pytest.raises(ProfileError, match="patientez"):
        profile_confirmation.resend_email_link(session=db, holder_id=person.id)
    with later():
        profile_confirmation.resend_email_link(session=db, holder_id=person.id)
        with pytest.raises(ProfileError):
            profile_confirmation.confirm_email_change(session=db, token=first_token)
        profile_confirmation.confirm_email_change(
            session=db, token=token_in(outbox(db, change.new_value)[-1])
        )
    assert factories.account_of(db, person).email == change.new_value


def test_a_password_reset_after_the_request_voids_the_link(db, person):
    """'Ce n'était pas moi' (or a reset) after a request: the intruder's link stops working."""
    change = _start_email(db, person, f"intrus{person.id}@example.com")
    with later(5):
        account = factories.account_of(db, person)
        account.password_changed_at = utcnow()
        db.add(account)
        db.flush()
        with pytest.raises(ProfileError, match="Lien expiré"):
            profile_confirmation.confirm_email_change(
                session=db, token=token_in(outbox(db, change.new_value)[-1])
            )
    assert factories.account_of(db, person).email == person.email
    db.refresh(change)
    assert change.status == "cancelled"


def test_holder_and_account_emails_both_change(db, person):
    change = _start_email(db, person, f"Double{person.id}@Example.com")
    profile_confirmation.confirm_email_change(
        session=db, token=token_in(outbox(db, change.new_value)[-1])
    )
    holder = db.get(Policyholder, person.id)
    account = db.exec(select(Account).where(Account.holder_id == person.id)).one()
    assert holder.email == account.email == f"double{person.id}@example.com"


# ---- history and ownership -----------------------------------------------------------------------


def test_history_is_newest_first_and_masks_phone_and_email(db, person):
    profile.update_address(
        session=db,
        holder_id=person.id,
        line1="3 rue Neuve",
        line2="",
        postal_code="44000",
        city="Nantes",
        proof=recent(db, person),
    )
    with later(2):
        start_phone(db, person, "0781234567")
        code = code_in(outbox(db, "+33781234567", "sms")[-1])
    with later(4):
        profile_confirmation.confirm_phone_change(session=db, holder_id=person.id, code=code)
    with later(6):
        _start_email(db, person, f"hist{person.id}@example.com")
        rows = profile.history(session=db, holder_id=person.id)
    assert [r.field for r in rows] == ["email", "phone", "address"]
    views = [profile.describe(r) for r in rows]
    assert (views[0].what, views[0].status_label, views[0].new) == (
        "Adresse e-mail",
        "En attente",
        "h•••@example.com",
    )
    assert (views[1].old, views[1].new, views[1].status_label) == (
        "•• •• •• 22 22",
        "•• •• •• 45 67",
        "Effectuée",
    )
    assert views[1].how == "Code par e-mail, puis code SMS au nouveau numéro"
    assert views[2].how == "Vérification récente" and views[2].new == "3 rue Neuve, 44000 Nantes"
    assert rows[1].new_value == "+33781234567"  # stored in full
    assert profile.history(session=db, holder_id=factories.holder(db).id) == []


def test_another_holders_pending_change_cannot_be_cancelled(db, person):
    change = start_phone(db, person, "0781234567")
    intruder = factories.holder(db)
    assert not profile_confirmation.cancel_change(
        session=db, holder_id=intruder.id, change_id=change.id
    )
    db.refresh(change)
    assert change.status == "pending"
    assert profile.pending_changes(session=db, holder_id=person.id)["phone"].id == change.id
