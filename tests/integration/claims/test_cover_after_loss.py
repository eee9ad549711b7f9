"""Issue 16, finding 2 — "cover bought after a loss pays for that loss", replayed at the handler
level.

A holder changes their cover through the cover page's handler with an effective date 3 months away,
then declares yesterday's broken window through the claim wizard's handlers, and a manager assesses
it through the back office's handler. Each state is a real Reflex state whose handshake carries the
session cookie, on the real database (committed), with the clock frozen. The estimate, the express
settlement and the staff indemnity must use the terms in force on the day of the loss."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import reflex as rx
import time_machine
from fpdf import FPDF
from sqlmodel import Session, select

import espace.espace  # noqa: F401  (registers every state)
from espace import routes
from espace.claims.models import Claim
from espace.contracts.models import Contract, Formula
from espace.core.db import get_engine
from espace.core.formatting import PARIS
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.identity.models import AuthSession, StaffUser
from espace.state.claim_wizard import ClaimWizardState
from espace.state.cover import CoverState
from espace.state.staff_claims import StaffClaimState
from tests import factories
from tests.events import run_handler

NOW = datetime(2026, 11, 9, 10, 0, tzinfo=PARIS)  # a Monday
TODAY = NOW.date()


_OPENED: list[
    tuple[int | None, int | None]
] = []  # (account_id, staff_id) of the sessions opened here


@pytest.fixture(autouse=True)
def frozen(engine):
    with time_machine.travel(NOW, tick=False):
        yield

    # The sessions opened under the frozen clock expired long ago for the rest of the suite: remove
    # them.
    def forget(db):
        for account_id, staff_id in _OPENED:
            owner = (
                AuthSession.account_id == account_id
                if account_id
                else AuthSession.staff_id == staff_id
            )
            for row in db.exec(
                select(AuthSession).where(owner, AuthSession.created_at <= NOW)
            ).all():
                db.delete(row)

    factories.committed(forget)
    _OPENED.clear()


def _token(db, *, account_id=None, staff_id=None) -> str:
    token = sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, account_id=account_id, staff_id=staff_id)
    )
    _OPENED.append((account_id, staff_id))
    return token


def _state(cls, token: str, path: str, query: dict[str, str]):
    """A fresh state of ``cls`` whose websocket handshake carried ``token`` as the session
    cookie."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    query_string = "&".join(f"{k}={v}" for k, v in query.items())
    state._update_router_vars(
        {
            "headers": {
                "cookie": f"{get_settings().session_cookie_name}={token}",
                "origin": "http://localhost:8000",
            },
            "pathname": path,
            "asPath": path + (f"?{query_string}" if query_string else ""),
            "query": query,
        },
        {},
    )
    return state


def _invoice() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Facture : remplacement d'une baie vitree, 950 EUR TTC")
    return bytes(pdf.output())


@pytest.fixture
def manager(engine):
    def setup(db):
        user = factories.staff(db, role="manager")
        return user.id, _token(db, staff_id=user.id)

    member = factories.committed(setup)
    yield member

    def teardown(db):
        user = db.get(StaffUser, member[0])
        user.is_active = False
        db.add(user)

    factories.committed(teardown)


def _change_cover_in_three_months(token: str, number: str, formula: str) -> None:
    page = _state(CoverState, token, routes.COVER, {"n": number})
    assert run_handler(CoverState.load, page) is None and page.found
    run_handler(CoverState.set_formula, page, formula)
    run_handler(CoverState.set_effective, page, (TODAY + timedelta(days=90)).isoformat())
    run_handler(CoverState.endorse, page, {"consent": "1"})
    assert page.endorse_error == "" and page.done_url


