"""The offline declaration's HTTP routes, by real requests: the form kept on the device, and the
declaration sent when the connection returns (through the wizard's own steps and rules)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from espace.api import claim_routes
from espace.api.routes import build_api
from espace.claims import declaration, offline
from espace.claims.models import Claim, ClaimFile, ClaimItem, ClaimStatus, OfflineSubmission
from espace.core.db import get_engine
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.core.settings import get_settings
from tests import factories

PATH = claim_routes.SUBMIT_PATH
ORIGIN = "http://localhost:8000"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def people(engine):
    """Two holders with a contract each and a signed-in session each, committed once for the module
    (the routes open their own database sessions; every test's database sees them)."""

    def build(db):
        found = {}
        for name in ("owner", "other"):
            person = factories.holder(db)
            contract = factories.contract(db, person)
            token, _ = factories.signed_in(db, person)
            found[name] = {
                "id": person.id,
                "contract_id": contract.id,
                "contract_number": contract.number,
                "token": token,
                "account_id": factories.account_of(db, person).id,
            }
        return found

    return factories.committed(build)


def _client(token: str | None) -> TestClient:
    client = TestClient(build_api(), base_url=ORIGIN)
    if token:
        client.cookies.set(get_settings().session_cookie_name, token)
    return client


def _fields(contract_id: int, **changes) -> dict:
    yesterday = (utcnow().astimezone(PARIS) - timedelta(days=1)).date()
    fields = {
        "contract": str(contract_id),
        "peril": "water_damage",
        "q_origin": "leak",
        "q_neighbour_involved": "no",
        "q_leak_stopped": "yes",
        "occurred_date": yesterday.isoformat(),
        "occurred_time": "08:30",
        "description": "Le chauffe-eau a fui dans la cave inondée.",
        "item_description": "Congélateur",
        "item_category": "appliances",
        "item_estimate": "450",
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


def _post(client, fields, *, key=None, photos=None, headers=None):
    sent_headers = {
        "Idempotency-Key": key or uuid.uuid4().hex,
        "Origin": ORIGIN,
        "Sec-Fetch-Site": "same-origin",
        **(headers or {}),
    }
    sent_headers = {name: value for name, value in sent_headers.items() if value is not None}
    files = [
        ("photos", (name, content, "image/jpeg"))
        for name, content in (photos if photos is not None else [("cave.jpg", _jpeg())])
    ]
    return client.post(PATH, data=fields, files=files, headers=sent_headers)


def _claims_of(holder_id: int) -> list[Claim]:
    with Session(get_engine()) as db:
        return list(db.exec(select(Claim).where(Claim.holder_id == holder_id)).all())


@pytest.fixture
def nothing_kept(people):
    """``nothing_kept()``: no claim and no key was added for either holder since the test began."""

    def counts():
        return {name: (len(_claims_of(p["id"])), _markers(p["id"])) for name, p in people.items()}

    before = counts()
    return lambda: counts() == before


def _markers(holder_id: int) -> int:
    with Session(get_engine()) as db:
        return db.exec(
            select(func.count())
            .select_from(OfflineSubmission)
            .where(OfflineSubmission.holder_id == holder_id)
        ).one()


# ---- the form kept on the device -------------------------------------------------------------


def test_form_holds_only_the_holders_own_contracts_and_the_perils(people):
    owner, other = people["owner"], people["other"]
    response = _client(owner["token"]).get(claim_routes.FORM_PATH)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert [c["number"] for c in data["contracts"]] == [owner["contract_number"]]
    assert other["contract_number"] not in response.text
    assert {p["code"] for p in data["perils"]} >= {"water_damage", "theft", "natural_disaster"}
    assert (
        data["holder"]
        and data["holder"] != _client(other["token"]).get(claim_routes.FORM_PATH).json()["holder"]
    )
    assert data["max_photos"] == offline.MAX_PHOTOS


def test_form_needs_a_session(people):
    response = _client(None).get(claim_routes.FORM_PATH)
    assert response.status_code == 401
    assert "Connectez-vous" in response.json()["error"]


# ---- sending ---------------------------------------------------------------------------------


def test_declaration_is_sent_with_its_photo_and_gets_its_number(people):
    owner = people["owner"]
    response = _post(_client(owner["token"]), _fields(owner["contract_id"]))
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    number = response.json()["number"]
    assert number.startswith("SIN-")
    with Session(get_engine()) as db:
        claim = db.exec(select(Claim).where(Claim.number == number)).one()
        assert claim.holder_id == owner["id"] and claim.status == ClaimStatus.RECEIVED
        assert claim.declared_by_account_id == owner["account_id"]
        assert claim.answers["origin"] == "leak" and claim.location_kind == "property"
        files = db.exec(select(ClaimFile).where(ClaimFile.claim_id == claim.id)).all()
        assert [(f.kind, f.filename) for f in files] == [("photo", "cave.jpg")]
        items = db.exec(select(ClaimItem).where(ClaimItem.claim_id == claim.id)).all()
        assert [(i.description, i.estimate_cents) for i in items] == [("Congélateur", 45_000)]


def test_the_same_key_sent_again_answers_with_the_same_claim(people):
    owner = people["owner"]
    client, key = _client(owner["token"]), uuid.uuid4().hex
    before = len(_claims_of(owner["id"]))
    first = _post(client, _fields(owner["contract_id"]), key=key)
    again = _post(client, _fields(owner["contract_id"]), key=key)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == {"number": first.json()["number"], "next_step": "", "duplicate": True}
    assert len(_claims_of(owner["id"])) == before + 1


def test_another_holder_reusing_a_key_never_gets_the_first_holders_claim(people):
    owner, other = people["owner"], people["other"]
    key = uuid.uuid4().hex
    mine = _post(_client(owner["token"]), _fields(owner["contract_id"]), key=key)
    theirs = _post(_client(other["token"]), _fields(other["contract_id"]), key=key)
    assert mine.status_code == 201 and theirs.status_code == 201
    assert theirs.json()["number"] != mine.json()["number"]


def test_another_holders_contract_is_refused_and_nothing_is_kept(people, nothing_kept):
    owner, other = people["owner"], people["other"]
    response = _post(_client(owner["token"]), _fields(other["contract_id"]))
    assert response.status_code == 422
    assert response.json()["errors"] == {"contract": "Choisissez un de vos contrats en cours."}
    assert nothing_kept()


def test_without_a_session_the_declaration_is_refused(people, nothing_kept):
    owner = people["owner"]
    response = _post(_client(None), _fields(owner["contract_id"]))
    assert response.status_code == 401
    assert response.json()["error"] == "Connectez-vous pour envoyer votre déclaration."
    expired = _post(_client("not-a-valid-session-token"), _fields(owner["contract_id"]))
    assert expired.status_code == 401
    assert nothing_kept()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": None},
        {"Sec-Fetch-Site": None, "Origin": "https://evil.example"},
    ],
    ids=["cross-site", "same-site", "foreign-origin"],
)
def test_a_request_from_another_site_is_refused(people, nothing_kept, headers):
    owner = people["owner"]
    response = _post(_client(owner["token"]), _fields(owner["contract_id"]), headers=headers)
    assert response.status_code == 403
    assert nothing_kept()


