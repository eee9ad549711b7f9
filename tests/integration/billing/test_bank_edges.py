"""The edges of bank accounts and SEPA mandates, written for the mutants that survived the mutation
run of ``billing/mandates`` and ``billing/bank_accounts``.

What they pin: signing a mandate or removing an account touches only the mandates of that one
account (never another account's, never another holder's) and never moves the date of an earlier
revocation; the insurer's audit trail (the ``holder.iban_changed``, ``mandate.signed`` and
``mandate.revoked`` payloads); what the holder is told (the e-mail names the creditor with its ICS,
the in-app notice the RUM and the masked IBAN); the mandate document (issued at the signature, its
searchable text one fact a line with the signature date, the bank and the issuer in the PDF); the
values recorded as given and cut to their columns; which mandates are active
(``active_mandates_for``, read by the payments page) and the order of the holder's list; a refund
waiting for bank details going to the account just added; the bank name of an IBAN schwifty does
not know; and which contracts still need the default account (only scheduled direct debits), with
the message of the action refused (removing the account or revoking its mandate)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

import espace.tables  # noqa: F401  (a refund refers to a cancellation: every table registered)
from espace.billing import bank_accounts as ba
from espace.billing import mandates
from espace.billing.bank_accounts import BankAccountError
from espace.billing.bank_details import MESSAGES
from espace.billing.models import (
    BankAccount,
    MandateStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PremiumRefund,
    RefundStatus,
    SepaMandate,
)
from espace.core.settings import get_settings
from espace.documents import library
from espace.documents.models import Document
from espace.identity.insurer_authority import InsurerRecord
from espace.notifications.models import Notification, OutboxMessage
from espace.webhooks.models import WebhookEvent
from tests import factories
from tests.integration.billing.test_mandates import add

IBAN_A = "FR7630006000011234567890189"
IBAN_B = "DE89370400440532013000"
IBAN_C = "FR1420041010050500013M02606"
IBAN_BE = "BE68539007547034"  # schwifty knows no bank for it: its name comes from the BIC
RECORD = InsurerRecord(source="core_system")  # who may act is tested in test_stepup_enforcement
T0 = datetime(2026, 11, 23, 9, 42, tzinfo=UTC)


def sign(db, holder, account, now=T0, **fields) -> SepaMandate:
    return mandates.sign_mandate(
        session=db,
        holder_id=holder.id,
        account_id=account.id,
        signed_ip=fields.pop("signed_ip", "203.0.113.7"),
        signature_method=fields.pop("signature_method", "code envoyé par e-mail"),
        authority=RECORD,
        now=now,
        **fields,
    )


def revoke(db, holder, mandate, now=T0) -> SepaMandate | None:
    return mandates.revoke(
        session=db, holder_id=holder.id, mandate_id=mandate.id, authority=RECORD, now=now
    )


def remove(db, holder, account, now=T0) -> BankAccount:
    return ba.remove_account(
        session=db, holder_id=holder.id, account_id=account.id, authority=RECORD, now=now
    )


def pdf_text(db, mandate: SepaMandate) -> str:
    document = db.get(Document, mandate.document_id)
    reader = PdfReader(io.BytesIO(library.content(session=db, document=document)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def status_of(db, mandate: SepaMandate) -> tuple[str, datetime | None]:
    row = db.get(SepaMandate, mandate.id)
    return row.status, row.revoked_at


# -- signing and removing touch one account's mandates only ----------------------------------------


def test_signing_revokes_the_active_mandate_of_that_account_only(db, holder, other):
    main, spare = add(db, holder), add(db, holder, iban=IBAN_B)
    theirs = sign(db, other, add(db, other))
    first = sign(db, holder, main)
    spare_mandate = sign(db, holder, spare, now=T0 + timedelta(hours=1))
    # the holder's other account and another holder keep their mandates
    assert status_of(db, first) == (MandateStatus.ACTIVE, None)
    assert status_of(db, theirs) == (MandateStatus.ACTIVE, None)
    assert status_of(db, spare_mandate) == (MandateStatus.ACTIVE, None)
    # a new mandate for the same account revokes the previous one at its signature...
    second = sign(db, holder, main, now=T0 + timedelta(days=1))
    assert status_of(db, first) == (MandateStatus.REVOKED, T0 + timedelta(days=1))
    # ...and a third one leaves the date of that first revocation alone
    third = sign(db, holder, main, now=T0 + timedelta(days=2))
    assert status_of(db, first) == (MandateStatus.REVOKED, T0 + timedelta(days=1))
    assert status_of(db, second) == (MandateStatus.REVOKED, T0 + timedelta(days=2))
    assert mandates.active_mandate_for(session=db, account_id=main.id).id == third.id
    assert status_of(db, spare_mandate) == (MandateStatus.ACTIVE, None)
    assert status_of(db, theirs) == (MandateStatus.ACTIVE, None)


def test_removing_an_account_revokes_its_own_active_mandate_only(db, holder, other):
    main, spare = add(db, holder), add(db, holder, iban=IBAN_B)
    theirs = sign(db, other, add(db, other))
    kept = sign(db, holder, main)  # the default account's mandate
    old = sign(db, holder, spare)
    current = sign(db, holder, spare, now=T0 + timedelta(days=1))  # revokes `old` on day 1
    remove(db, holder, spare, now=T0 + timedelta(days=5))
    assert status_of(db, current) == (MandateStatus.REVOKED, T0 + timedelta(days=5))
    assert status_of(db, old) == (MandateStatus.REVOKED, T0 + timedelta(days=1))
    assert status_of(db, kept) == (MandateStatus.ACTIVE, None)
    assert status_of(db, theirs) == (MandateStatus.ACTIVE, None)


# -- the insurer's audit trail ---------------------------------------------------------------------


def test_each_change_of_an_account_or_mandate_tells_the_insurer_who_and_what(db, holder):
    """The webhook payloads: the insurer's systems read these keys (ids only, never the IBAN)."""
    before = db.exec(select(WebhookEvent.id).order_by(WebhookEvent.id.desc())).first() or 0
    main, spare = add(db, holder), add(db, holder, iban=IBAN_B)
    sign(db, holder, main)
    mandate = sign(db, holder, spare)
    revoke(db, holder, mandate)
    remove(db, holder, spare)
    events = db.exec(
        select(WebhookEvent).where(WebhookEvent.id > before).order_by(WebhookEvent.id)
    ).all()
    first_mandate = mandates.active_mandate_for(session=db, account_id=main.id)
    assert [(e.type, e.payload) for e in events] == [
        (
            "holder.iban_changed",
            {"holder_id": holder.id, "bank_account_id": main.id, "change": "added"},
        ),
        (
            "holder.iban_changed",
            {"holder_id": holder.id, "bank_account_id": spare.id, "change": "added"},
        ),
        (
            "mandate.signed",
            {
                "holder_id": holder.id,
                "mandate_id": first_mandate.id,
                "reference": first_mandate.reference,
            },
        ),
        (
            "mandate.signed",
            {"holder_id": holder.id, "mandate_id": mandate.id, "reference": mandate.reference},
        ),
        (
            "mandate.revoked",
            {"holder_id": holder.id, "mandate_id": mandate.id, "reference": mandate.reference},
        ),
        (
            "holder.iban_changed",
            {"holder_id": holder.id, "bank_account_id": spare.id, "change": "removed"},
        ),
    ]


