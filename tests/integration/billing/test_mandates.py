"""Bank accounts and SEPA mandates against the migrated database: encryption at rest, ownership,
default account rules, the mandate document and what it must never leak (the full IBAN)."""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import func, select

from espace.billing import bank_accounts as ba
from espace.billing import bank_details, mandates
from espace.billing.bank_accounts import BankAccountError
from espace.billing.models import BankAccount, MandateStatus, SepaMandate
from espace.contracts.models import ContractStatus
from espace.core import storage
from espace.core.settings import get_settings
from espace.documents import library
from espace.documents.models import Document, DocumentKind
from espace.identity.insurer_authority import InsurerRecord
from espace.notifications.models import Notification, OutboxMessage
from tests import factories

IBAN_A = "FR7630006000011234567890189"
IBAN_B = "DE89370400440532013000"
IBAN_A_GROUPED = "FR76 3000 6000 0112 3456 7890 189"
# These tests are about the domain rules; who may act is tested in
# tests/integration/identity/test_stepup_enforcement.py.
RECORD = InsurerRecord(source="core_system")


def leaks(value: object, iban: str = IBAN_A) -> bool:
    """Whether a value shows the IBAN, compact or grouped (or its hidden middle part)."""
    flat = "".join(str(value).split())
    return iban in flat or iban[4:-4] in flat


def add(db, holder, iban=IBAN_A, **fields) -> BankAccount:
    return ba.add_account(
        session=db,
        holder_id=holder.id,
        iban=iban,
        bic=fields.pop("bic", ""),
        account_holder=fields.pop("account_holder", "Camille Martin"),
        authority=RECORD,
        **fields,
    )


def sign(db, holder, account, **fields) -> SepaMandate:
    return mandates.sign_mandate(
        session=db,
        holder_id=holder.id,
        account_id=account.id,
        signed_ip="203.0.113.7",
        signature_method=fields.pop("signature_method", "code envoyé par e-mail"),
        authority=fields.pop("authority", RECORD),
        **fields,
    )


def count(db, model, *where) -> int:
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


# -- adding accounts ---------------------------------------------------------------------------


def test_add_account_encrypts_the_iban_at_rest(db, holder):
    account = add(db, holder, iban="fr76 3000 6000 0112 3456 7890 189", label="Compte joint")
    assert (account.iban_prefix, account.iban_last4, account.bic) == ("FR76", "0189", "AGRIFRPPXXX")
    assert account.bank_name and account.label == "Compte joint" and not account.is_default
    row = (
        db.connection()
        .execute(text("SELECT * FROM bank_account WHERE id = :id"), {"id": account.id})
        .mappings()
        .one()
    )
    assert not any(leaks(value) for value in row.values())
    assert ba.full_iban(account) == IBAN_A
    assert ba.masked(account) == "FR76 •••• •••• •••• 0189"


def test_same_iban_refused_for_the_same_holder_only(db, holder, other):
    add(db, holder)
    with pytest.raises(BankAccountError) as caught:
        add(db, holder, iban=IBAN_A_GROUPED.lower())
    assert caught.value.errors == {"iban": bank_details.MESSAGES["iban_duplicate"]}
    assert not leaks(caught.value)
    add(db, other)  # another holder may register the same account (a joint account)
    assert count(db, BankAccount, BankAccount.holder_id == holder.id) == 1


def test_nothing_saved_on_error(db, holder):
    before = count(db, BankAccount)
    for fields in (
        {"iban": "FR7630006000011234567890188"},
        {"bic": "DEUTDEFF"},
        {"account_holder": " "},
        {"label": "x" * 61},
    ):
        with pytest.raises(BankAccountError) as caught:
            add(db, holder, **fields)
        assert not leaks(caught.value)
    assert count(db, BankAccount) == before


def test_removed_account_can_be_added_again(db, holder):
    account = add(db, holder)
    ba.remove_account(session=db, holder_id=holder.id, account_id=account.id, authority=RECORD)
    again = add(db, holder)
    assert again.id != account.id
    assert [a.id for a in ba.list_accounts(session=db, holder_id=holder.id)] == [again.id]


# -- default account ------------------------------------------------------------------------------


def test_set_default_requires_an_active_mandate(db, holder):
    account = add(db, holder)
    with pytest.raises(BankAccountError) as caught:
        ba.set_default(session=db, holder_id=holder.id, account_id=account.id)
    assert caught.value.errors == {
        "account": "Signez d'abord le mandat de prélèvement pour ce compte."
    }
    assert ba.default_account(session=db, holder_id=holder.id) is None


def test_exactly_one_default_after_set_default(db, holder):
    first, second = add(db, holder), add(db, holder, iban=IBAN_B)
    sign(db, holder, first)
    assert (
        ba.default_account(session=db, holder_id=holder.id).id == first.id
    )  # first mandate: default
    sign(db, holder, second)
    assert ba.default_account(session=db, holder_id=holder.id).id == first.id  # the default stays
    ba.set_default(session=db, holder_id=holder.id, account_id=second.id)
    accounts = ba.list_accounts(session=db, holder_id=holder.id)
    assert [a.id for a in accounts] == [second.id, first.id]
    assert [a.is_default for a in accounts] == [True, False]


