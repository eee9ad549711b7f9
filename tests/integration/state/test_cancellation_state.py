"""The cancellation page's handlers, called as Reflex would for holder B's browser with holder A's
contract id in the state (a tampered or replayed state): nothing is shown or cancelled. The
contract's id is a backend var set by ``load`` from a number B owns; the service checks ownership
anyway."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlmodel import Session, select

from espace.contracts.models import Contract
from espace.core.db import get_engine
from espace.lifecycle.models import Cancellation
from espace.state.cancellation import CancellationState
from espace.state.staff_cancellations import StaffCancellationsState
from tests import factories
from tests.events import run_handler


def _two_holders(db):
    alice, bob = factories.holder(db), factories.holder(db)
    contract = factories.contract(db, alice, start_date=date(2023, 3, 1))
    _token, bob_principal, bob_proof = factories.signed_in_with_step_up(db, bob)
    return contract.id, bob_principal, bob_proof


def _stand_in(principal, contract_id):
    return SimpleNamespace(
        _holder_principal=lambda: principal,
        _to_login=lambda: "login",
        _contract_id=contract_id,
        _values={"ground": "hamon"},
        _files=[],
        files=[],
        ground="hamon",
        errors={},
        previewed=False,
    )


def test_another_holders_contract_is_neither_previewed_nor_cancelled(engine):
    contract_id, bob, bob_proof = factories.committed(_two_holders)
    bob_self = _stand_in(bob, contract_id)
    run_handler(CancellationState.preview, bob_self, {"ground": "hamon"})
    assert bob_self.errors == {"contract": "Contrat introuvable."} and not bob_self.previewed
    CancellationState._run_stepped_up(bob_self, "cancel", bob, bob_proof)
    assert bob_self.errors == {"contract": "Contrat introuvable."}
    with Session(get_engine()) as db:
        assert db.get(Contract, contract_id).end_date is None
        assert (
            db.exec(select(Cancellation).where(Cancellation.contract_id == contract_id)).first()
            is None
        )


def test_confirming_without_a_preview_does_nothing_and_signed_out_goes_to_login(engine):
    nobody = SimpleNamespace(_holder_principal=lambda: None, _to_login=lambda: "login")
    assert run_handler(CancellationState.preview, nobody, {"ground": "hamon"}) == "login"
    assert run_handler(CancellationState.load, nobody) == "login"
    not_previewed = SimpleNamespace(
        previewed=False, _holder_id=lambda: 1, _to_login=lambda: "login"
    )
    assert run_handler(CancellationState.confirm, not_previewed) is None


def test_the_staff_list_refuses_an_expert(engine):
    expert_id = factories.committed(lambda db: factories.staff(db, role="expert").id)
    expert_self = SimpleNamespace(
        _staff_id=lambda: expert_id,
        _load_staff_header=lambda staff_id: None,
        rows=["x"],
        error="",
        loaded=False,
    )
    run_handler(StaffCancellationsState.load, expert_self)
    assert expert_self.rows == [] and "rôle" in expert_self.error


# ----- /gestion/resiliation?n=<id>: one request, refusal, refund paid -----------------------------


def _moved_with_refund(db):
    """A holder's move cancellation with its proof and a refund to pay; an expert and a holder."""
    from fpdf import FPDF

    from espace.billing import bank_accounts, refunds
    from espace.billing.instalments import collect_due
    from espace.contracts import terms
    from espace.contracts.cover_change import insurance_year
    from espace.contracts.models import PaymentFrequency
    from espace.core.models import today_paris
    from espace.identity.insurer_authority import InsurerRecord
    from espace.lifecycle import cancellation
    from espace.lifecycle.cancellation import UploadedFile
    from espace.lifecycle.cancellation_rules import CancellationRequest
    from espace.lifecycle.renewal_schedule import schedule_year

    today = today_paris()
    person = factories.holder(db)
    contract = factories.contract(
        db,
        person,
        start_date=date(today.year - 2, today.month, 1),
        payment_frequency=PaymentFrequency.ANNUAL,
    )
    year_start, _ = insurance_year(contract, today)
    version = terms.version_on(session=db, contract_id=contract.id, day=year_start)
    schedule_year(session=db, contract=contract, year_start=year_start, version=version)
    collect_due(session=db, contract_id=contract.id, today=today)
    bank_accounts.add_account(
        session=db,
        holder_id=person.id,
        iban="FR1420041010050500013M02606",
        bic="",
        account_holder="Titulaire",
        authority=InsurerRecord("paper", "RIB"),
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Bail")
    row = cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=CancellationRequest(ground="move", event_date=today),
        files=[UploadedFile("bail.pdf", bytes(pdf.output()))],
        proof=factories.step_up(db, person),
        today=today,
    )
    refund = refunds.for_cancellation(session=db, cancellation_id=row.id)
    expert = factories.staff(db, role="expert")
    handler = factories.staff(db, role="handler")
    return row.id, refund.id if refund else 0, contract.id, expert.id, handler.id, person.id


