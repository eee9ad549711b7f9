"""« Mes paiements » against a real database: schedule, history, debit day, frequency, CSV and OFX
exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from ofxtools.Parser import OFXTree
from sqlmodel import select

from espace.billing import exports, instalments, payment_changes, payments
from espace.billing.exports import ExportError
from espace.billing.models import BankAccount, MandateStatus, Payment, PaymentStatus, SepaMandate
from espace.billing.payment_changes import PaymentChangeError
from espace.billing.receipts import register_paid_receipts
from espace.core.formatting import PARIS
from espace.documents.models import Document
from espace.notifications.models import Notification
from tests import factories

TODAY = date(2026, 6, 3)  # a Wednesday: two working days later is Friday 5 June
IBAN = "FR7630006000011234567890189"


def _seeded(db, person=None, *, until: date, today: date = TODAY, **fields):
    person = person or factories.holder(db)
    contract = factories.contract(db, person, **fields)
    instalments.seed_history(session=db, contract=contract, today=today, ahead_until=until)
    return person, contract


def _payments(db, contract):
    return list(
        db.exec(
            select(Payment).where(Payment.contract_id == contract.id).order_by(Payment.due_date)
        ).all()
    )


def _mandate(db, person) -> SepaMandate:
    account = BankAccount(
        holder_id=person.id,
        account_holder="Alix Assurée",
        iban_encrypted="chiffré",
        iban_fingerprint=f"fp-{person.id}",
        iban_prefix=IBAN[:4],
        iban_last4=IBAN[-4:],
        bic="AGRIFRPP",
    )
    db.add(account)
    db.flush()
    mandate = SepaMandate(
        reference=f"RUM-TEST-{person.id}",
        holder_id=person.id,
        bank_account_id=account.id,
        creditor_identifier="FR00ZZZ000000",
        creditor_name="Espace Assurances",
        debtor_name="Alix Assurée",
    )
    db.add(mandate)
    db.flush()
    return mandate


# ---- schedule ------------------------------------------------------------------------------------


def test_schedule_shows_the_insurance_year_and_the_last_twelve_months(db):
    person, monthly = _seeded(
        db, until=date(2027, 2, 28), start_date=date(2024, 3, 1), payment_frequency="monthly"
    )
    _, annual = _seeded(
        db,
        person,
        until=date(2026, 9, 14),
        start_date=date(2023, 9, 15),
        payment_frequency="annual",
    )
    rows_before = _payments(db, monthly)
    rejected = next(p for p in rows_before if p.due_date == date(2026, 4, 5))
    rejected.status, rejected.paid_at, rejected.rejection_reason = (
        PaymentStatus.REJECTED,
        None,
        "Provision insuffisante",
    )
    db.add(rejected)
    register_paid_receipts(session=db, holder_id=person.id)
    db.flush()

    rows = payments.schedule(session=db, holder_id=person.id, contract_id=monthly.id, today=TODAY)
    # paid in the last 12 months (from 5 June 2025) and the current year (March 2026 - February
    # 2027)
    assert [r.due_date for r in rows] == [
        instalments.add_months(date(2025, 6, 5), i) for i in range(21)
    ]
    assert {r.contract_number for r in rows} == {monthly.number}
    by_due = {r.due_date: r for r in rows}
    assert (
        by_due[date(2026, 5, 5)].status_label == "Payé"
        and by_due[date(2026, 6, 5)].status_label == "À venir"
    )
    assert by_due[date(2026, 4, 5)].status_label == "Rejeté"
    assert by_due[date(2026, 4, 5)].rejection_reason == "Provision insuffisante"
    assert by_due[date(2026, 4, 5)].receipt_document_id is None
    assert by_due[date(2026, 6, 5)].method_label == "Prélèvement SEPA"
    receipt = db.get(Document, by_due[date(2026, 5, 5)].receipt_document_id)
    assert receipt.payment_id == by_due[date(2026, 5, 5)].id and receipt.holder_id == person.id
    assert (
        sum(r.amount_cents for r in rows if date(2026, 3, 1) <= r.period_start)
        == monthly.annual_premium_cents
    )

    both = payments.schedule(session=db, holder_id=person.id, today=TODAY)
    assert {r.contract_number for r in both} == {monthly.number, annual.number}
    assert [r.due_date for r in both] == sorted(r.due_date for r in both)
    annual_rows = [r for r in both if r.contract_number == annual.number]
    assert [r.period_start for r in annual_rows] == [
        date(2025, 9, 15)
    ]  # the current insurance year, paid


def test_schedule_of_another_holders_contract_is_empty(db):
    _, contract = _seeded(db, until=date(2026, 12, 31), start_date=date(2025, 1, 1))
    intruder = factories.holder(db)
    assert (
        payments.schedule(session=db, holder_id=intruder.id, contract_id=contract.id, today=TODAY)
        == []
    )
    assert payments.schedule(session=db, holder_id=intruder.id, today=TODAY) == []
    some_payment = _payments(db, contract)[0]
    assert (
        payments.owned_payment(session=db, holder_id=intruder.id, payment_id=some_payment.id)
        is None
    )
    assert (
        payments.owned_payment(
            session=db, holder_id=contract.holder_id, payment_id=some_payment.id
        ).id
        == some_payment.id
    )


# ---- history -------------------------------------------------------------------------------------


def test_history_covers_ten_years_with_filters_and_yearly_totals(db):
    person, old = _seeded(
        db,
        until=date(2026, 12, 31),
        start_date=date(2014, 1, 1),
        annual_premium_cents=12_000,
        annual_tax_cents=1_200,
        payment_frequency="monthly",
    )
    _, recent = _seeded(
        db,
        person,
        until=date(2026, 12, 31),
        start_date=date(2025, 1, 1),
        annual_premium_cents=4_000,
        annual_tax_cents=400,
        payment_frequency="quarterly",
    )
    old_2025 = [p for p in _payments(db, old) if p.due_date.year == 2025]
    old_2025[1].status, old_2025[1].paid_at = PaymentStatus.REJECTED, None
    old_2025[2].status, old_2025[2].paid_at = PaymentStatus.REGULARISED, None
    old_2025[2].regularised_at = datetime(2025, 3, 20, 10, 0, tzinfo=PARIS)
    db.add_all(old_2025[1:3])
    db.flush()

    result = payments.history(session=db, holder_id=person.id, today=TODAY)
    assert result.years_available == list(
        range(2026, 2016, -1)
    )  # 2017-2026: ten years, nothing before
    assert all(r.status != "scheduled" for r in result.rows)
    assert [r.due_date for r in result.rows] == sorted(
        (r.due_date for r in result.rows), reverse=True
    )
    totals = {year: (cents, count) for year, cents, count in result.yearly_totals}
    assert totals[2025] == (
        11 * 1_000 + 4_000,
        11 + 4,
    )  # the rejected debit is not counted, the regularised one is
    assert totals[2026] == (5 * 1_000 + 2 * 1_000, 5 + 2)  # January-May monthly, two quarters
    assert totals[2017] == (12_000, 12)
    assert result.total_cents == sum(cents for cents, _ in totals.values())

    only_2025 = payments.history(
        session=db, holder_id=person.id, today=TODAY, year=2025, contract_id=old.id
    )
    assert len(only_2025.rows) == 12 and {r.contract_number for r in only_2025.rows} == {old.number}
    assert only_2025.yearly_totals == [(2025, 11_000, 11)] and only_2025.total_cents == 11_000
    labels = {r.status_label for r in only_2025.rows}
    assert labels == {"Payé", "Rejeté", "Régularisé"}
    assert payments.history(
        session=db, holder_id=person.id, today=TODAY, contract_id=recent.id
    ).years_available == [2026, 2025]
    assert payments.history(session=db, holder_id=person.id, today=TODAY, year=2012).rows == []

    intruder = factories.holder(db)
    nothing = payments.history(session=db, holder_id=intruder.id, today=TODAY, contract_id=old.id)
    assert nothing.rows == [] and nothing.yearly_totals == [] and nothing.total_cents == 0


# ---- debit day -----------------------------------------------------------------------------------


def test_debit_day_moves_from_the_next_period_but_not_a_debit_due_within_two_working_days(db):
    # periods start on the 4th, debits on the 5th: the period starting 4 June is due on Friday 5
    # June
    person, contract = _seeded(
        db, until=date(2027, 3, 3), start_date=date(2024, 3, 4), payment_frequency="monthly"
    )
    before = {p.id: p.due_date for p in _payments(db, contract)}
    preview = payment_changes.debit_day_preview(
        session=db, holder_id=person.id, contract_id=contract.id, day=10, today=TODAY
    )
    assert [(r.old_due, r.new_due) for r in preview] == [
        (date(2026, m, 5), date(2026, m, 10)) for m in range(7, 13)
    ] + [(date(2027, m, 5), date(2027, m, 10)) for m in (1, 2)]
    assert (
        payment_changes.change_debit_day(
            session=db, holder_id=person.id, contract_id=contract.id, day=10, today=TODAY
        )
        == 8
    )
    after = {p.id: p for p in _payments(db, contract)}
    june = next(p for p in after.values() if p.period_start == date(2026, 6, 4))
    assert june.due_date == date(2026, 6, 5)  # due in 2 working days: keeps its date
    assert all(p.due_date == before[p.id] for p in after.values() if p.status == "paid")
    assert all(p.due_date.day == 10 for p in after.values() if p.period_start > date(2026, 6, 4))
    db.refresh(contract)
    assert contract.debit_day == 10
    assert (
        db.exec(
            select(Notification).where(
                Notification.holder_id == person.id, Notification.category == "payments"
            )
        ).first()
        is not None
    )


def test_debit_day_keeps_the_current_period(db):
    monday = date(2026, 6, 1)
    person, contract = _seeded(
        db,
        until=date(2027, 2, 28),
        today=monday,
        start_date=date(2024, 3, 1),
        payment_frequency="quarterly",
    )
    preview = payment_changes.debit_day_preview(
        session=db, holder_id=person.id, contract_id=contract.id, day=15, today=monday
    )
    # the quarter starting today (due 5 June, 4 working days away) keeps its date
    assert [(r.period_start, r.new_due) for r in preview] == [
        (date(2026, 9, 1), date(2026, 9, 15)),
        (date(2026, 12, 1), date(2026, 12, 15)),
    ]
    assert all(
        r.amount_cents == contract.annual_premium_cents // 4 or r.period_start.month == 12
        for r in preview
    )


def test_debit_day_refusals_change_nothing(db):
    person, monthly = _seeded(
        db, until=date(2026, 12, 31), start_date=date(2025, 1, 1), payment_frequency="monthly"
    )
    _, annual = _seeded(
        db,
        person,
        until=date(2026, 12, 31),
        start_date=date(2025, 1, 1),
        payment_frequency="annual",
    )
    before = {p.id: p.due_date for p in _payments(db, monthly)}

    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.change_debit_day(
            session=db, holder_id=person.id, contract_id=annual.id, day=10, today=TODAY
        )
    assert "anniversaire" in refused.value.errors["frequency"]
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.debit_day_preview(
            session=db, holder_id=person.id, contract_id=monthly.id, day=12, today=TODAY
        )
    assert refused.value.errors == {"debit_day": "Choisissez le 5, le 10 ou le 15 du mois."}
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.change_debit_day(
            session=db, holder_id=person.id, contract_id=monthly.id, day=5, today=TODAY
        )
    assert "déjà" in refused.value.errors["debit_day"]
    intruder = factories.holder(db)
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.change_debit_day(
            session=db, holder_id=intruder.id, contract_id=monthly.id, day=10, today=TODAY
        )
    assert refused.value.errors == {"contract": "Contrat introuvable."}
    monthly.status = "terminated"
    db.add(monthly)
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.change_debit_day(
            session=db, holder_id=person.id, contract_id=monthly.id, day=10, today=TODAY
        )
    assert "contract" in refused.value.errors

    db.refresh(monthly)
    assert monthly.debit_day == 5
    assert {p.id: p.due_date for p in _payments(db, monthly)} == before


# ---- frequency -----------------------------------------------------------------------------------


def test_monthly_needs_an_active_mandate_and_the_new_split_adds_up(db):
    person, contract = _seeded(
        db,
        until=date(2027, 9, 14),
        start_date=date(2023, 9, 15),
        payment_frequency="annual",
        annual_premium_cents=18_641,
        annual_tax_cents=1_539,
    )
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.frequency_preview(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            frequency="monthly",
            today=TODAY,
        )
    assert "mandat" in refused.value.errors["frequency"]
    mandate = _mandate(db, person)
    mandate.status = MandateStatus.REVOKED
    db.add(mandate)
    db.flush()
    with pytest.raises(PaymentChangeError):
        payment_changes.change_frequency(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            frequency="monthly",
            today=TODAY,
        )
    mandate.status = MandateStatus.ACTIVE
    db.add(mandate)
    db.flush()

    preview = payment_changes.frequency_preview(
        session=db, holder_id=person.id, contract_id=contract.id, frequency="monthly", today=TODAY
    )
    assert preview.effective == date(2026, 9, 15) and "15/09/2026" in preview.notice
    assert len(preview.rows) == 12 and preview.annual_cents == 18_641
    assert sum(r.tax_cents for r in preview.rows) == 1_539
    assert [r.amount_cents for r in preview.rows] == [1_553] * 11 + [1_558]
    db.refresh(contract)
    assert contract.payment_frequency == "annual"  # a preview changes nothing

    applied = payment_changes.change_frequency(
        session=db, holder_id=person.id, contract_id=contract.id, frequency="monthly", today=TODAY
    )
    db.refresh(contract)
    assert contract.payment_frequency == "monthly"
    rows = _payments(db, contract)
    current_year = [p for p in rows if p.period_start < applied.effective]
    assert [p.status for p in current_year][-1] == "paid"  # this year's annual premium is untouched
    new = [p for p in rows if p.period_start >= applied.effective]
    assert len(new) == 12 and all(p.status == "scheduled" and p.method == "sepa_debit" for p in new)
    assert sum(p.amount_cents for p in new) == 18_641 and sum(p.tax_cents for p in new) == 1_539
    assert new[0].period_start == date(2026, 9, 15) and new[-1].period_end == date(2027, 9, 14)
    assert all(p.due_date.day == contract.debit_day for p in new)

    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.change_frequency(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            frequency="monthly",
            today=TODAY,
        )
    assert "déjà" in refused.value.errors["frequency"]


def test_annual_needs_no_mandate_and_is_due_on_the_anniversary(db):
    person, contract = _seeded(
        db, until=date(2027, 3, 31), start_date=date(2024, 4, 1), payment_frequency="quarterly"
    )
    applied = payment_changes.change_frequency(
        session=db, holder_id=person.id, contract_id=contract.id, frequency="annual", today=TODAY
    )
    assert applied.effective == date(2027, 4, 1)
    new = [p for p in _payments(db, contract) if p.period_start >= applied.effective]
    assert [(p.due_date, p.amount_cents, p.tax_cents) for p in new] == [
        (date(2027, 4, 1), contract.annual_premium_cents, contract.annual_tax_cents)
    ]
    # this year's quarters stay
    assert (
        len(
            [
                p
                for p in _payments(db, contract)
                if date(2026, 4, 1) <= p.period_start < applied.effective
            ]
        )
        == 4
    )


def test_frequency_change_of_another_holders_contract_is_refused(db):
    _, contract = _seeded(
        db, until=date(2026, 12, 31), start_date=date(2025, 1, 1), payment_frequency="monthly"
    )
    intruder = factories.holder(db)
    _mandate(db, intruder)
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.change_frequency(
            session=db,
            holder_id=intruder.id,
            contract_id=contract.id,
            frequency="quarterly",
            today=TODAY,
        )
    assert refused.value.errors == {"contract": "Contrat introuvable."}
    with pytest.raises(PaymentChangeError) as refused:
        payment_changes.frequency_preview(
            session=db,
            holder_id=contract.holder_id,
            contract_id=contract.id,
            frequency="weekly",
            today=TODAY,
        )
    assert "frequency" in refused.value.errors
    db.refresh(contract)
    assert contract.payment_frequency == "monthly"


# ---- exports -------------------------------------------------------------------------------------


def _export_setup(db):
    person, contract = _seeded(
        db,
        until=date(2026, 12, 31),
        start_date=date(2025, 1, 1),
        payment_frequency="monthly",
        annual_premium_cents=18_641,
        annual_tax_cents=1_539,
    )
    _mandate(db, person)
    rows = {p.due_date: p for p in _payments(db, contract)}
    rejected, regularised = rows[date(2026, 2, 5)], rows[date(2026, 3, 5)]
    rejected.status, rejected.paid_at = PaymentStatus.REJECTED, None
    regularised.status, regularised.paid_at = PaymentStatus.REGULARISED, None
    regularised.regularised_at = datetime(2026, 3, 20, 10, 0, tzinfo=PARIS)
    db.add_all([rejected, regularised])
    other, other_contract = _seeded(
        db, until=date(2026, 12, 31), start_date=date(2025, 1, 1), number="MRH8888888"
    )
    db.flush()
    expected = [
        p
        for p in rows.values()
        if p.status in ("paid", "regularised")
        and date(2026, 1, 1)
        <= (p.paid_at or p.regularised_at).astimezone(PARIS).date()
        <= date(2026, 4, 30)
    ]
    return person, contract, other_contract, expected


def test_csv_export_is_french_and_totals_what_was_paid(db):
    person, contract, _, expected = _export_setup(db)
    data = exports.export_csv(
        session=db, holder_id=person.id, start=date(2026, 1, 1), end=date(2026, 4, 30)
    )
    assert (
        data.startswith(b"\xef\xbb\xbf")
        and b"\r\n" in data
        and b"\n" not in data.replace(b"\r\n", b"")
    )
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert table[0] == [
        "Date de paiement",
        "Date d'échéance",
        "Contrat",
        "Période",
        "Mode de paiement",
        "Statut",
        "Montant TTC (€)",
        "Dont taxes (€)",
    ]
    lines, total = table[1:-1], table[-1]
    assert (
        len(lines) == len(expected) == 3
    )  # January, March (regularised), April; February was rejected
    assert [line[0] for line in lines] == ["05/01/2026", "20/03/2026", "05/04/2026"]
    assert lines[1][1] == "05/03/2026" and lines[1][5] == "Régularisé" and lines[0][5] == "Payé"
    assert lines[0][2] == contract.number and lines[0][3] == "du 01/01/2026 au 31/01/2026"
    assert lines[0][4] == "Prélèvement SEPA" and lines[0][6] == "15,53" and lines[0][7] == "1,28"
    assert total[:6] == ["Total", "", "", "", "", ""]
    assert total[6] == exports.cents_fr(sum(p.amount_cents for p in expected)) == "46,59"
    assert total[7] == exports.cents_fr(sum(p.tax_cents for p in expected))
    assert "MRH8888888" not in data.decode("utf-8-sig")

    empty = exports.export_csv(
        session=db, holder_id=person.id, start=date(2020, 1, 1), end=date(2020, 12, 31)
    )
    assert list(csv.reader(io.StringIO(empty.decode("utf-8-sig")), delimiter=";"))[-1] == [
        "Total",
        "",
        "",
        "",
        "",
        "",
        "0,00",
        "0,00",
    ]


def test_ofx_export_parses_back_and_holds_no_bank_details(db):
    person, contract, other_contract, expected = _export_setup(db)
    data = exports.export_ofx(
        session=db, holder_id=person.id, start=date(2026, 1, 1), end=date(2026, 4, 30)
    )
    text = data.decode("utf-8")
    assert "<OFX>" in text and 'VERSION="220"' in text
    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    ofx = tree.convert()
    statement = ofx.statements[0]
    assert statement.curdef == "EUR" and statement.account.acctid == f"ESPACE-{person.id}"
    transactions = list(statement.transactions)
    total_cents = sum(p.amount_cents for p in expected)
    assert len(transactions) == 3 and all(
        t.trntype == "DEBIT" and t.trnamt < 0 for t in transactions
    )
    assert sum(t.trnamt for t in transactions) * 100 == -total_cents
    assert statement.balance.balamt * 100 == -total_cents
    assert {t.fitid for t in transactions} == {f"ESPACE-PAY-{p.id}" for p in expected}
    assert all(t.name == "Espace Assurances" and contract.number in t.memo for t in transactions)
    assert "période du 01/01/2026 au 31/01/2026" in transactions[0].memo
    assert statement.transactions.dtstart.astimezone(PARIS).date() == date(2026, 1, 1)
    assert statement.transactions.dtend.astimezone(PARIS).date() == date(2026, 4, 30)
    # no bank details, no other holder's payments
    assert (
        not re.search(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", text)
        and IBAN not in text
        and IBAN[-4:] not in text
    )
    other_ids = {p.id for p in _payments(db, other_contract)}
    assert other_contract.number not in text and not any(
        f"ESPACE-PAY-{i}<" in text for i in other_ids
    )


def test_exports_refuse_bad_periods(db):
    person = factories.holder(db)
    for export in (exports.export_csv, exports.export_ofx):
        with pytest.raises(ExportError):
            export(session=db, holder_id=person.id, start=date(2026, 5, 1), end=date(2026, 4, 1))
        with pytest.raises(ExportError, match="10 ans"):
            export(session=db, holder_id=person.id, start=date(2010, 1, 1), end=date(2026, 1, 1))


# ----- review findings -------------------------------------------------------------------------


def test_moving_the_debit_day_clears_the_reminder_of_moved_instalments(db):
    from datetime import date, timedelta

    from espace.billing import instalments
    from espace.billing.models import Payment, PaymentStatus
    from tests import factories

    person = factories.holder(db)
    today = date(2030, 3, 10)
    contract = factories.contract(db, person, start_date=date(2029, 1, 1))
    instalments.seed_history(
        session=db, contract=contract, today=today, ahead_until=date(2030, 12, 31)
    )
    future = db.exec(
        select(Payment).where(
            Payment.contract_id == contract.id,
            Payment.status == PaymentStatus.SCHEDULED,
            Payment.period_start > today + timedelta(days=10),
        )
    ).all()
    for payment in future:
        payment.reminder_sent_at = datetime(2030, 3, 1, tzinfo=UTC)
        db.add(payment)
    payment_changes.change_debit_day(
        session=db, holder_id=person.id, contract_id=contract.id, day=15, today=today
    )
    assert all(p.due_date.day == 15 and p.reminder_sent_at is None for p in future)


def test_a_frequency_change_never_schedules_a_debit_in_the_past(db):
    from datetime import date

    from espace.billing.models import SepaMandate
    from tests import factories

    person = factories.holder(db)
    contract = factories.contract(
        db, person, start_date=date(2028, 6, 20), payment_frequency="annual"
    )
    db.add(
        SepaMandate(
            reference=f"ESP-T-{person.id}",
            holder_id=person.id,
            bank_account_id=_account(db, person),
            creditor_identifier="FR12ZZZ123456",
            creditor_name="Espace",
            debtor_name="Alix",
        )
    )
    db.flush()
    today = date(2030, 6, 10)
    preview = payment_changes.frequency_preview(
        session=db, holder_id=person.id, contract_id=contract.id, frequency="monthly", today=today
    )
    assert preview.rows[0].period_start == date(2030, 6, 20)
    assert all(row.due_date > today for row in preview.rows)


def _account(db, person) -> int:
    from espace.billing import bank_accounts
    from espace.identity.insurer_authority import InsurerRecord

    return bank_accounts.add_account(
        session=db,
        holder_id=person.id,
        iban="FR7630006000011234567890189",
        bic="",
        account_holder="Alix",
        authority=InsurerRecord(source="core_system"),
    ).id
