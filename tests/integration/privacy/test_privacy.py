"""GDPR dashboard backend: consents, export ZIP (only the holder's rows, no secrets), erasure, staff
requests."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlmodel import select

from espace.billing import bank_accounts
from espace.billing.models import Payment
from espace.claims.models import Claim, ClaimEvent, ClaimItem, ClaimMessage, StaffAuditLog
from espace.contracts.models import Contract
from espace.core.models import utcnow
from espace.identity import auth, sessions
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.models import AuthSession, KnownDevice, LoginEvent, Policyholder, ProfileChange
from espace.identity.stepup import StepUpRequired
from espace.notifications.models import (
    Notification,
    NotificationSettings,
    OutboxMessage,
    PushSubscription,
)
from espace.privacy import data_inventory, export, rights
from espace.privacy.models import Consent, PrivacyRequest
from espace.support import help_feedback, threads
from espace.support.models import ArticleFeedback, SupportThread
from tests import factories

IBAN = "FR7630006000011234567890189"


def _populate(db, *, tag: str):
    """A holder with a contract, payments, a claim with messages, a bank account, devices,
    sessions."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    contract = factories.contract(db, person)
    db.add(
        Payment(
            contract_id=contract.id,
            holder_id=person.id,
            due_date=date(2026, 1, 5),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            amount_cents=1250,
            tax_cents=103,
            status="paid",
            paid_at=utcnow(),
        )
    )
    claim = Claim(
        holder_id=person.id,
        contract_id=contract.id,
        declared_by_account_id=account.id,
        status="received",
        peril="water_damage",
        description=f"Fuite sous l'évier {tag}",
        number=f"SIN-2099-{tag}",
    )
    db.add(claim)
    db.flush()
    db.add(
        ClaimItem(
            claim_id=claim.id, description=f"Parquet {tag}", category="floor", estimate_cents=90_000
        )
    )
    db.add(ClaimEvent(claim_id=claim.id, kind="received", detail="Déclaration reçue"))
    db.add(ClaimMessage(claim_id=claim.id, body=f"Message du sinistre {tag}"))
    threads.open_thread(
        session=db,
        holder_id=person.id,
        subject=f"Question {tag}",
        category="contract",
        body=f"Message au conseiller {tag}",
        transcript=[("holder", f"Question à l'assistant {tag}"), ("assistant", "Réponse")],
        origin="assistant",
    )
    bank_accounts.add_account(
        session=db,
        holder_id=person.id,
        iban=IBAN,
        bic="",
        account_holder=person.display_name,
        authority=InsurerRecord(source="core_system"),
    )
    device = KnownDevice(account_id=account.id, device_hash="d" * 64, label="Firefox · Linux")
    db.add(device)
    db.add(LoginEvent(account_id=account.id, result="success", ip_address="203.0.113.7"))
    db.add(Notification(holder_id=person.id, category="claims", title=f"Sinistre {tag}"))
    db.add(NotificationSettings(holder_id=person.id, critical_only=True))
    db.add(
        PushSubscription(
            holder_id=person.id, endpoint=f"https://push.example/{tag}", p256dh="k", auth="a"
        )
    )
    db.flush()
    code = sessions.begin_login(session=db, account_id=account.id)
    token, auth_session = sessions.activate(session=db, code=code)
    auth_session.device_id = device.id
    db.add(auth_session)
    rights.set_consent(session=db, holder_id=person.id, purpose="offers_email", granted=True)
    db.flush()
    return person, account, contract, claim, token


