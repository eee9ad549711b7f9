"""The insurer's API under /api/v1, through the app's own routes (``build_api``): the walk of a core
system (holder, property, contract, document, claim moved through its stages), idempotency keys,
authentication, scopes, rate limits, audit, pagination and JSON errors that leave nothing
half-written."""

from __future__ import annotations

import pytest
from sqlmodel import func, select
from starlette.testclient import TestClient

from espace.api.routes import build_api
from espace.claims.models import Claim, ClaimEvent
from espace.core.db import session_scope
from espace.documents.models import Document
from espace.identity.models import Policyholder
from espace.integration import clients
from espace.integration.models import ApiCall, ApiIdempotencyKey
from tests.integration.integration.api_support import (
    auth,
    claim_body,
    contract_body,
    holder_body,
    new_client,
    pdf_b64,
    property_body,
)

V1 = "/api/v1"


@pytest.fixture
def api(engine):
    with TestClient(build_api(), base_url="http://localhost:8000") as test_client:
        yield test_client


@pytest.fixture
def token(engine) -> str:
    return new_client("*")[1]


def _count(model, *where) -> int:
    with session_scope() as db:
        return db.exec(select(func.count()).select_from(model).where(*where)).one()


def _portfolio(api, token) -> tuple[dict, dict, dict]:
    holder = api.post(f"{V1}/holders", json=holder_body(), headers=auth(token))
    assert holder.status_code == 201, holder.text
    holder = holder.json()
    prop = api.post(
        f"{V1}/holders/{holder['id']}/properties", json=property_body(), headers=auth(token)
    )
    assert prop.status_code == 201, prop.text
    contract = api.post(
        f"{V1}/contracts",
        json=contract_body(holder["id"], prop.json()["id"]),
        headers=auth(token),
    )
    assert contract.status_code == 201, contract.text
    return holder, prop.json(), contract.json()


def test_a_core_system_creates_a_holder_a_contract_a_document_and_moves_a_claim(api, token):
    holder, prop, contract = _portfolio(api, token)
    assert contract["number"].startswith("MRH") and contract["formula"] == "CONFORT"
    assert contract["terms"][0]["effective_from"] == "2026-01-01"

    document = api.post(
        f"{V1}/documents",
        json={
            "holder_id": holder["id"],
            "contract_id": contract["id"],
            "kind": "conditions",
            "title": "Conditions particulières",
            "content_base64": pdf_b64(),
        },
        headers=auth(token),
    )
    assert document.status_code == 201, document.text
    with session_scope() as db:
        row = db.get(Document, document.json()["id"])
        assert (row.holder_id, row.kind, row.size_bytes > 0) == (holder["id"], "conditions", True)

    claim = api.post(f"{V1}/claims", json=claim_body(contract["id"]), headers=auth(token))
    assert claim.status_code == 201, claim.text
    claim = claim.json()
    assert claim["status"] == "received" and claim["number"].startswith("SIN-")
    moved = api.post(
        f"{V1}/claims/{claim['id']}/actions",
        json={"action": "appoint_expert"},
        headers=auth(token),
    )
    assert moved.status_code == 200, moved.text
    assessed = api.post(
        f"{V1}/claims/{claim['id']}/actions",
        json={"action": "assess", "damage_cents": 300_000},
        headers=auth(token),
    )
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["status"] == "indemnity_computed"
    message = api.post(
        f"{V1}/claims/{claim['id']}/messages",
        json={"body": "L'expert passera la semaine prochaine."},
        headers=auth(token),
    )
    assert message.status_code == 200 and message.json()["messages"][-1]["from_holder"] is False
    kinds = [
        e["kind"]
        for e in api.get(f"{V1}/claims/{claim['id']}", headers=auth(token)).json()["events"]
    ]
    assert kinds[:3] == ["received", "expert_appointed", "indemnity_computed"]

    payments = api.get(
        f"{V1}/payments", params={"contract_id": contract["id"]}, headers=auth(token)
    ).json()
    assert payments["data"] and all(p["contract_id"] == contract["id"] for p in payments["data"])


def test_a_retried_write_with_the_same_key_creates_once_and_gets_the_same_answer(api, token):
    body = holder_body()
    before = _count(Policyholder)
    first = api.post(f"{V1}/holders", json=body, headers=auth(token, key="retry-1"))
    again = api.post(f"{V1}/holders", json=body, headers=auth(token, key="retry-1"))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert _count(Policyholder) == before + 1