# -- what the holder is told -----------------------------------------------------------------------


def test_the_holder_is_told_the_creditor_and_the_mandate(db, holder):
    account = add(db, holder)
    mandate = sign(db, holder, account)
    [email] = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.account_id == factories.account_of(db, holder).id,
            OutboxMessage.category == "payments",
        )
    ).all()
    # the creditor next to its ICS (the insurer's name also signs the e-mail: not enough)
    assert f"{mandate.creditor_name}, ICS {mandate.creditor_identifier}" in email.body
    [notice] = db.exec(select(Notification).where(Notification.holder_id == holder.id)).all()
    assert mandate.reference in notice.body and ba.masked(account) in notice.body


# -- the mandate document --------------------------------------------------------------------------


def test_the_mandate_document_is_dated_and_searchable_line_by_line(db, holder):
    account = add(db, holder)
    mandate = sign(db, holder, account, now=T0)
    document = db.get(Document, mandate.document_id)
    assert document.issued_at == T0  # the signature, not the moment the row was written
    lines = document.text_content.splitlines()
    for line in (
        f"Référence unique du mandat (RUM) : {mandate.reference}",
        f"Identifiant créancier SEPA (ICS) : {mandate.creditor_identifier}",
        f"Créancier : {mandate.creditor_name}",
        f"IBAN : {ba.masked(account)}",
        "Signé électroniquement le 23/11/2026 à 10:42",
    ):
        assert line in lines