# -- signing ---------------------------------------------------------------------------------------


def test_sign_mandate_stores_the_document_and_never_leaks_the_iban(db, holder):
    account = add(db, holder)
    signed_at = datetime(2026, 11, 23, 9, 42, tzinfo=UTC)
    mandate = sign(db, holder, account, now=signed_at)
    settings = get_settings()
    assert mandate.status == MandateStatus.ACTIVE and mandate.signed_ip == "203.0.113.7"
    assert mandate.reference.startswith(f"ESP-{holder.id:08d}-") and len(mandate.reference) <= 35
    assert (mandate.creditor_identifier, mandate.creditor_name) == (
        settings.sepa_creditor_id,
        settings.insurer_name,
    )
    assert mandate.debtor_name == "Camille Martin"
    assert mandates.active_mandate_for(session=db, account_id=account.id).id == mandate.id

    document = db.get(Document, mandate.document_id)
    assert (document.kind, document.title, document.reference) == (
        DocumentKind.MANDATE,
        "Mandat de prélèvement SEPA",
        mandate.reference,
    )
    assert document.holder_id == holder.id and document.contract_id is None
    assert storage.exists(document.storage_key)
    pdf_text = " ".join(
        PdfReader(io.BytesIO(library.content(session=db, document=document)))
        .pages[0]
        .extract_text()
        .split()
    )
    assert mandate.reference in pdf_text and IBAN_A_GROUPED in pdf_text
    assert settings.sepa_creditor_id in pdf_text and "AGRIFRPPXXX" in pdf_text
    assert (
        "Signé électroniquement le 23/11/2026 à 10:42 après vérification par code envoyé par e-mail"
        in pdf_text
    )

    assert (
        mandate.reference in document.text_content
        and "FR76 •••• •••• •••• 0189" in document.text_content
    )
    assert not leaks(document.text_content)

    outbox = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.account_id == factories.account_of(db, holder).id,
            OutboxMessage.category == "payments",
        )
    ).all()
    assert (
        len(outbox) == 1 and mandate.reference in outbox[0].body and "•••• 0189" in outbox[0].body
    )
    notices = db.exec(select(Notification).where(Notification.holder_id == holder.id)).all()
    assert [n.title for n in notices] == ["Mandat de prélèvement signé"] and notices[
        0
    ].link == "/paiements"
    for value in [m.subject for m in outbox] + [m.body for m in outbox] + [n.body for n in notices]:
        assert not leaks(value)


def test_signing_again_revokes_the_previous_mandate_of_the_account(db, holder):
    account = add(db, holder)
    first = sign(db, holder, account)
    second = sign(db, holder, account, signature_method="application d'authentification")
    assert first.reference != second.reference
    db.refresh(first)
    assert first.status == MandateStatus.REVOKED and first.revoked_at is not None
    assert mandates.active_mandate_for(session=db, account_id=account.id).id == second.id
    assert [m.id for m in mandates.list_mandates(session=db, holder_id=holder.id)] == sorted(
        [first.id, second.id], reverse=True
    )


def test_rum_retries_on_collision(db, holder, monkeypatch):
    account = add(db, holder)
    taken = sign(db, holder, account).reference
    proposals = iter([taken, taken, "ESP-00000000-FRESHREF23"])
    monkeypatch.setattr(mandates, "new_reference", lambda holder_id: next(proposals))
    assert sign(db, holder, account).reference == "ESP-00000000-FRESHREF23"


# -- ownership -------------------------------------------------------------------------------------


def test_another_holder_cannot_reach_an_account_or_a_mandate(db, holder, other):
    account = add(db, holder)
    mandate = sign(db, holder, account)
    documents_before = count(db, Document, Document.holder_id == other.id)

    assert ba.owned_account(session=db, holder_id=other.id, account_id=account.id) is None
    assert ba.list_accounts(session=db, holder_id=other.id) == []
    assert mandates.owned_mandate(session=db, holder_id=other.id, mandate_id=mandate.id) is None
    assert mandates.list_mandates(session=db, holder_id=other.id) == []
    assert (
        mandates.revoke(session=db, holder_id=other.id, mandate_id=mandate.id, authority=RECORD)
        is None
    )
    for action in (ba.set_default, functools.partial(ba.remove_account, authority=RECORD)):
        with pytest.raises(BankAccountError) as caught:
            action(session=db, holder_id=other.id, account_id=account.id)
        assert set(caught.value.errors) == {"account"}
    with pytest.raises(BankAccountError) as caught:
        sign(db, other, account)
    assert caught.value.errors == {"account": "Ce compte est introuvable."}  # shown by the field

    db.refresh(account)
    db.refresh(mandate)
    assert account.removed_at is None and account.is_default and account.holder_id == holder.id
    assert mandate.status == MandateStatus.ACTIVE
    assert count(db, SepaMandate, SepaMandate.holder_id == other.id) == 0
    assert count(db, Document, Document.holder_id == other.id) == documents_before


