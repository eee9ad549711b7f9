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
from espace.state.cancellation import CancellationState, StaffCancellationsState
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
