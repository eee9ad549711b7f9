"""The contract's documents, each a PDF from the one template filed in "Mes documents" (with its
kind as a filter): particular conditions, general conditions from the conditions page's text, the
claims-history statement; another holder's contract gives nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from espace.claims import statement
from espace.contracts import conditions_data as cg
from espace.contracts import contract_documents, terms
from espace.contracts.models import Contract
from espace.demo.seed import DEMO_CONTRACTS
from espace.documents import library
from espace.documents.models import DocumentKind
from tests import factories


def _text(document) -> str:
    return " ".join(document.text_content.split())


def test_particular_conditions_state_the_version_with_its_options(db):
    person = factories.holder(db)
    contract = factories.contract(
        db, person, options=("PROTECTION_JURIDIQUE",), start_date=date(2025, 3, 1)
    )
    version = terms.version_on(session=db, contract_id=contract.id, day=date(2025, 3, 1))
    document = contract_documents.issue_particular_conditions(
        session=db, contract=contract, version=version, issued_on=date(2025, 3, 1)
    )
    text = _text(document)
    assert document.kind == DocumentKind.PARTICULAR_CONDITIONS
    assert "Conditions particulières" in text and contract.number in text
    assert "Protection juridique" in text and cg.GENERAL_CONDITIONS_VERSION in text
    assert "01/03/2025" in text


def test_general_conditions_come_from_the_conditions_pages_text(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    document = contract_documents.issue_general_conditions(
        session=db, holder_id=person.id, number=contract.number, today=date(2026, 12, 31)
    )
    text = _text(document)
    first, last = cg.ARTICLES[0], cg.ARTICLES[-1]
    assert first["title"] in text and last["title"] in text
    assert "L113-14" in text  # online cancellation, announced by the conditions
    rows = library.list_documents(
        session=db,
        holder_id=person.id,
        filters=library.DocumentFilters(kind=DocumentKind.GENERAL_CONDITIONS),
    )
    assert [r.id for r in rows] == [document.id]


def test_the_claims_history_statement_lists_five_years_of_claims(db):
    lyon = db.exec(select(Contract).where(Contract.number == DEMO_CONTRACTS[0])).one()
    document = statement.issue_claims_history(
        session=db, holder_id=lyon.holder_id, contract_id=lyon.id, today=date(2026, 12, 31)
    )
    text = _text(document)
    assert document.kind == DocumentKind.CLAIMS_HISTORY
    assert "Relevé de sinistralité" in text and lyon.number in text
    assert "Sinistres déclarés" in text or "Aucun sinistre" in text


def test_another_holders_contract_gives_no_document(db):
    lyon = db.exec(select(Contract).where(Contract.number == DEMO_CONTRACTS[0])).one()
    intruder = factories.holder(db)
    with pytest.raises(statement.StatementError):
        statement.issue_claims_history(session=db, holder_id=intruder.id, contract_id=lyon.id)
    with pytest.raises(contract_documents.ContractDocumentError):
        contract_documents.issue_general_conditions(
            session=db, holder_id=intruder.id, number=lyon.number
        )


def test_every_seeded_contract_has_its_particular_conditions(db):
    numbers = db.exec(
        select(Contract.number).where(Contract.number.like("MRH0%") | Contract.number.like("MRH2%"))
    ).all()
    from espace.documents.models import Document

    with_cp = set(
        db.exec(
            select(Contract.number)
            .join(Document, Document.contract_id == Contract.id)
            .where(Document.kind == DocumentKind.PARTICULAR_CONDITIONS)
        ).all()
    )
    assert set(numbers) <= with_cp
