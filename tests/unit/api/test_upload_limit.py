"""Reflex's upload endpoint buffers bodies before any handler runs: the middleware caps them."""

from __future__ import annotations

import asyncio

import pytest

from espace.api import headers


@pytest.fixture(autouse=True)
def signed_in(monkeypatch):
    """These requests carry a valid session (refusing the others is tested in
    test_upload_gate.py)."""
    monkeypatch.setattr(headers, "_has_valid_session", lambda scope: True)


def _run(scope, chunks):
    seen, sent = [], []
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive():
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        while True:
            message = await receive()
            seen.append(message["type"])
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    asyncio.run(headers.security_headers(app)(scope, receive, send))
    return seen, sent


def test_a_declared_oversized_upload_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(headers, "UPLOAD_REQUEST_LIMIT", 100)
    scope = {"type": "http", "path": "/_upload", "headers": [(b"content-length", b"101")]}
    seen, sent = _run(scope, [b"x" * 101])
    assert seen == [] and sent[0]["status"] == 413


def test_a_chunked_upload_stops_being_read_past_the_limit(monkeypatch):
    monkeypatch.setattr(headers, "UPLOAD_REQUEST_LIMIT", 100)
    scope = {"type": "http", "path": "/_upload", "headers": []}
    seen, _ = _run(scope, [b"x" * 60, b"x" * 60, b"x" * 60])
    assert seen == ["http.request", "http.disconnect"]


def test_other_routes_and_small_uploads_are_untouched(monkeypatch):
    monkeypatch.setattr(headers, "UPLOAD_REQUEST_LIMIT", 100)
    seen, sent = _run({"type": "http", "path": "/_upload", "headers": []}, [b"x" * 50, b"x" * 40])
    assert seen == ["http.request", "http.request"] and sent[0]["status"] == 200
    seen, _ = _run({"type": "http", "path": "/api/health", "headers": []}, [b"x" * 500])
    assert seen == ["http.request"]


def test_security_limits_are_pinned():
    """The tests above shrink the limit to stay small; these numbers are the real ones, and a
    change to them must be deliberate (and change this test)."""
    from espace.claims import uploads
    from espace.support import thread_rules

    assert uploads.MAX_BYTES == 10 * 1024 * 1024
    assert uploads.MAX_FILES_PER_CLAIM == 20
    assert thread_rules.MAX_FILES_PER_MESSAGE == 5
    assert headers.UPLOAD_REQUEST_LIMIT == 51 * 1024 * 1024


def test_the_real_limit_refuses_one_byte_more_before_reading():
    over = str(headers.UPLOAD_REQUEST_LIMIT + 1).encode()
    scope = {"type": "http", "path": "/_upload", "headers": [(b"content-length", over)]}
    seen, sent = _run(scope, [b"x"])
    assert seen == [] and sent[0]["status"] == 413