def test_the_mandate_pdf_names_the_bank_and_its_issuer(db, holder):
    account = add(db, holder, iban=IBAN_C)
    mandate = sign(db, holder, account)
    assert account.bank_name == "LA BANQUE POSTALE"
    assert f"Banque {account.bank_name}" in pdf_text(db, mandate)
    document = db.get(Document, mandate.document_id)
    reader = PdfReader(io.BytesIO(library.content(session=db, document=document)))
    assert reader.metadata.author == mandate.creditor_name
    header = " ".join(reader.pages[0].extract_text().split()).split(mandates.TITLE)[0]
    assert mandate.creditor_name in header  # the letterhead: the creditor as named at signing


# -- what a mandate records ------------------------------------------------------------------------


def test_a_mandate_records_no_address_when_none_is_known(db, holder):
    mandate = sign(db, holder, add(db, holder), signed_ip="")
    assert db.get(SepaMandate, mandate.id).signed_ip == ""


def test_a_mandate_cuts_long_values_to_its_columns(db, holder, monkeypatch):
    monkeypatch.setattr(get_settings(), "insurer_name", "Mutuelle " + "x" * 150)
    mandate = sign(
        db, holder, add(db, holder), signed_ip="2001:db8::" + "1" * 60, signature_method="m" * 60
    )
    columns = SepaMandate.__table__.columns
    assert len(mandate.creditor_name) == columns["creditor_name"].type.length == 140
    assert len(mandate.signed_ip) == columns["signed_ip"].type.length == 45
    assert len(mandate.signature_method) == columns["signature_method"].type.length == 40


def test_an_empty_signature_method_reads_as_a_second_factor():
    assert mandates.method_phrase("") == mandates.method_phrase("   ")
    assert "par" not in mandates.method_phrase("").split()


def test_the_rum_keeps_eight_digits_of_the_holder_id():
    for holder_id in (100_000_000, 123_456_789):
        reference = mandates.new_reference(holder_id)
        assert reference.startswith(f"ESP-{holder_id % 100_000_000:08d}-") and len(reference) == 23


# -- which mandates are active, in which order -----------------------------------------------------


def test_active_mandates_for_gives_each_listed_account_its_active_mandate(db, holder, other):
    renewed, revoked, bare = (
        add(db, holder),
        add(db, holder, iban=IBAN_B),
        add(db, holder, iban=IBAN_C),
    )
    sign(db, holder, renewed)
    latest = sign(db, holder, renewed, now=T0 + timedelta(days=1))
    revoke(db, holder, sign(db, holder, revoked))
    theirs = add(db, other)
    sign(db, other, theirs)
    found = mandates.active_mandates_for(session=db, account_ids=[renewed.id, revoked.id, bare.id])
    assert {account_id: m.id for account_id, m in found.items()} == {renewed.id: latest.id}
    assert mandates.active_mandates_for(session=db, account_ids=[]) == {}