def _staff_self(staff_id, cancellation_id, refund_id=0):
    from espace.state.staff_cancellations import StaffCancellationItem

    return SimpleNamespace(
        _staff_id=lambda: staff_id,
        _to_staff_login=lambda: "login",
        _load_staff_header=lambda staff_id: None,
        _cancellation_id=cancellation_id,
        _refund_id=refund_id,
        router=SimpleNamespace(url=SimpleNamespace(query_parameters={"n": str(cancellation_id)})),
        errors={},
        flash="",
        form_version=0,
        found=False,
        loaded=False,
        item=StaffCancellationItem(),
    )


def _bind(stand_in):
    from espace.state.staff_cancellations import StaffCancellationState

    stand_in._refresh = lambda staff_id: StaffCancellationState._refresh(stand_in, staff_id)
    stand_in._act = lambda me, call, success: StaffCancellationState._act(
        stand_in, me, call, success
    )
    return stand_in


def test_an_expert_can_neither_open_refuse_nor_mark_a_refund_paid(engine):
    from espace.billing.models import PremiumRefund
    from espace.state.staff_cancellations import StaffCancellationState

    cancellation_id, refund_id, contract_id, expert_id, _h, _p = factories.committed(
        _moved_with_refund
    )
    assert refund_id
    expert = _bind(_staff_self(expert_id, cancellation_id, refund_id))
    run_handler(StaffCancellationState.load, expert)
    assert not expert.found and "rôle" in expert.errors["form"]
    expert = _bind(_staff_self(expert_id, cancellation_id, refund_id))
    run_handler(StaffCancellationState.refuse, expert, {"reason": "Le justificatif est faux."})
    assert "rôle" in expert.errors["form"]
    run_handler(StaffCancellationState.mark_refund_paid, expert, {"reference": "VIR"})
    assert "rôle" in expert.errors["form"]
    with Session(get_engine()) as db:
        assert db.get(Contract, contract_id).end_date is not None
        assert db.get(Cancellation, cancellation_id).status == "received"
        assert db.get(PremiumRefund, refund_id).status == "to_pay"


def test_a_holder_or_nobody_is_sent_to_the_staff_login(engine):
    from espace.state.staff_cancellations import StaffCancellationState

    cancellation_id, refund_id, contract_id, _e, _h, person_id = factories.committed(
        _moved_with_refund
    )
    holder = _bind(_staff_self(None, cancellation_id, refund_id))
    holder._staff_id = None  # a holder's session: no staff id
    holder._holder_id = lambda: person_id
    for handler, args in (
        (StaffCancellationState.load, ()),
        (StaffCancellationState.refuse, ({"reason": "Refus par l'assuré lui-même."},)),
        (StaffCancellationState.mark_refund_paid, ({"reference": ""},)),
    ):
        assert run_handler(handler, holder, *args) == "login"
    nobody = _bind(_staff_self(None, cancellation_id, refund_id))
    assert run_handler(StaffCancellationState.refuse, nobody, {"reason": "x" * 20}) == "login"
    with Session(get_engine()) as db:
        assert db.get(Contract, contract_id).end_date is not None


