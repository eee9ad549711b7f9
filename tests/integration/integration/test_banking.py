"""SEPA files: the pain.008.001.08 collection of the demo portfolio validates against the ISO 20022
schema (read from the sepaxml wheel, not vendored); a pain.002 or camt.054 reject marks the right
payment rejected, tells the holder and starts the regularisation; a file imported twice changes
nothing the second time."""

from __future__ import annotations

from datetime import timedelta
from importlib.resources import files

import pytest
from lxml import etree
from sqlmodel import select
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.billing import regularisation
from espace.billing.models import MandateStatus, Payment, PaymentStatus, SepaMandate
from espace.integration import banking
from espace.notifications.models import Notification
from tests.integration.integration.api_support import auth, new_client
from tests.integration.integration.bank_samples import camt054, pain002


def _xsd() -> etree.XMLSchema:
    path = files("sepaxml") / "schemas" / f"{banking.SCHEMA}.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def _mandated_payments(db) -> list[Payment]:
    return list(
        db.exec(
            select(Payment)
            .join(SepaMandate, SepaMandate.holder_id == Payment.holder_id)
            .where(
                SepaMandate.status == MandateStatus.ACTIVE,
                Payment.status == PaymentStatus.SCHEDULED,
                Payment.method == "sepa_debit",
            )
            .order_by(Payment.due_date)
        ).all()
    )


def test_the_demo_portfolio_collection_validates_against_the_pain_008_schema(db):
    due = _mandated_payments(db)
    assert due, "the demo portfolio has scheduled debits under an active mandate"
    start = due[0].due_date
    collection = banking.export_direct_debits(
        session=db, start=start, end=start + timedelta(days=90), today=start - timedelta(days=3)
    )
    document = etree.fromstring(collection.xml)
    _xsd().assertValid(document)
    ns = {"p": f"urn:iso:std:iso:20022:tech:xsd:{banking.SCHEMA}"}
    e2e = document.xpath("//p:DrctDbtTxInf/p:PmtId/p:EndToEndId/text()", namespaces=ns)
    assert e2e == [f"ESP-PAY-{i}" for i in collection.payment_ids]
    assert set(collection.payment_ids) <= {p.id for p in due}
    amounts = document.xpath("//p:DrctDbtTxInf/p:InstdAmt/text()", namespaces=ns)
    assert sum(round(float(a) * 100) for a in amounts) == collection.total_cents
    assert document.xpath("//p:GrpHdr/p:MsgId/text()", namespaces=ns) == [collection.message_id]


def test_a_period_with_nothing_due_is_refused(db):
    with pytest.raises(banking.BankFileError):
        banking.export_direct_debits(
            session=db, start=banking.date(1990, 1, 1), end=banking.date(1990, 2, 1)
        )


@pytest.mark.parametrize("kind", ["pain.002", "camt.054"])
def test_a_bank_reject_marks_the_payment_and_starts_the_regularisation(db, kind):
    payment = _mandated_payments(db)[0]
    e2e = banking.end_to_end_id(payment.id)
    xml = (
        pain002(
            (e2e, "RJCT", "AM04"), ("ESP-PAY-999999999", "RJCT", "AC04"), ("ESP-PAY-1", "ACSC", "")
        )
        if kind == "pain.002"
        else camt054((e2e, "AM04"), ("OTHER-REF", "MD06"))
    )
    result = banking.import_returns(session=db, xml=xml)
    assert result.message_type.startswith(kind)
    assert result.rejected == [payment.id]
    assert "ESP-PAY-999999999" in result.unknown or "OTHER-REF" in result.unknown
    db.refresh(payment)
    assert (payment.status, payment.rejection_code) == ("rejected", "AM04")
    assert "Provision insuffisante" in payment.rejection_reason
    # the holder's regularisation: the banner lists the rejected debits, a notice tells them
    assert payment.id in {
        p.id for p in regularisation.rejected_payments(session=db, holder_id=payment.holder_id)
    }
    notice = db.exec(
        select(Notification)
        .where(Notification.holder_id == payment.holder_id)
        .order_by(Notification.id.desc())
    ).first()
    assert "rejeté" in notice.title
    again = banking.import_returns(session=db, xml=xml)
    assert (again.rejected, again.already_rejected) == ([], [payment.id])


def test_unreadable_or_hostile_files_are_refused(db):
    with pytest.raises(banking.BankFileError):
        banking.import_returns(session=db, xml=b"not xml")
    with pytest.raises(banking.BankFileError):
        banking.import_returns(
            session=db, xml=b'<?xml version="1.0"?><Document xmlns="urn:x:pain.001.001.03"/>'
        )
    hostile = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt><OrgnlPmtInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>&x;</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>
</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"""
    result = banking.import_returns(session=db, xml=hostile)
    assert result.rejected == [] and not any("root" in u for u in result.unknown)


def test_the_api_exports_and_imports_bank_files(engine):
    from espace.billing import bank_accounts, mandates
    from espace.core.db import session_scope
    from espace.identity.insurer_authority import InsurerRecord
    from tests.integration.integration.test_api import _portfolio

    _, token = new_client("*")
    with TestClient(build_api(), base_url="http://localhost:8000") as api:
        holder, _, contract = _portfolio(api, token)  # a holder of its own: the demo stays as is
        with session_scope() as db:
            paper = InsurerRecord("paper", "mandat reçu le 02/12")
            account = bank_accounts.add_account(
                session=db,
                holder_id=holder["id"],
                iban="FR1420041010050500013M02606",
                bic="",
                account_holder="Inès Core",
                authority=paper,
            )
            mandates.sign_mandate(
                session=db,
                holder_id=holder["id"],
                account_id=account.id,
                signed_ip="",
                authority=paper,
            )
            due = [p for p in _mandated_payments(db) if p.contract_id == contract["id"]]
            start, payment_id = due[0].due_date, due[0].id
        exported = api.get(
            "/api/v1/banking/direct-debits",
            params={"from": start.isoformat(), "to": (start + timedelta(days=31)).isoformat()},
            headers=auth(token),
        )
        assert exported.status_code == 200, exported.text
        assert exported.headers["content-type"].startswith("application/xml")
        _xsd().assertValid(etree.fromstring(exported.content))
        imported = api.post(
            "/api/v1/banking/returns",
            content=pain002((f"ESP-PAY-{payment_id}", "RJCT", "MS02")),
            headers={**auth(token, key="returns-1"), "Content-Type": "application/xml"},
        )
        assert imported.status_code == 200, imported.text
        assert imported.json()["rejected"] == [payment_id]
        reader = new_client("payments:read")[1]
        refused = api.post(
            "/api/v1/banking/returns",
            content=pain002((f"ESP-PAY-{payment_id}", "RJCT", "MS02")),
            headers={**auth(reader), "Content-Type": "application/xml"},
        )
        assert refused.status_code == 403