def test_the_holder_lists_mandates_by_signature_most_recent_first(db, holder):
    """A paper mandate recorded after an online one but signed before it comes second; two signed
    at the same moment: the one recorded last first."""
    online, paper = add(db, holder), add(db, holder, iban=IBAN_B)
    recent = sign(db, holder, online, now=T0)
    earlier = sign(db, holder, paper, now=T0 - timedelta(days=30))
    assert [m.id for m in mandates.list_mandates(session=db, holder_id=holder.id)] == [
        recent.id,
        earlier.id,
    ]
    same = add(db, holder, iban=IBAN_C)
    twin = sign(db, holder, same, now=T0)
    assert [m.id for m in mandates.list_mandates(session=db, holder_id=holder.id)] == [
        twin.id,
        recent.id,
        earlier.id,
    ]


# -- adding an account -----------------------------------------------------------------------------


def test_an_account_added_without_a_label_has_none(db, holder):
    assert add(db, holder).label == ""


def test_the_bank_name_comes_from_the_bic_when_the_iban_does_not_tell(db, holder):
    account = add(db, holder, iban=IBAN_BE, bic="GEBABEBB")
    assert account.bank_name == "BNP Paribas Fortis"


def test_a_refund_waiting_for_bank_details_goes_to_the_account_added(db, holder, other):
    def waiting(person):
        refund = PremiumRefund(
            reference=f"RMB-T-{person.id}",
            holder_id=person.id,
            contract_id=factories.contract(db, person).id,
            amount_cents=4_200,
            status=RefundStatus.AWAITING_BANK,
        )
        db.add(refund)
        db.flush()
        return refund

    mine, theirs = waiting(holder), waiting(other)
    account = add(db, holder)
    db.refresh(mine)
    db.refresh(theirs)
    assert (mine.status, mine.bank_account_id, mine.iban_masked) == (
        RefundStatus.TO_PAY,
        account.id,
        ba.masked(account),
    )
    assert (theirs.status, theirs.bank_account_id) == (RefundStatus.AWAITING_BANK, None)


# -- which contracts need the default account ------------------------------------------------------


def _instalment(db, contract, method, status=PaymentStatus.SCHEDULED) -> Payment:
    payment = Payment(
        contract_id=contract.id,
        holder_id=contract.holder_id,
        due_date=date(2027, 1, 5),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 1, 31),
        amount_cents=1_500,
        tax_cents=120,
        status=status,
        method=method,
    )
    db.add(payment)
    db.flush()
    return payment


def test_a_contract_paid_another_way_does_not_hold_the_default_account(db, holder):
    """Paid by debit in the past, now by card: nothing left to debit, the account may go."""
    account = add(db, holder)
    mandate = sign(db, holder, account)
    contract = factories.contract(db, holder)
    _instalment(db, contract, PaymentMethod.SEPA_DEBIT, status=PaymentStatus.PAID)
    _instalment(db, contract, PaymentMethod.CARD)
    _instalment(db, contract, PaymentMethod.TRANSFER)
    assert revoke(db, holder, mandate).status == MandateStatus.REVOKED


def test_a_scheduled_debit_holds_the_default_account_with_the_message_of_the_action(db, holder):
    account = add(db, holder)
    mandate = sign(db, holder, account)
    contract = factories.contract(db, holder)
    _instalment(db, contract, PaymentMethod.CARD)
    _instalment(db, contract, PaymentMethod.SEPA_DEBIT)
    with pytest.raises(BankAccountError) as removing:
        remove(db, holder, account)
    assert removing.value.errors == {"account": MESSAGES["debits_running"]}
    with pytest.raises(BankAccountError) as revoking:
        revoke(db, holder, mandate)
    assert revoking.value.errors == {"account": MESSAGES["revoke_debits_running"]}
    add(db, holder, iban=IBAN_B)
    with pytest.raises(BankAccountError) as removing:
        remove(db, holder, account)
    assert removing.value.errors == {"account": MESSAGES["choose_other"]}
    assert status_of(db, mandate) == (MandateStatus.ACTIVE, None)
