"""Contract tests: schemathesis generates requests from /api/v1/openapi.json (valid and invalid
ones, without and with the token) and checks every answer: no 5xx, every response conforms to the
schema (status codes, content types, bodies), unauthenticated calls are refused (ST401), repeated
query parameters and unknown fields are refused, 4xx bodies follow the Error schema.

It runs in-process on the app's own routes (``build_api``) over a database of its own, migrated and
seeded like a fresh ``./run.sh``, so the writes it makes do not leak into other tests."""

from __future__ import annotations

import hashlib
import secrets

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from espace.api.routes import build_api
from espace.core import db as core_db
from espace.core.db import make_engine
from espace.integration.models import ApiClient
from tests.integration.integration.api_support import new_client
from tests.seeded import seeded_database

# format "email": addresses email-validator accepts (hypothesis' own use reserved TLDs, refused)
schemathesis.openapi.format("email", st.from_regex(r"\A[a-z0-9]{1,12}@[a-z]{2,12}\.fr\Z"))

# The token is known at collection (schemathesis applies auth while generating); the client row
# behind it is created in the module's own database by the fixture.
KEY_ID, SECRET = "contract" + secrets.token_hex(4), secrets.token_urlsafe(32)
TOKEN = f"esp_{KEY_ID}.{SECRET}"
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", build_api())
# A schema-valid request may still break a business rule the schema cannot state (a postal code
# of no French département, a cursor the API never issued, a claim not at the right stage, a
# period with no debit due): the API answers 422 with French messages by field, which the schema
# documents and this check accepts; every other check stays as schemathesis ships it.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx",
    "401",
    "403",
    "404",
    "409",
    "422",
    "429",
]


@schema.auth()
class ClientToken:
    def get(self, case, ctx):
        return TOKEN

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(scope="module", autouse=True)
def own_database(tmp_path_factory, engine):
    """The API on a database of its own: the session's seeded one (``engine``: its files and key
    are this process's) copied."""
    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'espace.db'}"
    seeded_database(url)
    own = make_engine(url)
    patch = pytest.MonkeyPatch()
    patch.setattr(core_db, "get_engine", lambda: own)
    client_id, _ = new_client("*", rate_limit_per_minute=1_000_000)
    with core_db.session_scope() as db:
        row = db.get(ApiClient, client_id)
        row.key_id, row.secret_hash = KEY_ID, hashlib.sha256(SECRET.encode()).hexdigest()
        db.add(row)
    yield
    patch.undo()
    own.dispose()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_to_its_openapi_document(case):
    case.call_and_validate()
