"""Payments in the browser: bank account and SEPA mandate, debit day, exports, card
regularisation."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from ofxtools.Parser import OFXTree
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import Session, select

from espace.billing import instalments, receipts
from espace.billing.models import BankAccount, Payment, PaymentStatus, SepaMandate
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import today_paris
from espace.core.settings import PROJECT_ROOT
from tests.e2e.conftest import assert_accessible, login, new_holder, outbox_code, wait_ready

VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"
WRONG_IBAN = "FR76 3000 6000 0112 3456 7890 188"  # one digit off: the check digits no longer match


def holder_with_payments(engine, *, rejected: bool = False) -> dict:
    """A new holder whose monthly contract started three years ago, with its payments (one
    rejected)."""
    who = new_holder(engine)
    who["today"] = today = (
        today_paris()
    )  # each test's own today, not the day the module was imported
    with Session(engine) as db:
        contract = db.exec(select(Contract).where(Contract.number == who["contract"])).one()
        contract.start_date = date(today.year - 3, 1, 1)
        contract.annual_premium_cents, contract.annual_tax_cents = 24_000, 2_000
        db.add(contract)
        payments = instalments.seed_history(
            session=db, contract=contract, today=today, ahead_until=today + timedelta(days=400)
        )
        if rejected:
            last = [p for p in payments if p.status == PaymentStatus.PAID][-1]
            last.status, last.paid_at = PaymentStatus.REJECTED, None
            last.rejection_code, last.rejection_reason = (
                "AM04",
                "Provision insuffisante sur le compte.",
            )
            db.add(last)
            who["rejected_id"] = last.id
        db.flush()
        receipts.register_paid_receipts(session=db, holder_id=who["id"])
        db.commit()
        who["contract_id"] = contract.id
    return who


def open_payments(page: Page, who: dict) -> None:
    login(page, who["email"], who["password"])
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes paiements"
    ).click()
    wait_ready(page, re.compile(r"/paiements/?$"))


def _received_frames(page: Page) -> list[str]:
    frames: list[str] = []
    page.on(
        "websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload)))
    )
    return frames


def test_bank_account_mandate_debit_day_and_exports(new_page, app_engine, device, tmp_path):
    who = holder_with_payments(app_engine)
    page = new_page(device)
    frames = _received_frames(page)
    open_payments(page, who)
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    )  # no sideways scroll
    form = page.locator("#account-form")
    form.get_by_label("Titulaire du compte").fill("Alix Test")
    form.get_by_label("IBAN").fill(WRONG_IBAN)
    page.locator("#add-account").click()
    expect(page.locator("#iban-error")).to_contain_text("clé de contrôle")
    expect(form.get_by_label("Titulaire du compte")).to_have_value("Alix Test")
    with Session(app_engine) as db:
        assert (
            db.exec(select(BankAccount).where(BankAccount.holder_id == who["id"])).first() is None
        )

    form.get_by_label("IBAN").fill(VALID_IBAN)
    page.locator("#add-account").click()
    expect(
        page.get_by_role("heading", name="Confirmez votre identité")
    ).to_be_visible()  # adding an IBAN: a code
    page.get_by_label("Code de confirmation").fill(outbox_code(app_engine, who["email"]))
    page.get_by_role("button", name="Confirmer", exact=True).click()
    account_card = page.locator("[data-account]").first
    expect(account_card).to_contain_text("FR76 •••• •••• •••• 0189")
    expect(form.get_by_label("IBAN")).to_have_value("")  # the typed IBAN does not stay on the page
    account_card.get_by_role("button", name="Signer le mandat de prélèvement").click()
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(outbox_code(app_engine, who["email"]))
    page.get_by_role("button", name="Confirmer", exact=True).click()
    expect(account_card).to_contain_text(
        "Compte de prélèvement"
    )  # first mandate: the account is the default
    with Session(app_engine) as db:
        mandate = db.exec(select(SepaMandate).where(SepaMandate.holder_id == who["id"])).one()
    expect(account_card).to_contain_text(mandate.reference)
    with page.expect_download() as download_info:
        account_card.get_by_role("link", name="Mandat (PDF)").click()
    pdf_text = " ".join(PdfReader(download_info.value.path()).pages[0].extract_text().split())
    assert mandate.reference in pdf_text and VALID_IBAN in pdf_text
    assert_accessible(page)

    # Debit day: the next periods move to the 15th, shown before confirming.
    page.locator(f"#debit-day-{who['contract_id']}").select_option("15")
    page.locator(f"#preview-day-{who['contract_id']}").click()
    preview = page.locator("#change-preview")
    expect(preview).to_contain_text("/")
    page.locator("#confirm-change").click()
    expect(page.get_by_text("Date de prélèvement changée : le 15 du mois.")).to_be_visible()
    with Session(app_engine) as db:
        moved = db.exec(
            select(Payment).where(
                Payment.contract_id == who["contract_id"],
                Payment.status == "scheduled",
                Payment.period_start > who["today"] + timedelta(days=5),
            )
        ).all()
    assert moved and all(p.due_date.day == 15 for p in moved)
    expect(page.locator("#schedule")).to_contain_text(fmt.date_fr(moved[0].due_date))

    # Exports of last year: both parse and their totals equal the history's total for that year.
    last_year = who["today"].year - 1
    page.locator("#f_year").select_option(str(last_year))
    page.get_by_role("button", name="Afficher").click()
    year_row = page.locator("#year-totals tbody tr", has_text=str(last_year))
    expect(year_row).to_be_visible()
    shown_total = year_row.locator("td").last.inner_text()
    with page.expect_download() as csv_download:
        page.locator("#export-csv").click()
    text = open(csv_download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert VALID_IBAN.replace(" ", "") not in text
    assert rows[0][0] == "Date de paiement" and rows[-1][0] == "Total"
    csv_total = sum(int(round(float(r[6].replace(",", ".")) * 100)) for r in rows[1:-1])
    assert fmt.money(csv_total) == shown_total and len(rows) - 2 == 12
    with page.expect_download() as ofx_download:
        page.locator("#export-ofx").click()
    assert VALID_IBAN.replace(" ", "").encode() not in open(ofx_download.value.path(), "rb").read()
    tree = OFXTree()
    tree.parse(ofx_download.value.path())
    statement = tree.convert().statements[0]
    assert fmt.money(-int(sum(t.trnamt for t in statement.transactions) * 100)) == shown_total

    # The full IBAN never reached the browser after it was typed, nor the app's log.
    compact = VALID_IBAN.replace(" ", "")
    assert not any(compact in frame or VALID_IBAN in frame for frame in frames)
    assert compact not in page.content() and VALID_IBAN not in page.content()
    assert compact not in (PROJECT_ROOT / "test-results" / "app.log").read_text(errors="replace")


def test_a_rejected_debit_is_regularised_by_card(new_page, app_engine, device):
    who = holder_with_payments(app_engine, rejected=True)
    page = new_page(device)
    open_payments(page, who)
    rejected = page.locator("#rejected")
    expect(rejected).to_contain_text("Provision insuffisante")
    rejected.get_by_role("link", name="Régulariser par carte").click()
    wait_ready(page, re.compile(r"/paiements/regulariser"))

    def pay(number: str) -> None:
        page.get_by_label("Nom sur la carte").fill("Alix Test")
        page.get_by_label("Numéro de carte").fill(number)
        page.get_by_label("Date d'expiration (MM/AA)").fill(
            f"12/{(who['today'].year + 2) % 100:02d}"
        )
        page.get_by_label("Cryptogramme").fill("123")
        page.locator("#pay").click()

    pay("4000 0000 0000 0002")  # declined by the bank
    expect(page.locator("#payment-result")).to_contain_text("Paiement refusé par votre banque")
    with Session(app_engine) as db:
        assert db.get(Payment, who["rejected_id"]).status == PaymentStatus.REJECTED
    expect(page.get_by_label("Numéro de carte")).to_have_value("")  # the card number is not kept
    pay("4242 4242 4242 4242")  # asks for the 3-D Secure step
    expect(page.locator("#secure-step")).to_be_visible()
    page.get_by_label("Code de confirmation").fill("123456")
    page.locator("#confirm-3ds").click()
    expect(page.get_by_role("heading", name="Paiement accepté")).to_be_visible()
    with Session(app_engine) as db:
        payment = db.get(Payment, who["rejected_id"])
        assert payment.status == PaymentStatus.REGULARISED and payment.method == "card"
    page.get_by_role("link", name="Retour à mes paiements").click()
    wait_ready(page, re.compile(r"/paiements/?$"))
    expect(page.locator("#rejected")).to_have_count(0)
    assert_accessible(page)


def test_another_holders_payment_and_mandate_give_nothing(new_page, app_engine):
    owner = holder_with_payments(app_engine, rejected=True)
    with Session(app_engine) as db:
        from espace.billing import bank_accounts, mandates
        from espace.identity.insurer_authority import InsurerRecord

        record = InsurerRecord(source="core_system")
        account = bank_accounts.add_account(
            session=db,
            holder_id=owner["id"],
            iban=VALID_IBAN,
            bic="",
            account_holder="Alix",
            label="",
            authority=record,
        )
        mandate = mandates.sign_mandate(
            session=db, holder_id=owner["id"], account_id=account.id, signed_ip="", authority=record
        )
        db.commit()
        mandate_document = mandate.document_id
    stranger = new_holder(app_engine)
    page = new_page("desktop")
    login(page, stranger["email"], stranger["password"])
    page.goto(f"/paiements/regulariser?p={owner['rejected_id']}")
    expect(page.get_by_text("Aucune échéance à régulariser ici.")).to_be_visible()
    assert page.request.get(f"/api/documents/{mandate_document}").status == 404
    page.goto("/paiements")
    expect(page.locator("#accounts")).not_to_contain_text("0189")
    expect(page.locator("#rejected")).to_have_count(0)