def test_a_request_without_the_devices_key_is_refused(people, nothing_kept):
    owner = people["owner"]
    for key in ("", "short", "x" * 65, "../../etc/passwd-and-more"):
        response = _post(
            _client(owner["token"]), _fields(owner["contract_id"]), headers={"Idempotency-Key": key}
        )
        assert response.status_code == 400, key
    assert nothing_kept()


def test_a_bad_photo_is_refused_with_nothing_kept_and_the_same_key_can_be_sent_again(
    people, nothing_kept
):
    owner = people["owner"]
    client, key = _client(owner["token"]), uuid.uuid4().hex
    refused = _post(
        client,
        _fields(owner["contract_id"]),
        key=key,
        photos=[("cave.jpg", b"MZ\x90\x00 this is a program, not a photo")],
    )
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"photos"}
    assert "cave.jpg" in refused.json()["errors"]["photos"]
    assert nothing_kept()
    corrected = _post(client, _fields(owner["contract_id"]), key=key)
    assert corrected.status_code == 201


def test_field_errors_come_back_in_french_by_field(people, nothing_kept):
    owner = people["owner"]
    response = _post(
        _client(owner["token"]),
        _fields(owner["contract_id"], q_origin=None, description="court", item_estimate="abc"),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["origin"] == "Choisissez une réponse."
    assert "10 caractères" in errors["description"]
    assert errors["item_estimate"].startswith("Montant invalide")
    assert nothing_kept()


def test_the_drafts_cap_applies(engine):
    def fill(db):  # a holder of its own: the module's holders must stay under the cap
        person = factories.holder(db)
        contract = factories.contract(db, person)
        for _ in range(declaration.MAX_OPEN_DRAFTS):
            declaration.start_draft(
                session=db, holder_id=person.id, account_id=None, contract_id=contract.id
            )
        return factories.signed_in(db, person)[0], contract.id

    token, contract_id = factories.committed(fill)
    response = _post(_client(token), _fields(contract_id))
    assert response.status_code == 422
    assert response.json()["errors"]["contract"] == declaration.TOO_MANY_DRAFTS


def test_too_many_photos_are_refused(people, nothing_kept):
    owner = people["owner"]
    photos = [(f"p{n}.jpg", _jpeg()) for n in range(offline.MAX_PHOTOS + 1)]
    response = _post(_client(owner["token"]), _fields(owner["contract_id"]), photos=photos)
    assert response.status_code in (400, 422)
    assert nothing_kept()


def test_a_request_over_the_size_limit_is_refused_before_anything_is_stored(
    people, nothing_kept, monkeypatch
):
    owner = people["owner"]
    monkeypatch.setattr(offline, "MAX_REQUEST_BYTES", 2048)
    response = _post(_client(owner["token"]), _fields(owner["contract_id"]))
    assert response.status_code == 413
    assert "trop volumineuse" in response.json()["error"]
    assert nothing_kept()