def test_the_same_key_with_another_body_is_a_clear_409_and_writes_nothing(api, token):
    api.post(f"{V1}/holders", json=holder_body(), headers=auth(token, key="reused"))
    before = _count(Policyholder)
    other = api.post(f"{V1}/holders", json=holder_body(), headers=auth(token, key="reused"))
    assert other.status_code == 409
    assert other.json()["error"] == "idempotency_conflict" and "clé" in other.json()["message"]
    assert _count(Policyholder) == before


def test_a_write_without_an_idempotency_key_is_refused(api, token):
    headers = {"Authorization": f"Bearer {token}"}
    response = api.post(f"{V1}/holders", json=holder_body(), headers=headers)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_keys_belong_to_their_client(api, token):
    other = new_client("holders")[1]
    first = api.post(f"{V1}/holders", json=holder_body(), headers=auth(token, key="shared"))
    second = api.post(f"{V1}/holders", json=holder_body(), headers=auth(other, key="shared"))
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


# ----- bad input: a clear JSON error, nothing half-written -------------------------------------


def test_bad_input_gets_french_messages_by_field(api, token):
    response = api.post(f"{V1}/holders", json=holder_body(postal_code="99999"), headers=auth(token))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert "postal_code" in response.json()["fields"]


def test_a_claim_refused_halfway_leaves_no_draft_behind(api, token):
    _, _, contract = _portfolio(api, token)
    before = _count(Claim)
    response = api.post(
        f"{V1}/claims",
        json=claim_body(contract["id"], answers={"origin": "leak"}),  # questions left unanswered
        headers=auth(token),
    )
    assert response.status_code == 422 and response.json()["fields"]
    assert _count(Claim) == before  # the draft started before the error was rolled back
    with session_scope() as db:
        assert (
            db.exec(select(ApiIdempotencyKey).where(ApiIdempotencyKey.status_code == 0)).all() == []
        )


def test_malformed_json_unknown_fields_and_routes_are_json_errors(api, token):
    broken = api.post(
        f"{V1}/holders",
        content=b"{not json",
        headers={**auth(token), "Content-Type": "application/json"},
    )
    assert broken.status_code == 400 and broken.json()["error"] == "bad_request"
    extra = api.post(f"{V1}/holders", json=holder_body(admin=True), headers=auth(token))
    assert extra.status_code == 422
    missing = api.get(f"{V1}/nope", headers=auth(token))
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    unknown = api.get(f"{V1}/holders/999999", headers=auth(token))
    assert unknown.status_code == 404 and unknown.json()["message"] == "Introuvable."
    repeated = api.get(f"{V1}/holders?limit=1&limit=2", headers=auth(token))
    assert repeated.status_code == 422


# ----- authentication, scopes, revocation, rotation ---------------------------------------------

WRITES = [
    ("holders", "post", "/holders", lambda ids: holder_body()),
    ("holders", "patch", "/holders/{holder}", lambda ids: {"phone": "07 11 22 33 44"}),
    ("holders", "post", "/holders/{holder}/properties", lambda ids: property_body()),
    ("contracts", "post", "/contracts", lambda ids: contract_body(ids["holder"], ids["property"])),
    (
        "documents",
        "post",
        "/documents",
        lambda ids: {
            "holder_id": ids["holder"],
            "kind": "courrier",
            "title": "Un courrier",
            "content_base64": pdf_b64(),
        },
    ),
    ("claims", "post", "/claims", lambda ids: claim_body(ids["contract"])),
    ("claims", "post", "/claims/{claim}/actions", lambda ids: {"action": "close"}),
    ("claims", "post", "/claims/{claim}/messages", lambda ids: {"body": "Bonjour"}),
    ("payments", "post", "/payments/{payment}/events", lambda ids: {"event": "paid"}),
    (
        "webhooks",
        "post",
        "/webhooks/endpoints",
        lambda ids: {"url": "https://assureur.example/hooks", "event_types": ["*"]},
    ),
]
READS = [
    ("holders", "/holders"),
    ("holders", "/holders/{holder}"),
    ("holders", "/holders/{holder}/properties"),
    ("contracts", "/contracts"),
    ("contracts", "/contracts/{contract}"),
    ("contracts", "/catalogue"),
    ("payments", "/payments"),
    ("payments", "/payments/{payment}"),
    ("documents", "/documents"),
    ("claims", "/claims"),
    ("claims", "/claims/{claim}"),
    ("requests", "/requests"),
    ("webhooks", "/webhooks/endpoints"),
    ("webhooks", "/webhooks/deliveries"),
]