def _declare_yesterdays_broken_window(token: str, contract_id: int) -> tuple[ClaimWizardState, str]:
    wizard = _state(ClaimWizardState, token, routes.CLAIM_NEW, {})
    run_handler(ClaimWizardState.load, wizard)
    run_handler(ClaimWizardState.choose_contract, wizard, {"contract": str(contract_id)})
    run_handler(ClaimWizardState.choose_peril, wizard, {"peril": "glass_breakage"})
    run_handler(
        ClaimWizardState.save_answers, wizard, {"pane": "window", "glass_cause": "accident"}
    )
    run_handler(
        ClaimWizardState.save_when,
        wizard,
        {
            "occurred_date": (TODAY - timedelta(days=1)).isoformat(),
            "occurred_time": "18:00",
            "description": "Un ballon a brisé la baie vitrée du salon.",
        },
    )
    run_handler(ClaimWizardState.use_property_address, wizard)
    run_handler(
        ClaimWizardState.add_item,
        wizard,
        {
            "item_description": "Baie vitrée du salon",
            "item_category": "building",
            "item_estimate": "950",
        },
    )
    run_handler(ClaimWizardState.items_done, wizard)
    run_handler(ClaimWizardState.set_upload_kind, wizard, "invoice")
    run_handler(
        ClaimWizardState.upload,
        wizard,
        [rx.UploadFile(file=io.BytesIO(_invoice()), path=Path("facture.pdf"))],
    )
    run_handler(ClaimWizardState.files_done, wizard)
    assert wizard.errors == {} and wizard.upload_errors == []
    summary = dict((fact.label, fact.value) for fact in wizard.estimate)
    run_handler(ClaimWizardState.send, wizard, {"certify": "1"})
    assert wizard.sent_number, wizard.errors
    return wizard, summary.get("Indemnité estimée", "")


@pytest.mark.parametrize(
    "before, after, covered",
    [
        (
            "ESSENTIELLE",
            "CONFORT",
            False,
        ),  # glass breakage bought after the loss: not covered on the loss date
        ("CONFORT", "ESSENTIELLE", True),  # dropped in 3 months: still covered on the loss date
    ],
)
def test_a_change_effective_in_three_months_does_not_apply_to_yesterdays_loss(
    engine, manager, before, after, covered
):
    def setup(db):
        person = factories.holder(db)
        contract = factories.contract(db, person, formula_code=before)
        return (
            person.id,
            contract.id,
            contract.number,
            _token(db, account_id=factories.account_of(db, person).id),
        )

    holder_id, contract_id, number, token = factories.committed(setup)
    _change_cover_in_three_months(token, number, after)
    wizard, shown_estimate = _declare_yesterdays_broken_window(token, contract_id)
    with Session(get_engine()) as db:
        claim = db.exec(
            select(Claim).where(Claim.number == wizard.sent_number, Claim.holder_id == holder_id)
        ).one()
        assert claim.estimate["covered"] is covered
        if covered:  # Confort on the loss date: 950 € − the 75 € glass deductible, settled at once
            assert shown_estimate == "875,00\u00a0€" and claim.estimate["indemnity_cents"] == 87_500
            assert claim.express is True and claim.indemnity_cents == 87_500
        else:  # Essentielle on the loss date: no glass breakage cover, no express payment
            assert shown_estimate == "" and claim.estimate["indemnity_cents"] == 0
            assert claim.express is False and claim.indemnity_cents is None

    staff_id, staff_token = manager
    page = _state(StaffClaimState, staff_token, routes.STAFF_CLAIM, {"n": wizard.sent_number})
    assert run_handler(StaffClaimState.load, page) is None and page.found
    run_handler(StaffClaimState.assess, page, {"damage": "950"})
    with Session(get_engine()) as db:
        claim = db.exec(select(Claim).where(Claim.number == wizard.sent_number)).one()
        if covered:
            assert (
                page.errors == {}
                and claim.indemnity_cents == 87_500
                and claim.deductible_cents == 7_500
            )
        else:
            assert (
                "Aucune garantie" in page.errors.get("damage", "") and claim.indemnity_cents is None
            )
        assert (
            db.get(Formula, db.get(Contract, contract_id).formula_id).code == before
        )  # today's terms did not move


def test_the_contract_page_shows_protection_juridique_taken_as_an_option_as_covered(engine):
    """Issue 20: on MRH0412857 the page said "Non couvert par votre formule" above "Protection
    juridique — souscrite"."""
    from espace.demo.seed import DEMO_CONTRACTS, DEMO_EMAIL
    from espace.identity.models import Account
    from espace.state.contract_detail import ContractDetailState

    token = factories.committed(
        lambda db: _token(
            db, account_id=db.exec(select(Account.id).where(Account.email == DEMO_EMAIL)).one()
        )
    )
    page = _state(ContractDetailState, token, routes.CONTRACT, {"n": DEMO_CONTRACTS[0]})
    assert run_handler(ContractDetailState.load, page) is None and page.found
    legal = next(block for block in page.categories if block.key == "legal_protection")
    assert legal.covered and [g.name for g in legal.guarantees] == ["Protection juridique (option)"]
    assert next(o for o in page.options if o.name == "Protection juridique").taken