def _json_files(archive: zipfile.ZipFile) -> dict[str, list[dict]]:
    return {
        name[:-5]: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def test_consents_default_to_false_and_keep_a_history(db):
    person = factories.holder(db)
    assert rights.consents(session=db, holder_id=person.id) == dict.fromkeys(rights.PURPOSES, False)
    assert (
        rights.set_consent(session=db, holder_id=person.id, purpose="offers_sms", granted=True)
        is not None
    )
    assert (
        rights.set_consent(session=db, holder_id=person.id, purpose="offers_sms", granted=True)
        is None
    )
    assert (
        rights.set_consent(session=db, holder_id=person.id, purpose="partners", granted=False)
        is None
    )
    rights.set_consent(session=db, holder_id=person.id, purpose="offers_sms", granted=False)
    assert rights.consents(session=db, holder_id=person.id)["offers_sms"] is False
    history = rights.consent_history(session=db, holder_id=person.id)
    assert [(row.purpose, row.granted) for row in history] == [
        ("offers_sms", False),
        ("offers_sms", True),
    ]
    with pytest.raises(ValueError):
        rights.set_consent(session=db, holder_id=person.id, purpose="spam", granted=True)


def test_data_inventory_covers_every_category_with_retention():
    categories = " ".join(item["category"] for item in data_inventory.DATA_INVENTORY).lower()
    for word in (
        "identité",
        "contrats",
        "paiements",
        "sinistres",
        "documents",
        "connexion",
        "notifications",
        "consentements",
    ):
        assert word in categories
    for item in data_inventory.DATA_INVENTORY:
        assert set(item) == {"category", "what", "why", "how_long", "who"} and all(item.values())
    by_category = {item["category"]: item for item in data_inventory.DATA_INVENTORY}
    assert "13 mois" in by_category["Journaux de connexion"]["how_long"]
    assert "10 ans" in by_category["Contrats et biens assurés"]["how_long"]


def test_export_holds_only_the_holders_rows_and_no_secrets(db):
    alice, alice_account, alice_contract, alice_claim, _ = _populate(db, tag="A")
    bob, bob_account, bob_contract, bob_claim, _ = _populate(db, tag="B")

    data = export.export_zip(session=db, holder_id=alice.id)
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = _json_files(archive)

    assert "LISEZ-MOI.txt" in archive.namelist()
    readme = archive.read("LISEZ-MOI.txt").decode("utf-8-sig")
    for table in files:
        assert f"{table}.csv" in archive.namelist() and f"{table}.json" in readme
    assert [row["id"] for row in files["policyholder"]] == [alice.id]
    assert [row["number"] for row in files["contract"]] == [alice_contract.number]
    assert [row["id"] for row in files["claim"]] == [alice_claim.id]
    assert [row["body"] for row in files["claim_message"]] == ["Message du sinistre A"]
    assert len(files["payment"]) == 1 and files["payment"][0]["holder_id"] == alice.id
    assert files["bank_account"][0]["iban_masked"] == "FR76 •••• •••• •••• 0189"
    assert set(files["account"][0]) == {
        "id",
        "email",
        "created_at",
        "activated_at",
        "last_login_at",
    }
    assert set(files["known_device"][0]) == {
        "id",
        "label",
        "first_seen_at",
        "last_seen_at",
        "trusted_until",
    }
    assert files["privacy_request"][0]["kind"] == "export"
    assert (
        files["claim_event"] and files["claim_item"] and files["login_event"] and files["consent"]
    )
    assert [row["subject"] for row in files["support_thread"]] == ["Question A"]
    assert [row["body"] for row in files["support_message"]] == [
        "Question à l'assistant A",
        "Réponse",
        "Message au conseiller A",
    ]

    forbidden = {
        "password_hash",
        "totp_secret_encrypted",
        "iban_encrypted",
        "iban_fingerprint",
        "token_hash",
        "code_hash",
        "handoff_hash",
        "device_hash",
        "storage_key",
    }
    bob_contract_ids, bob_claim_ids = {bob_contract.id}, {bob_claim.id}
    for table, rows in files.items():
        for row in rows:
            assert not forbidden & set(row), table
            assert row.get("holder_id", alice.id) == alice.id, table
            assert row.get("contract_id") not in bob_contract_ids, table
            assert row.get("claim_id") not in bob_claim_ids, table
            assert row.get("account_id") not in {bob_account.id}, table
    everything = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    for marker in (
        bob.email,
        bob.last_name,
        bob_contract.number,
        bob_claim.number,
        "Message du sinistre B",
        "Question B",
        "Message au conseiller B",
        "Question à l'assistant B",
        "https://push.example/B",
        IBAN,
        IBAN[4:],
        alice_account.password_hash,
    ):
        assert marker not in everything

    rows = list(
        csv.reader(io.StringIO(archive.read("contract.csv").decode("utf-8")), delimiter=";")
    )
    assert archive.read("contract.csv").startswith(b"\xef\xbb\xbf")
    header = [name.lstrip("\ufeff") for name in rows[0]]
    assert len(rows) == 2 and rows[1][header.index("number")] == alice_contract.number

    recorded = db.exec(select(PrivacyRequest).where(PrivacyRequest.holder_id == alice.id)).all()
    assert [(r.kind, r.status) for r in recorded] == [("export", "done")] and recorded[
        0
    ].completed_at is not None


def test_erasure_closes_the_account_and_keeps_what_the_law_requires(db):
    alice, account, contract, claim, token = _populate(db, tag="A")
    bob, bob_account, *_ = _populate(db, tag="B")
    original_email = alice.email
    assert (
        auth.authenticate(session=db, identifier=original_email, password=factories.PASSWORD)
        is not None
    )
    db.add(
        ProfileChange(
            holder_id=alice.id,
            field="email",
            old_value="ancienne@example.com",
            new_value=original_email,
        )
    )
    help_feedback.record(session=db, holder_id=alice.id, slug="franchise", helpful=False)

    request = rights.request_erasure(
        session=db, holder_id=alice.id, account_id=account.id, proof=factories.step_up(db, alice)
    )

    anonymous = f"supprime-{account.id}@anonyme.invalid"
    assert (
        auth.authenticate(session=db, identifier=original_email, password=factories.PASSWORD)
        is None
    )
    assert auth.authenticate(session=db, identifier=anonymous, password=factories.PASSWORD) is None
    assert sessions.validate(session=db, token=token) is None
    assert all(
        row.revoked_at is not None
        for row in db.exec(select(AuthSession).where(AuthSession.account_id == account.id)).all()
    )
    db.refresh(alice)
    db.refresh(account)
    assert (alice.email, alice.phone, account.email, account.is_active) == (
        anonymous,
        "",
        anonymous,
        False,
    )
    assert alice.last_name and alice.birth_date and alice.address_line1  # kept for legal retention
    assert db.get(Contract, contract.id) is not None and db.get(Claim, claim.id) is not None
    assert db.exec(select(Payment).where(Payment.holder_id == alice.id)).all()
    assert db.exec(select(ClaimMessage).where(ClaimMessage.claim_id == claim.id)).all()
    assert db.exec(
        select(SupportThread).where(SupportThread.holder_id == alice.id)
    ).all()  # correspondence kept
    for model, column, owner in (
        (KnownDevice, KnownDevice.account_id, account.id),
        (Notification, Notification.holder_id, alice.id),
        (NotificationSettings, NotificationSettings.holder_id, alice.id),
        (PushSubscription, PushSubscription.holder_id, alice.id),
        (ProfileChange, ProfileChange.holder_id, alice.id),
        (ArticleFeedback, ArticleFeedback.holder_id, alice.id),
    ):
        assert db.exec(select(model).where(column == owner)).all() == [], model
    assert rights.consents(session=db, holder_id=alice.id) == dict.fromkeys(rights.PURPOSES, False)
    assert rights.consent_history(session=db, holder_id=alice.id)[0].source == "effacement"

    assert (request.kind, request.status) == ("erasure", "open")
    assert request.due_at - request.created_at == timedelta(days=30)
    assert "compte fermé" in request.note and not request.overdue
    mail = db.exec(
        select(OutboxMessage)
        .where(OutboxMessage.account_id == account.id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert mail.recipient == original_email and "effacement" in mail.subject
    assert "fin du contrat + 10 ans" in mail.body and "jusqu'au" in mail.body

    # Bob is untouched.
    db.refresh(bob)
    assert bob.phone and auth.authenticate(
        session=db, identifier=bob.email, password=factories.PASSWORD
    )
    assert db.exec(select(KnownDevice).where(KnownDevice.account_id == bob_account.id)).all()


def test_erasure_refuses_an_account_of_another_holder(db):
    alice = factories.holder(db)
    bob = factories.holder(db)
    for proof in (factories.step_up(db, alice), factories.step_up(db, bob)):
        with pytest.raises(StepUpRequired):
            rights.request_erasure(
                session=db,
                holder_id=alice.id,
                account_id=factories.account_of(db, bob).id,
                proof=proof,
            )
    assert factories.account_of(db, bob).is_active and factories.account_of(db, alice).is_active


def test_explanation_names_the_retention_date(db):
    person = factories.holder(db)
    factories.contract(db, person, end_date=date(2027, 2, 28), status="terminated")
    text = rights.erasure_explanation(session=db, holder_id=person.id)
    assert "jusqu'au 28/02/2037 (fin du contrat + 10 ans)" in text
    assert "{until}" in rights.ERASURE_EXPLANATION


def test_staff_see_open_requests_with_overdue_flag_and_complete_them(db):
    person = factories.holder(db)
    agent = factories.staff(db)
    late = PrivacyRequest(
        holder_id=person.id,
        kind="erasure",
        created_at=utcnow() - timedelta(days=40),
        due_at=utcnow() - timedelta(days=10),
    )
    fresh = rights.request_erasure(
        session=db,
        holder_id=person.id,
        account_id=factories.account_of(db, person).id,
        proof=factories.step_up(db, person),
    )
    db.add(late)
    db.flush()
    listed = [r for r in rights.open_requests(session=db) if r.holder_id == person.id]
    assert [r.id for r in listed] == [late.id, fresh.id]
    assert [r.overdue for r in listed] == [True, False]

    done = rights.complete(
        session=db, request_id=late.id, staff_id=agent.id, note="Archivage effectué"
    )
    assert (
        done.status == "done"
        and done.completed_at is not None
        and "Archivage effectué" in done.note
    )
    assert late.id not in {r.id for r in rights.open_requests(session=db)}
    assert (
        db.exec(
            select(StaffAuditLog).where(
                StaffAuditLog.object_type == "privacy_request", StaffAuditLog.object_id == late.id
            )
        )
        .one()
        .staff_id
        == agent.id
    )
    with pytest.raises(rights.PrivacyError):
        rights.complete(session=db, request_id=late.id, staff_id=agent.id, note="encore")
    assert db.exec(select(Consent).where(Consent.holder_id == person.id)).all()
    assert db.get(Policyholder, person.id).phone == ""