def test_a_handler_opens_refuses_and_the_cover_is_back(engine):
    from espace.state.staff_cancellations import StaffCancellationState

    cancellation_id, refund_id, contract_id, _e, handler_id, _p = factories.committed(
        _moved_with_refund
    )
    handler = _bind(_staff_self(handler_id, cancellation_id))
    run_handler(StaffCancellationState.load, handler)
    assert handler.found and handler.can_refuse and handler._refund_id == refund_id
    assert [f.name for f in handler.files] == ["bail.pdf"]
    assert handler.ack_url.endswith(f"/{cancellation_id}/accuse")
    run_handler(StaffCancellationState.refuse, handler, {"reason": "court"})
    assert "reason" in handler.errors
    run_handler(
        StaffCancellationState.refuse,
        handler,
        {"reason": "Le bail fourni date de 2019 : il ne prouve pas le déménagement."},
    )
    assert handler.errors == {} and "rétablis" in handler.flash
    with Session(get_engine()) as db:
        assert db.get(Contract, contract_id).end_date is None
        assert db.get(Cancellation, cancellation_id).status == "refused"


def test_the_supporting_file_and_the_acknowledgement_over_http(engine):
    """Real requests on the private-file routes: the holder and handlers get the proof; another
    holder and an expert get 404 and nothing is logged for them; only staff get the
    acknowledgement through this route (holders have it in "Mes documents")."""
    from starlette.testclient import TestClient

    from espace import routes
    from espace.api.routes import build_api
    from espace.core.settings import get_settings
    from espace.identity import sessions
    from espace.identity.models import StaffReadLog
    from espace.lifecycle.models import CancellationFile

    def world(db):
        cancellation_id, _r, _c, expert_id, handler_id, person_id = _moved_with_refund(db)
        from espace.identity.models import Policyholder

        staff_token = {
            sid: sessions.complete_handoff(
                session=db, code=sessions.begin_login(session=db, staff_id=sid)
            )
            for sid in (expert_id, handler_id)
        }
        owner = factories.signed_in(db, db.get(Policyholder, person_id))[0]
        other = factories.signed_in(db, factories.holder(db))[0]
        file_id = db.exec(
            select(CancellationFile.id).where(CancellationFile.cancellation_id == cancellation_id)
        ).one()
        return cancellation_id, file_id, staff_token, owner, other, expert_id, handler_id

    cancellation_id, file_id, staff_token, owner, other, expert_id, handler_id = (
        factories.committed(world)
    )
    cookie = get_settings().session_cookie_name
    file_url = routes.cancellation_file_url(file_id)
    ack_url = routes.cancellation_ack_url(cancellation_id)
    with TestClient(build_api(), base_url="http://localhost:8000") as client:
        assert client.get(file_url).status_code == 401
        for token, file_status, ack_status in (
            (owner, 200, 404),
            (other, 404, 404),
            (staff_token[expert_id], 404, 404),
            (staff_token[handler_id], 200, 200),
        ):
            client.cookies.set(cookie, token)
            assert client.get(file_url).status_code == file_status
            response = client.get(ack_url)
            assert response.status_code == ack_status
            if ack_status == 200:
                assert response.content.startswith(b"%PDF")
    with Session(get_engine()) as db:
        readers = set(
            db.exec(
                select(StaffReadLog.staff_id).where(
                    StaffReadLog.object_type == "cancellation",
                    StaffReadLog.object_id == cancellation_id,
                )
            ).all()
        )
    assert handler_id in readers and expert_id not in readers