@pytest.fixture(scope="module")
def ids(engine):
    with TestClient(build_api(), base_url="http://localhost:8000") as api:
        token = new_client("*")[1]
        holder, prop, contract = _portfolio(api, token)
        claim = api.post(f"{V1}/claims", json=claim_body(contract["id"]), headers=auth(token))
        payment = api.get(
            f"{V1}/payments",
            params={"contract_id": contract["id"], "status": "scheduled"},
            headers=auth(token),
        ).json()["data"][0]
        return {
            "holder": holder["id"],
            "property": prop["id"],
            "contract": contract["id"],
            "claim": claim.json()["id"],
            "payment": payment["id"],
        }


def _snapshot() -> list[int]:
    from espace.billing.models import Payment
    from espace.claims.models import ClaimMessage
    from espace.contracts.models import Contract, InsuredProperty
    from espace.webhooks.models import WebhookEndpoint

    with session_scope() as db:
        counts = [
            db.exec(select(func.count()).select_from(m)).one()
            for m in (
                Policyholder,
                InsuredProperty,
                Contract,
                Document,
                Claim,
                ClaimEvent,
                ClaimMessage,
                WebhookEndpoint,
            )
        ]
        counts.append(db.exec(select(func.count()).where(Payment.status == "paid")).one())
        counts.append(hash(tuple(db.exec(select(Policyholder.phone)).all())))
        return counts


@pytest.mark.parametrize(("resource", "method", "path", "body"), WRITES, ids=[w[2] for w in WRITES])
def test_an_unauthenticated_or_wrong_scope_write_gets_401_403_and_changes_nothing(
    api, ids, resource, method, path, body
):
    url = V1 + path.format(**ids)
    before = _snapshot()
    anonymous = api.request(method, url, json=body(ids), headers={"Idempotency-Key": "anon"})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "unauthorized"
    forged = api.request(method, url, json=body(ids), headers=auth("esp_nope.forged"))
    assert forged.status_code == 401
    read_only = new_client(f"{resource}:read")[1]
    wrong = api.request(method, url, json=body(ids), headers=auth(read_only))
    assert wrong.status_code == 403 and wrong.json()["error"] == "forbidden"
    other_resource = new_client("requests")[1]
    assert api.request(method, url, json=body(ids), headers=auth(other_resource)).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize(("resource", "path"), READS, ids=[r[1] for r in READS])
def test_an_unauthenticated_or_wrong_scope_read_gets_401_403(api, ids, resource, path):
    url = V1 + path.format(**ids)
    assert api.get(url).status_code == 401
    other = "holders" if resource != "holders" else "claims"
    assert api.get(url, headers=auth(new_client(f"{other}:read")[1])).status_code == 403
    assert api.get(url, headers=auth(new_client(f"{resource}:read")[1])).status_code == 200


def test_a_revoked_client_and_a_rotated_secret_stop_working(api):
    client_id, token = new_client("holders")
    assert api.get(f"{V1}/holders", headers=auth(token)).status_code == 200
    with session_scope() as db:
        fresh = clients.rotate(session=db, client_id=client_id)
    assert api.get(f"{V1}/holders", headers=auth(token)).status_code == 401
    assert api.get(f"{V1}/holders", headers=auth(fresh)).status_code == 200
    with session_scope() as db:
        clients.revoke(session=db, client_id=client_id)
    assert api.get(f"{V1}/holders", headers=auth(fresh)).status_code == 401


def test_the_secret_is_stored_as_a_digest_only(engine):
    client_id, token = new_client("holders")
    with session_scope() as db:
        row = db.get(clients.ApiClient, client_id)
        assert token.split(".", 1)[1] not in (row.secret_hash, row.key_id)
        assert len(row.secret_hash) == 64


def test_the_rate_limit_is_per_client_and_answers_429(api):
    _, token = new_client("holders", rate_limit_per_minute=2)
    _, other = new_client("holders", rate_limit_per_minute=2)
    codes = [api.get(f"{V1}/holders", headers=auth(token)).status_code for _ in range(3)]
    assert codes[:2] == [200, 200]
    if codes[2] != 429:  # the minute turned between two calls: the third window starts afresh
        codes.append(api.get(f"{V1}/holders", headers=auth(token)).status_code)
        codes.append(api.get(f"{V1}/holders", headers=auth(token)).status_code)
    assert 429 in codes
    limited = next(
        r
        for r in (api.get(f"{V1}/holders", headers=auth(token)) for _ in range(3))
        if r.status_code == 429
    )
    assert limited.json()["error"] == "rate_limited" and int(limited.headers["retry-after"]) <= 60
    assert api.get(f"{V1}/holders", headers=auth(other)).status_code == 200


