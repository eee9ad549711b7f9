"""One storage contract, run on both backends: the local folder (embedded default) and S3-compatible
object storage (moto's server, started here as a separate process, spoken to over HTTP by boto3).

Then the app's own storage functions and the authenticated download route on object storage: a claim
photo stored through the claims domain (``espace.claims``) lands in the bucket (not on disk) and
streams back through ``/api/sinistres/fichiers/<id>``, only to its holder.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta

import pytest

from espace.core import file_store
from espace.core.settings import get_settings
from espace.testing_servers import Unavailable, s3_server

KEY_A = "ab/" + "a" * 32 + ".pdf"
KEY_B = "cd/" + "b" * 32 + ".jpg"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    try:
        with s3_server(tmp_path_factory.mktemp("moto")) as server:
            yield server
    except Unavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return file_store.LocalFolderStore(tmp_path / "private")
    server = request.getfixturevalue("s3")
    created = file_store.S3Store(
        endpoint=server.endpoint,
        bucket=server.bucket,
        access_key=server.access_key,
        secret_key=server.secret_key,
        region=server.region,
        prefix=f"t{os.urandom(4).hex()}/",  # each test sees an empty store
    )
    return created


def test_put_get_exists_delete(store):
    assert not store.exists(KEY_A)
    store.put(KEY_A, b"%PDF-1.4 hello")
    assert store.exists(KEY_A)
    assert store.get(KEY_A) == b"%PDF-1.4 hello"
    store.put(KEY_A, b"replaced")
    assert store.get(KEY_A) == b"replaced"
    assert store.delete(KEY_A) == len(b"replaced")
    assert not store.exists(KEY_A)
    assert store.delete(KEY_A) == 0  # already gone


def test_missing_files_raise_file_not_found_before_streaming(store):
    with pytest.raises(FileNotFoundError):
        store.get(KEY_B)
    with pytest.raises(FileNotFoundError):
        store.chunks(KEY_B)  # the call itself, so that a route can still answer 404


def test_large_file_streams_back_in_chunks_identical(store):
    data = os.urandom(3 * file_store.CHUNK + 123)
    store.put(KEY_B, data)
    parts = list(store.chunks(KEY_B, 64 * 1024))
    assert len(parts) >= 2
    assert hashlib.sha256(b"".join(parts)).hexdigest() == hashlib.sha256(data).hexdigest()


def test_stored_lists_keys_with_size_and_utc_time(store, tmp_path):
    # The disk's and the S3 server's clocks: real ones, even when the suite runs at another date
    # (scripts/at_date.sh moves only the processes' clocks).
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    before = datetime.fromtimestamp(probe.stat().st_mtime, UTC) - timedelta(minutes=5)
    store.put(KEY_A, b"1234")
    store.put(KEY_B, b"123456")
    listed = {key: (modified, size) for key, modified, size in store.stored()}
    assert set(listed) == {KEY_A, KEY_B}
    assert listed[KEY_A][1] == 4 and listed[KEY_B][1] == 6
    for modified, _ in listed.values():
        assert modified.tzinfo is not None and modified > before
    store.delete(KEY_A)
    assert [key for key, _, _ in store.stored()] == [KEY_B]


# ----- the app on object storage ------------------------------------------------------------------


@pytest.fixture
def on_s3(s3, monkeypatch):
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield file_store.current()
    get_settings.cache_clear()
    for name in s3.env():
        monkeypatch.delenv(name)
    get_settings.cache_clear()


def test_configured_bucket_selects_object_storage_and_app_files_go_there(on_s3, test_tmp):
    from espace.core import storage

    assert on_s3.name == "s3"
    key, digest = storage.put(b"photo bytes", extension="jpg")
    assert not (test_tmp / "private" / key).exists()  # not on this machine's disk
    assert on_s3.get(key) == b"photo bytes"
    assert storage.get(key) == b"photo bytes" and storage.exists(key)
    assert digest == hashlib.sha256(b"photo bytes").hexdigest()
    assert key in {k for k, _, _ in storage.stored()}
    assert storage.delete(key) == len(b"photo bytes")
    assert not storage.exists(key)
    with pytest.raises(FileNotFoundError):
        storage.get("../../etc/passwd")  # keys are checked whatever the backend


def test_without_a_bucket_files_stay_in_the_local_folder(test_tmp):
    from espace.core import storage

    assert file_store.current().name == "local"
    key, _ = storage.put(b"x", extension="pdf")
    try:
        assert (test_tmp / "private" / key).read_bytes() == b"x"
    finally:
        storage.delete(key)


def test_claim_photo_on_object_storage_streams_to_its_holder_only(on_s3, engine):
    """The real route, on files in the bucket: the holder gets the photo, another holder a 404."""
    import io

    from PIL import Image
    from starlette.testclient import TestClient

    from espace.api.routes import build_api
    from espace.claims import declaration, declaration_contents
    from espace.core.db import session_scope
    from espace.identity import sessions
    from tests import factories

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "red").save(buffer, "JPEG")
    photo = buffer.getvalue()
    with session_scope() as db:
        owner, other = factories.holder(db), factories.holder(db)
        contract = factories.contract(db, owner)
        claim = declaration.start_draft(
            session=db, holder_id=owner.id, account_id=None, contract_id=contract.id
        )
        record = declaration_contents.add_file(
            session=db, claim=claim, data=photo, filename="degats.jpg"
        )
        db.flush()
        file_id, key = record.id, record.storage_key
        tokens = [
            sessions.complete_handoff(
                session=db,
                code=sessions.begin_login(
                    session=db, account_id=factories.account_of(db, person).id
                ),
            )
            for person in (owner, other)
        ]
    owner_token, other_token = tokens
    assert on_s3.get(key) == photo
    cookie = get_settings().session_cookie_name

    def fetch(token: str | None):
        client = TestClient(build_api())
        if token:
            client.cookies.set(cookie, token)
        return client.get(f"/api/sinistres/fichiers/{file_id}")

    mine = fetch(owner_token)
    assert mine.status_code == 200 and mine.content == photo
    assert mine.headers["cache-control"] == "no-store"
    theirs = fetch(other_token)
    assert theirs.status_code == 404
    anonymous = fetch(None)
    assert anonymous.status_code == 401
    on_s3.delete(key)  # gone from the bucket: 404, not a 500
    gone = fetch(owner_token)
    assert gone.status_code == 404
