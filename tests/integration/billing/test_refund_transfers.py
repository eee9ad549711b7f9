"""Refunds go to the bank as a SEPA credit transfer file (pain.001.001.09, validated against the
schema read from the sepaxml wheel) that contains each refund to pay and marks it sent; the bank's
reports (camt.054 booked, pain.002 rejected) or the core system's API mark it paid or send it back
to waiting for an IBAN. The API routes are role-checked by scope."""

from __future__ import annotations

import base64
from importlib.resources import files

import pytest
import time_machine
from lxml import etree
from sqlmodel import select
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.billing import bank_accounts, refunds
from espace.billing.models import PremiumRefund, RefundStatus
from espace.contracts.models import PaymentFrequency
from espace.identity.insurer_authority import InsurerRecord
from espace.integration import banking
from espace.lifecycle import cancellation
from espace.notifications.models import Notification
from tests import factories
from tests.integration.integration.api_support import auth, new_client
from tests.integration.integration.bank_samples import camt054, pain002
from tests.integration.lifecycle.test_cancellation import (  # noqa: F401  (_clock: autouse)
    HAMON,
    NOW,
    TODAY,
    _clock,
    _holder_with_contract,
)

IBAN = "FR1420041010050500013M02606"
NS = {"p": f"urn:iso:std:iso:20022:tech:xsd:{banking.TRANSFER_SCHEMA}"}


def _xsd() -> etree.XMLSchema:
    path = files("sepaxml") / "schemas" / f"{banking.TRANSFER_SCHEMA}.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def _refund(db, *, with_account=True) -> PremiumRefund:
    person, contract = _holder_with_contract(db, frequency=PaymentFrequency.ANNUAL)
    if with_account:
        bank_accounts.add_account(
            session=db,
            holder_id=person.id,
            iban=IBAN,
            bic="",
            account_holder=f"{person.first_name} {person.last_name}",
            authority=InsurerRecord("paper", "RIB"),
        )
    row = cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=HAMON,
        files=[],
        proof=factories.step_up(db, person),
        today=TODAY,
    )
    return refunds.for_cancellation(session=db, cancellation_id=row.id)


def test_the_pain_001_validates_contains_the_refund_and_marks_it_sent(db):
    refund = _refund(db)
    waiting = _refund(db, with_account=False)
    transfers = banking.export_refunds(session=db, today=TODAY)
    document = etree.fromstring(transfers.xml)
    _xsd().assertValid(document)
    e2e = document.xpath("//p:CdtTrfTxInf/p:PmtId/p:EndToEndId/text()", namespaces=NS)
    assert f"ESP-RMB-{refund.id}" in e2e and f"ESP-RMB-{waiting.id}" not in e2e
    assert e2e == [f"ESP-RMB-{i}" for i in transfers.refund_ids]
    amounts = document.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS)
    assert sum(round(float(a) * 100) for a in amounts) == transfers.total_cents
    mine = e2e.index(f"ESP-RMB-{refund.id}")
    assert round(float(amounts[mine]) * 100) == refund.amount_cents
    assert document.xpath("//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=NS)[
        mine
    ] == IBAN.replace(" ", "")
    assert document.xpath("//p:GrpHdr/p:MsgId/text()", namespaces=NS) == [transfers.message_id]
    db.refresh(refund)
    assert (refund.status, refund.message_id) == (RefundStatus.SENT, transfers.message_id)
    assert db.get(PremiumRefund, waiting.id).status == RefundStatus.AWAITING_BANK
    with pytest.raises(banking.BankFileError):  # sent once: nothing left to pay
        banking.export_refunds(session=db, today=TODAY)


