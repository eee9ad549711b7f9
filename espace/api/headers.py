"""ASGI middleware adding security headers to every HTTP response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(self), geolocation=(self), microphone=()"),
]


# Reflex's upload endpoint buffers the request before our handlers see the files: refuse bodies
# far beyond what a valid upload can be (a few 10 MB files at once), so that nobody fills the disk.
UPLOAD_PATH = "/_upload"
UPLOAD_REQUEST_LIMIT = 64 * 1024 * 1024


async def _too_large(send) -> None:
    body = "Envoi trop volumineux : 10 Mo au plus par fichier.".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


def _capped(receive):
    """Stop reading an upload body past the limit: the request ends as if the client had gone."""
    read = 0

    async def wrapped() -> Message:
        nonlocal read
        message = await receive()
        if message["type"] == "http.request":
            read += len(message.get("body", b""))
            if read > UPLOAD_REQUEST_LIMIT:
                return {"type": "http.disconnect"}
        return message

    return wrapped


def security_headers(app: ASGIApp) -> ASGIApp:
    """Wrap ``app``. HTML pages also get ``Cache-Control: no-store``: after logout, the back
    button must reload the page (which then finds no session) instead of showing a cached copy."""

    async def wrapped(scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if scope.get("path", "").startswith(UPLOAD_PATH):
            if _declared_length(scope) > UPLOAD_REQUEST_LIMIT:
                await _too_large(send)
                return
            receive = _capped(receive)  # a chunked body has no length: count what is actually read

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"
                           or not _is_html(message)]
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _ALWAYS if k not in present]
                if _is_html(message):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped


def _is_html(message: Message) -> bool:
    for key, value in message.get("headers", []):
        if key.lower() == b"content-type":
            return value.startswith(b"text/html")
    return False
