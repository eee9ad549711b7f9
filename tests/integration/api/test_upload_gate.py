"""Reflex's /_upload endpoint reads the whole request before a handler runs: the middleware refuses
anonymous requests before reading their body, and caps what a signed-in one may send."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from espace.api.headers import UPLOAD_REQUEST_LIMIT, security_headers
from espace.claims import uploads
from espace.support import thread_rules
from tests import factories

MB = 1024 * 1024


def _post(*, cookie: str | None, length: int | None, chunks: list[int] = ()):
    """POST /_upload through the middleware to a stand-in of Reflex's endpoint, which reads every
    chunk."""
    read = SimpleNamespace(messages=[], status=None)
    pending = [
        {"type": "http.request", "body": b"x" * size, "more_body": n < len(chunks) - 1}
        for n, size in enumerate(chunks)
    ] or [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def reflex_upload(scope, receive, send):
        while True:
            message = await receive()
            read.messages.append(message["type"])
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def send(message):
        if message["type"] == "http.response.start":
            read.status = message["status"]

    headers = [
        (b"reflex-client-token", b"tab"),
        (b"reflex-event-handler", b"state.claim_wizard_state.upload"),
    ]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/_upload",
        "headers": headers,
        "client": ("198.18.9.1", 5000),
    }
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API may own this thread's event loop
        pool.submit(asyncio.run, security_headers(reflex_upload)(scope, receive, send)).result()
    return read


@pytest.fixture
def session_cookie(engine):
    token, _ = factories.committed(lambda db: factories.signed_in(db, factories.holder(db)))
    return f"espace_session={token}"


def test_the_cap_is_what_the_handlers_accept():
    assert (
        UPLOAD_REQUEST_LIMIT
        == thread_rules.MAX_FILES_PER_MESSAGE * uploads.MAX_BYTES + MB
        < 64 * MB
    )


@pytest.mark.parametrize("cookie", [None, "espace_session=forged", "other=1"])
def test_without_a_valid_session_nothing_is_read(engine, cookie):
    result = _post(cookie=cookie, length=40 * MB, chunks=[MB] * 40)
    assert result.status == 401 and result.messages == []


def test_a_declared_body_over_the_cap_is_refused_before_reading(session_cookie):
    result = _post(cookie=session_cookie, length=UPLOAD_REQUEST_LIMIT + 1, chunks=[MB] * 52)
    assert result.status == 413 and result.messages == []


def test_a_chunked_body_stops_being_read_past_the_cap(session_cookie):
    result = _post(cookie=session_cookie, length=None, chunks=[4 * MB] * 20)
    assert result.messages[-1] == "http.disconnect"
    assert len(result.messages) == UPLOAD_REQUEST_LIMIT // (4 * MB) + 1


def test_a_signed_in_upload_within_the_cap_goes_through(session_cookie):
    result = _post(cookie=session_cookie, length=30 * MB, chunks=[10 * MB] * 3)
    assert result.status == 200 and result.messages == ["http.request"] * 3
