"""Documents against a real database: attestations and their verification, the library's filters,
receipts rendered on demand, and the authenticated download route."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from sqlmodel import Session, select
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.billing import instalments as billing
from espace.billing.receipts import register_paid_receipts, render_missing
from espace.contracts import admin, attestations
from espace.contracts.attestations import AttestationError, AttestationRequest
from espace.contracts.certificates import issue_certificate
from espace.contracts.models import Attestation
from espace.core import storage
from espace.core.db import get_engine
from espace.core.formatting import PARIS
from espace.core.models import today_paris, utcnow
from espace.documents import library
from espace.documents.library import DocumentFilters
from espace.documents.models import Document, DocumentKind
from espace.identity import sessions
from tests import factories

TODAY = (
    today_paris()
)  # passed to the services below, so that a run crossing midnight stays consistent


def _issue(db, person, contract, kind="standard", **extra):
    return attestations.issue(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=AttestationRequest(kind=kind, **extra),
        today=TODAY,
    )


def _reference(db, document) -> str:
    row = db.exec(select(Attestation).where(Attestation.document_id == document.id)).one()
    return attestations.sign(row.public_id)


@pytest.mark.parametrize(
    "kind, extra",
    [
        ("standard", {}),
        ("detailed", {}),
        (
            "seasonal",
            {
                "start": TODAY + timedelta(days=10),
                "end": TODAY + timedelta(days=24),
                "place": "3 rue du Port, 29900 Concarneau",
            },
        ),
        ("temporary", {"start": TODAY + timedelta(days=1), "end": TODAY + timedelta(days=60)}),
    ],
)
def test_each_attestation_kind_is_stored_extracted_and_verifiable(db, kind, extra):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    document = _issue(db, person, contract, kind, **extra)
    assert document.kind == DocumentKind.ATTESTATION and storage.exists(document.storage_key)
    pdf = storage.get(document.storage_key)
    assert pdf.startswith(b"%PDF") and document.size_bytes == len(pdf)
    text = " ".join(document.text_content.split())
    assert contract.number in text and person.last_name in text and "Nantes" in text
    if kind == "detailed":
        assert "Dégâts des eaux" in text
    if kind == "seasonal":
        assert "Concarneau" in text
    result = attestations.verify(session=db, reference=_reference(db, document))
    assert result.status == "valide" and result.town == "Nantes"


def test_standard_validity_runs_to_the_day_before_the_next_anniversary(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, start_date=date(2024, 3, 10))
    document = _issue(db, person, contract)
    assert document.period_start == TODAY
    assert (
        document.period_end.month == 3
        and document.period_end.day == 9
        and document.period_end > TODAY
    )


def test_verification_shows_only_what_a_third_party_needs(db):
    person = factories.holder(db, first_name="Bérénice", last_name="Delacroix")
    contract = factories.contract(db, person)
    result = attestations.verify(session=db, reference=_reference(db, _issue(db, person, contract)))
    assert result.holder == "Mme B. D********"
    shown = " ".join(str(v) for v in result.__dict__.values())
    for private in (
        "Delacroix",
        "Bérénice",
        person.email,
        "place du Commerce",
        contract.number,
        "44000",
    ):
        assert private not in shown


def test_tampered_or_unknown_references_are_not_genuine(db):
    person = factories.holder(db)
    reference = _reference(db, _issue(db, person, factories.contract(db, person)))
    public_id, signature = reference.rsplit(".", 1)
    for forged in (
        public_id + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        ("x" if public_id[0] != "x" else "y") + reference[1:],
        public_id,
        "",
        "n'importe quoi",
        attestations.sign("unknown-public-id"),
    ):
        assert attestations.verify(session=db, reference=forged).status == "inconnue"


def test_terminated_contract_revokes_and_time_expires(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    temporary = _issue(
        db, person, contract, "temporary", start=TODAY, end=TODAY + timedelta(days=5)
    )
    standard = _issue(db, person, contract)
    with time_machine.travel(
        datetime.combine(TODAY + timedelta(days=7), time(12), tzinfo=PARIS)
    ):  # noon in Paris
        assert (
            attestations.verify(session=db, reference=_reference(db, temporary)).status == "expirée"
        )
    admin.terminate(session=db, number=contract.number, end_date=TODAY)
    assert attestations.verify(session=db, reference=_reference(db, standard)).status == "révoquée"
    with pytest.raises(AttestationError, match="plus en cours"):
        _issue(db, person, contract)


@pytest.mark.parametrize(
    "kind, extra, field",
    [
        (
            "seasonal",
            {"start": TODAY + timedelta(days=1), "end": TODAY + timedelta(days=3)},
            "place",
        ),
        (
            "seasonal",
            {
                "start": TODAY + timedelta(days=1),
                "end": TODAY + timedelta(days=120),
                "place": "Gîte",
            },
            "end",
        ),
        (
            "temporary",
            {"start": TODAY + timedelta(days=5), "end": TODAY + timedelta(days=2)},
            "end",
        ),
        (
            "temporary",
            {"start": TODAY - timedelta(days=5), "end": TODAY + timedelta(days=2)},
            "start",
        ),
        ("temporary", {"end": TODAY + timedelta(days=2)}, "start"),
        ("temporary", {"start": TODAY, "end": TODAY + timedelta(days=400)}, "end"),
        ("unknown", {}, "kind"),
    ],
)
def test_bad_requests_get_a_french_message_on_their_field(db, kind, extra, field):
    person = factories.holder(db)
    with pytest.raises(AttestationError) as error:
        _issue(db, person, factories.contract(db, person), kind, **extra)
    assert error.value.field == field and str(error.value)


def test_another_holders_contract_gives_nothing(db):
    alice, bob = factories.holder(db), factories.holder(db)
    alice_contract = factories.contract(db, alice)
    with pytest.raises(AttestationError, match="vos contrats"):
        _issue(db, bob, alice_contract)
    with pytest.raises(LookupError):
        issue_certificate(session=db, holder_id=bob.id, contract_id=alice_contract.id)
    document = _issue(db, alice, alice_contract)
    assert library.owned_document(session=db, holder_id=bob.id, document_id=document.id) is None
    assert (
        library.owned_document(session=db, holder_id=alice.id, document_id=document.id).id
        == document.id
    )
    assert library.list_documents(session=db, holder_id=bob.id) == []


def test_certificate_lists_every_guarantee(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, formula_code="INTEGRALE")
    document = issue_certificate(session=db, holder_id=person.id, contract_id=contract.id)
    text = " ".join(document.text_content.split())
    for name in (
        "Incendie",
        "Dégâts des eaux",
        "Catastrophes naturelles",
        "Protection juridique",
        "380,00",
    ):
        assert name in text


# ---- the library's filters ----------------------------------------------------------------------


def _doc(db, person, contract, *, kind, amount=None, issued=None, category="", title="Doc"):
    document = Document(
        holder_id=person.id,
        contract_id=contract.id if contract else None,
        kind=kind,
        title=title,
        reference=f"REF-{kind}-{amount}-{category}",
        amount_cents=amount,
        guarantee_category=category,
        issued_at=issued or utcnow(),
    )
    db.add(document)
    db.flush()
    return document


def test_filters_combine(db):
    person, other = factories.holder(db), factories.holder(db)
    lyon, nantes = (
        factories.contract(db, person, city="Lyon"),
        factories.contract(db, person, city="Nantes"),
    )
    jan = datetime(2025, 1, 15, 10, tzinfo=PARIS)
    jun = datetime(2025, 6, 15, 10, tzinfo=PARIS)
    a = _doc(db, person, lyon, kind="receipt", amount=1_500, issued=jan)
    b = _doc(db, person, lyon, kind="receipt", amount=5_000, issued=jun)
    c = _doc(db, person, nantes, kind="receipt", amount=4_000, issued=jun)
    d = _doc(db, person, nantes, kind="attestation", issued=jun, category="water_damage")
    _doc(db, other, factories.contract(db, other), kind="receipt", amount=4_000, issued=jun)

    def ids(**filters):
        return [
            row.id
            for row in library.list_documents(
                session=db, holder_id=person.id, filters=DocumentFilters(**filters)
            )
        ]

    assert set(ids()) == {a.id, b.id, c.id, d.id}
    assert set(ids(kind="receipt")) == {a.id, b.id, c.id}
    assert ids(kind="receipt", contract_id=lyon.id, date_from=date(2025, 6, 1)) == [b.id]
    assert set(ids(amount_min_cents=2_000, amount_max_cents=4_500)) == {c.id}
    assert ids(
        kind="receipt", contract_id=nantes.id, amount_min_cents=4_000, date_to=date(2025, 6, 15)
    ) == [c.id]
    assert ids(date_to=date(2025, 1, 15)) == [a.id]  # the whole last day counts
    assert ids(guarantee_category="water_damage") == [d.id]
    assert ids(guarantee_category="water_damage", kind="receipt") == []
    assert ids(kind="receipt", sort="amount_desc") == [b.id, c.id, a.id]
    assert ids(kind="receipt", sort="date_asc")[0] == a.id


# ---- receipts and downloads ---------------------------------------------------------------------


def test_paid_instalments_get_receipts_rendered_on_demand(db):
    person = factories.holder(db)
    contract = factories.contract(
        db, person, payment_frequency="quarterly", start_date=date(2025, 1, 1)
    )
    payments = billing.seed_history(
        session=db, contract=contract, today=date(2025, 8, 1), ahead_until=date(2025, 12, 31)
    )
    assert [p.status for p in payments] == ["paid", "paid", "paid", "scheduled"]
    assert sum(p.amount_cents for p in payments) == contract.annual_premium_cents
    assert register_paid_receipts(session=db, holder_id=person.id) == 3
    assert register_paid_receipts(session=db, holder_id=person.id) == 3  # idempotent
    receipts = library.list_documents(
        session=db, holder_id=person.id, filters=DocumentFilters(kind="receipt")
    )
    assert len(receipts) == 3 and all(r.last_download_at is None for r in receipts)
    document = db.get(Document, receipts[0].id)
    assert document.storage_key == ""
    pdf = library.content(session=db, document=document, render_missing=render_missing)
    assert pdf.startswith(b"%PDF") and contract.number in document.text_content
    account = factories.account_of(db, person)
    library.record_download(session=db, document=document, account=account, inline=True)
    assert (
        library.list_documents(
            session=db, holder_id=person.id, filters=DocumentFilters(kind="receipt")
        )[0].last_download_at
        is None
    )
    library.record_download(session=db, document=document, account=account, inline=False)
    rows = {r.id: r for r in library.list_documents(session=db, holder_id=person.id)}
    assert rows[document.id].last_download_at is not None and rows[document.id].download_count == 1


@pytest.mark.parametrize("frequency, count", [("monthly", 12), ("quarterly", 4), ("annual", 1)])
def test_instalments_split_the_annual_premium_exactly(db, frequency, count):
    person = factories.holder(db)
    contract = factories.contract(
        db,
        person,
        payment_frequency=frequency,
        annual_premium_cents=18_641,
        annual_tax_cents=1_539,
        start_date=date(2024, 2, 29),
    )
    rows = billing.instalments(contract, until=date(2025, 2, 27))
    assert len(rows) == count
    assert sum(r[3] for r in rows) == 18_641 and sum(r[4] for r in rows) == 1_539
    assert rows[0][0] == date(2024, 2, 29)
    assert rows[-1][1] == date(2025, 2, 27)  # the anniversary falls on 28/02 in a non-leap year


def test_storage_refuses_keys_that_are_not_its_own():
    for key in ("../../etc/passwd", "/etc/passwd", "ab/../../x.pdf", ""):
        with pytest.raises(FileNotFoundError):
            storage.get(key)


# ---- the download route ------------------------------------------------------------------------


def _cookie(db, person) -> str:
    account = factories.account_of(db, person)
    return sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, account_id=account.id)
    )


def test_download_route_checks_the_session_and_ownership(engine):
    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        document = _issue(db, alice, factories.contract(db, alice))
        return document.id, document.reference, _cookie(db, alice), _cookie(db, bob)

    document_id, reference, alice_token, bob_token = factories.committed(setup)
    with TestClient(build_api(), base_url="http://localhost:8000") as client:
        assert client.get(f"/api/documents/{document_id}").status_code == 401
        client.cookies.set("espace_session", bob_token)
        refused = client.get(f"/api/documents/{document_id}")
        assert refused.status_code == 404 and b"%PDF" not in refused.content
        assert client.get("/api/documents/999999").status_code == 404
        client.cookies.set("espace_session", alice_token)
        response = client.get(f"/api/documents/{document_id}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-disposition"] == f'attachment; filename="{reference}.pdf"'
        preview = client.get(f"/api/documents/{document_id}?apercu=1")
        assert preview.headers["content-disposition"].startswith("inline")
    with Session(get_engine()) as db:
        person_docs = library.list_documents(
            session=db, holder_id=db.get(Document, document_id).holder_id
        )
        assert person_docs[0].download_count == 1  # the preview is not counted as a download