def test_the_bank_reports_a_refund_paid_or_returned(db):
    paid, bounced = _refund(db), _refund(db)
    banking.export_refunds(session=db, today=TODAY)
    settled = camt054((f"ESP-RMB-{paid.id}", ""), (f"ESP-RMB-{bounced.id}", "AC04"))
    settled = settled.replace(b"<RtrInf><Rsn><Cd></Cd></Rsn></RtrInf>", b"")
    result = banking.import_returns(session=db, xml=settled)
    assert (result.refunds_paid, result.refunds_returned) == ([paid.id], [bounced.id])
    assert result.rejected == []
    db.refresh(paid), db.refresh(bounced)
    assert (paid.status, paid.paid_via) == (RefundStatus.PAID, "sepa")
    assert (bounced.status, bounced.bank_account_id) == (RefundStatus.AWAITING_BANK, None)
    titles = db.exec(
        select(Notification.title).where(
            Notification.holder_id.in_([paid.holder_id, bounced.holder_id])
        )
    ).all()
    assert any("versé" in t for t in titles) and any("pas pu être versé" in t for t in titles)
    again = banking.import_returns(session=db, xml=settled)
    assert (again.refunds_paid, again.refunds_returned) == ([], [])
    # pain.002: a transfer rejected before settlement
    third = _refund(db)
    banking.export_refunds(session=db, today=TODAY)
    result = banking.import_returns(
        session=db, xml=pain002((f"ESP-RMB-{third.id}", "RJCT", "AC01"))
    )
    assert result.refunds_returned == [third.id] and result.rejected == []


def test_the_api_exports_the_transfers_and_records_a_refund_paid(engine):
    from espace.core.db import session_scope

    with time_machine.travel(NOW, tick=True), session_scope() as db:
        refund_id = _refund(db).id
    _, token = new_client("*")
    reader = new_client("payments:read")[1]
    with TestClient(build_api(), base_url="http://localhost:8000") as api:
        assert (
            api.post(
                "/api/v1/banking/credit-transfers", headers=auth(reader, key="t-0")
            ).status_code
            == 403
        )
        exported = api.post("/api/v1/banking/credit-transfers", headers=auth(token, key="t-1"))
        assert exported.status_code == 200, exported.text
        body = exported.json()
        assert refund_id in body["refund_ids"]
        xml = base64.b64decode(body["content_base64"])
        _xsd().assertValid(etree.fromstring(xml))
        replay = api.post("/api/v1/banking/credit-transfers", headers=auth(token, key="t-1"))
        assert replay.json()["message_id"] == body["message_id"]  # the same file, not a new one
        shown = api.get(f"/api/v1/refunds/{refund_id}", headers=auth(reader))
        assert shown.status_code == 200 and shown.json()["status"] == "sent"
        assert IBAN[4:-4] not in shown.text  # the masked IBAN only
        denied = api.post(
            f"/api/v1/refunds/{refund_id}/events",
            json={"event": "paid"},
            headers=auth(reader, key="p-0"),
        )
        assert denied.status_code == 403
        paid = api.post(
            f"/api/v1/refunds/{refund_id}/events",
            json={"event": "paid", "reference": "VIR-2027-01"},
            headers=auth(token, key="p-1"),
        )
        assert paid.status_code == 200, paid.text
        assert (paid.json()["status"], paid.json()["paid_reference"]) == ("paid", "VIR-2027-01")
        listed = api.get("/api/v1/refunds", params={"status": "paid"}, headers=auth(reader))
        assert refund_id in [r["id"] for r in listed.json()["data"]]
        assert api.get("/api/v1/refunds/999999999", headers=auth(reader)).status_code == 404


def test_a_paid_refund_is_in_the_payments_exports_as_money_received(db):
    from espace.billing import exports
    from espace.core.csv_cells import safe_row

    refund = _refund(db)
    refunds.mark_paid(session=db, refund_id=refund.id, via="sepa", now=NOW)
    csv_text = exports.export_csv(
        session=db, holder_id=refund.holder_id, start=TODAY, end=TODAY
    ).decode("utf-8-sig")
    line = next(x for x in csv_text.splitlines() if refund.reference in x)
    assert line.split(";")[6] == exports.cents_fr(-refund.amount_cents)
    assert safe_row(["=1+1"]) != ["=1+1"]  # the same formula-safe writer
    ofx = exports.export_ofx(session=db, holder_id=refund.holder_id, start=TODAY, end=TODAY)
    assert f"ESPACE-RMB-{refund.id}".encode() in ofx and b"CREDIT" in ofx