# -- revoking and removing -----------------------------------------------------------------------


def test_revoke_a_mandate_of_a_secondary_account(db, holder):
    main, spare = add(db, holder), add(db, holder, iban=IBAN_B)
    sign(db, holder, main)
    spare_mandate = sign(db, holder, spare)
    revoked = mandates.revoke(
        session=db, holder_id=holder.id, mandate_id=spare_mandate.id, authority=RECORD
    )
    assert revoked.status == MandateStatus.REVOKED and revoked.revoked_at is not None
    assert mandates.active_mandate_for(session=db, account_id=spare.id) is None
    with pytest.raises(BankAccountError):  # no mandate any more: cannot become the default
        ba.set_default(session=db, holder_id=holder.id, account_id=spare.id)


def test_revoking_the_default_mandate_follows_the_default_rules(db, holder):
    account = add(db, holder)
    mandate = sign(db, holder, account)
    contract = factories.contract(db, holder)
    with pytest.raises(BankAccountError) as caught:
        mandates.revoke(session=db, holder_id=holder.id, mandate_id=mandate.id, authority=RECORD)
    assert "révoquez" in caught.value.errors["account"]
    contract.status = ContractStatus.TERMINATED
    db.add(contract)
    db.flush()
    revoked = mandates.revoke(
        session=db, holder_id=holder.id, mandate_id=mandate.id, authority=RECORD
    )
    assert revoked.status == MandateStatus.REVOKED
    db.refresh(account)
    assert not account.is_default


def test_remove_default_refused_while_another_account_exists(db, holder):
    main = add(db, holder)
    add(db, holder, iban=IBAN_B)
    sign(db, holder, main)
    with pytest.raises(BankAccountError) as caught:
        ba.remove_account(session=db, holder_id=holder.id, account_id=main.id, authority=RECORD)
    assert "choisissez d'abord un autre compte" in caught.value.errors["account"]
    db.refresh(main)
    assert main.removed_at is None and main.is_default


def test_remove_default_refused_while_contracts_are_debited(db, holder):
    account = add(db, holder)
    sign(db, holder, account)
    factories.contract(db, holder)
    with pytest.raises(BankAccountError) as caught:
        ba.remove_account(session=db, holder_id=holder.id, account_id=account.id, authority=RECORD)
    assert "contrats en cours" in caught.value.errors["account"]


def test_remove_secondary_account_revokes_its_mandates(db, holder):
    main, spare = add(db, holder), add(db, holder, iban=IBAN_B)
    sign(db, holder, main)
    spare_mandate = sign(db, holder, spare)
    factories.contract(db, holder)
    ba.remove_account(session=db, holder_id=holder.id, account_id=spare.id, authority=RECORD)
    db.refresh(spare_mandate)
    assert spare.removed_at is not None and spare_mandate.status == MandateStatus.REVOKED
    assert ba.owned_account(session=db, holder_id=holder.id, account_id=spare.id) is None
    assert [a.id for a in ba.list_accounts(session=db, holder_id=holder.id)] == [main.id]
    # now alone but still debiting the contract: still refused
    with pytest.raises(BankAccountError):
        ba.remove_account(session=db, holder_id=holder.id, account_id=main.id, authority=RECORD)


def test_remove_last_default_account_without_contracts(db, holder):
    account = add(db, holder)
    mandate = sign(db, holder, account)
    ba.remove_account(session=db, holder_id=holder.id, account_id=account.id, authority=RECORD)
    db.refresh(mandate)
    assert account.removed_at is not None and not account.is_default
    assert mandate.status == MandateStatus.REVOKED
    assert ba.default_account(session=db, holder_id=holder.id) is None


def test_removed_account_cannot_get_a_mandate(db, holder):
    account = add(db, holder)
    ba.remove_account(session=db, holder_id=holder.id, account_id=account.id, authority=RECORD)
    with pytest.raises(BankAccountError):
        sign(db, holder, account)


def test_the_mandate_states_how_it_was_signed_when_the_caller_does_not_say(db, holder):
    """Without a ``signature_method``, the mandate (and its PDF) states the second factor that
    authorised it, or the insurer's source of a mandate it recorded."""
    account = add(db, holder)
    proof = factories.step_up(db, holder)  # a code e-mailed and typed
    by_code = mandates.sign_mandate(
        session=db, holder_id=holder.id, account_id=account.id, signed_ip="", authority=proof
    )
    assert by_code.signature_method == "code envoyé par e-mail"
    on_paper = mandates.sign_mandate(
        session=db,
        holder_id=holder.id,
        account_id=account.id,
        signed_ip="",
        authority=InsurerRecord(source="paper"),
    )
    assert on_paper.signature_method == "mandat papier reçu par courrier"
