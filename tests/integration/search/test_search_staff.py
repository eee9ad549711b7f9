"""Back-office search within each role's rights: handlers and managers find claims, holders (name,
e-mail, contract, claim number), claim messages and message threads; an expert finds only the claims
he is appointed to (and their holders), never another expert's, and no threads."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from espace.claims.models import Claim
from espace.contracts.models import Contract
from espace.demo.seed import DEMO_EMAIL
from espace.identity.models import Account, Policyholder, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.search import staff as staff_search
from espace.state.staff_search import StaffSearchState
from tests import factories
from tests.events import run_handler


def _camille(db) -> Policyholder:
    holder_id = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
    return db.get(Policyholder, holder_id)


def _water_claim(db, holder: Policyholder) -> Claim:
    return db.exec(
        select(Claim).where(Claim.holder_id == holder.id, Claim.peril == "water_damage")
    ).one()


def _keys(hits) -> set[str]:
    return {h.key for h in hits}


@pytest.fixture
def team(db):
    """A handler, a manager and two experts; the first expert is appointed to Camille's water
    claim."""
    people = {r: factories.staff(db, role=r) for r in ("handler", "manager", "expert")}
    people["other_expert"] = factories.staff(db, role="expert")
    camille = _camille(db)
    claim = _water_claim(db, camille)
    claim.expert_id = people["expert"].id
    db.add(claim)
    db.flush()
    return people, camille, claim


@pytest.mark.parametrize("role", ["handler", "manager"])
def test_handlers_and_managers_find_claims_holders_messages_and_threads(
    db, team, search_index, role
):
    people, camille, claim = team
    staff_id = people[role].id

    def found(query: str):
        return _keys(
            staff_search.search(session=db, staff_id=staff_id, query=query, index=search_index)
        )

    contract = db.exec(select(Contract.number).where(Contract.holder_id == camille.id)).first()
    assert f"claim:{claim.id}" in found(claim.number)
    assert f"holder:{camille.id}" in found(camille.email)
    assert f"holder:{camille.id}" in found(contract)
    assert f"holder:{camille.id}" in found(f"{camille.first_name} {camille.last_name}")
    assert f"holder:{camille.id}" in found(camille.last_name.lower())  # any case, no accents needed
    assert f"claim:{claim.id}" in found("ballon voisin du dessus parquet séjour")
    assert any(k.startswith("message:") for k in found("fixer la visite cette semaine"))
    assert any(k.startswith("thread:") for k in found("plombier reprise du parquet"))


def test_an_expert_finds_his_claims_and_their_holder_but_no_threads(db, team, search_index):
    people, camille, claim = team
    expert = people["expert"].id

    def found(query: str):
        return _keys(
            staff_search.search(session=db, staff_id=expert, query=query, index=search_index)
        )

    assert f"claim:{claim.id}" in found(claim.number)
    assert f"claim:{claim.id}" in found("ballon voisin du dessus parquet séjour")
    assert f"holder:{camille.id}" in found(camille.email)
    assert not any(k.startswith("thread:") for k in found("plombier reprise du parquet"))
    # Camille's storm claim is not his: neither by number nor by its words.
    storm = db.exec(
        select(Claim).where(Claim.holder_id == camille.id, Claim.peril != "water_damage")
    ).first()
    if storm is not None and storm.number:
        assert f"claim:{storm.id}" not in found(storm.number)
        assert f"claim:{storm.id}" not in found("tuiles arrachées tempête")


def test_an_expert_searching_another_experts_claim_finds_nothing(db, team, search_index):
    people, camille, claim = team
    other = people["other_expert"].id
    for query in (
        claim.number,
        "ballon voisin du dessus parquet séjour",
        "fixer la visite cette semaine",
        camille.email,
        f"{camille.first_name} {camille.last_name}",
        "plombier reprise du parquet",
    ):
        assert (
            staff_search.search(session=db, staff_id=other, query=query, index=search_index) == []
        ), query


def test_no_search_without_an_active_staff_account(db, team, search_index):
    people, _camille_, claim = team
    people["handler"].is_active = False
    db.add(people["handler"])
    db.flush()
    with pytest.raises(StaffForbidden):
        staff_search.search(
            session=db, staff_id=people["handler"].id, query=claim.number, index=search_index
        )
    with pytest.raises(StaffForbidden):
        staff_search.search(session=db, staff_id=0, query=claim.number, index=search_index)


def test_the_search_handler_refuses_another_experts_claim(engine, search_index, monkeypatch):
    """The attack at the handler level: expert B types expert A's claim number into the page."""
    monkeypatch.setattr(staff_search, "get_index", lambda: search_index)

    def setup(db):
        first, second = factories.staff(db, role="expert"), factories.staff(db, role="expert")
        claim = _water_claim(db, _camille(db))
        previous = claim.expert_id
        claim.expert_id = first.id
        db.add(claim)
        return first.id, second.id, claim.id, claim.number, previous

    first, second, claim_id, number, previous = factories.committed(setup)
    try:
        for staff_id, expected in ((second, set()), (first, {f"claim:{claim_id}"})):
            page = SimpleNamespace(query="", hits=[], searched=False, error="")
            page._staff_id = lambda staff_id=staff_id: staff_id
            page._to_staff_login = lambda: "login"
            page._run = lambda staff_id, page=page: StaffSearchState._run(page, staff_id)
            run_handler(StaffSearchState.submit, page, {"q": number})
            assert page.searched
            assert {f"{h.kind}:{h.url.split('=')[-1]}" for h in page.hits if h.kind == "claim"} == (
                {f"claim:{number}"} if expected else set()
            )
        nobody = SimpleNamespace(_staff_id=lambda: None, _to_staff_login=lambda: "login")
        assert run_handler(StaffSearchState.submit, nobody, {"q": number}) == "login"
    finally:

        def restore(db):
            claim = db.get(Claim, claim_id)
            claim.expert_id = previous
            db.add(claim)
            for staff_id in (first, second):
                user = db.get(StaffUser, staff_id)
                user.is_active = False
                db.add(user)

        factories.committed(restore)