def test_every_call_is_audited_with_client_route_object_and_result(api):
    client_id, token = new_client("holders")
    created = api.post(f"{V1}/holders", json=holder_body(), headers=auth(token, key="audit-1"))
    api.get(f"{V1}/holders/{created.json()['id']}", headers=auth(token))
    api.post(f"{V1}/contracts", json={}, headers=auth(token))
    with session_scope() as db:
        rows = db.exec(
            select(ApiCall).where(ApiCall.client_id == client_id).order_by(ApiCall.id)
        ).all()
    assert [(r.method, r.route, r.status_code) for r in rows] == [
        ("POST", "/holders", 201),
        ("GET", "/holders/{holder_id}", 200),
        ("POST", "/contracts", 403),
    ]
    assert rows[0].object_ref == f"holder:{created.json()['id']}"
    assert rows[0].idempotency_key == "audit-1"


def test_lists_are_paginated_with_a_cursor(api, token):
    for _ in range(3):
        api.post(f"{V1}/holders", json=holder_body(), headers=auth(token))
    seen, cursor = [], None
    for _ in range(_count(Policyholder)):  # every page of 2, whatever earlier tests added
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.get(f"{V1}/holders", params=params, headers=auth(token)).json()
        assert len(page["data"]) <= 2
        seen += [h["id"] for h in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(set(seen)) and len(seen) == _count(Policyholder)
    bad = api.get(f"{V1}/holders", params={"cursor": "!!"}, headers=auth(token))
    assert bad.status_code == 422 and "cursor" in bad.json()["fields"]


def test_the_openapi_document_and_offline_docs_are_served(api):
    schema = api.get(f"{V1}/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["servers"] == [{"url": "/api/v1"}]
    assert "HTTPBearer" in schema.json()["components"]["securitySchemes"]
    docs = api.get(f"{V1}/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr" not in docs.text


def test_an_endorsement_agreed_with_the_holder_gets_new_terms_and_its_avenant_pdf(api, token):
    from datetime import timedelta

    from espace.core.models import today_paris, utcnow
    from espace.identity.models import Account

    holder, _, contract = _portfolio(api, token)
    effective = (today_paris() + timedelta(days=10)).isoformat()
    body = {"effective_date": effective, "formula": "INTEGRALE"}
    without_account = api.post(
        f"{V1}/contracts/{contract['id']}/endorsements", json=body, headers=auth(token)
    )
    assert without_account.status_code == 422 and "contract_id" in without_account.json()["fields"]
    with session_scope() as db:
        db.add(
            Account(
                holder_id=holder["id"],
                email=holder["email"],
                password_hash="!",
                activated_at=utcnow(),
            )
        )
    endorsed = api.post(
        f"{V1}/contracts/{contract['id']}/endorsements", json=body, headers=auth(token)
    )
    assert endorsed.status_code == 200, endorsed.text
    terms = endorsed.json()["terms"]
    assert [t["formula"] for t in terms] == ["CONFORT", "INTEGRALE"]
    assert terms[-1]["effective_from"] == effective
    with session_scope() as db:
        avenants = db.exec(
            select(Document).where(Document.holder_id == holder["id"], Document.kind == "avenant")
        ).all()
    assert len(avenants) == 1 and avenants[0].contract_id == contract["id"]


def test_the_periodic_purge_drops_old_keys_windows_and_calls(db):
    from datetime import timedelta

    from espace.core.models import utcnow
    from espace.integration.models import ApiRateWindow

    client_id, _ = new_client("holders")
    now = utcnow()
    old = now - timedelta(days=400)
    db.add(ApiRateWindow(client_id=client_id, window=old.strftime("%Y-%m-%dT%H:%M"), count=3))
    db.add(ApiIdempotencyKey(client_id=client_id, key="ancienne", request_hash="x", created_at=old))
    db.add(ApiIdempotencyKey(client_id=client_id, key="récente", request_hash="x", created_at=now))
    db.add(ApiCall(client_id=client_id, at=old, method="GET", route="/", path="/", status_code=200))
    db.flush()
    purged = clients.purge(session=db, now=now)
    assert (purged.windows, purged.keys, purged.calls) >= (1, 1, 1)
    keys = db.exec(select(ApiIdempotencyKey.key).where(ApiIdempotencyKey.client_id == client_id))
    assert keys.all() == ["récente"]
