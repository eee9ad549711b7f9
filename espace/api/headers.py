"""ASGI middleware around the whole app (pages, API routes, Reflex's upload endpoint).

- Security headers on every HTTP response; on HTML pages a Content-Security-Policy whose
  ``script-src`` lists the SHA-256 of each inline script of that very page, and HSTS in production.
- Reflex's ``/_upload`` endpoint reads the whole request before the handler runs: a request without
  a valid session is refused before its body is read, and no request may exceed what the upload
  handlers accept.
- The development mailbox (``/dev/boite-mail``) exists only outside production, for this machine.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import re
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from espace import routes
from espace.api.client import request_is_local
from espace.claims import uploads
from espace.core.settings import get_settings
from espace.support import thread_rules

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]

log = logging.getLogger(__name__)

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(self), geolocation=(self), microphone=()"),
]
HSTS = b"max-age=63072000; includeSubDomains"  # two years; served only in production / over HTTPS

# Reflex's upload endpoint buffers the request before our handlers see the files. The largest valid
# request is a message with its 5 attachments of 10 Mo (a claim's drop zone takes the same per
# file); 1 Mo more covers the multipart framing and the form fields.
UPLOAD_PATH = "/_upload"
UPLOAD_REQUEST_LIMIT = thread_rules.MAX_FILES_PER_MESSAGE * uploads.MAX_BYTES + 1024 * 1024

DEV_PREFIX = "/dev/"  # the development mailbox (routes.OUTBOX) and nothing else lives here
assert routes.OUTBOX.startswith(DEV_PREFIX)


# ---- Content-Security-Policy ---------------------------------------------------------------------
#
# What Reflex 0.10.1's production build needs (read from .web/ after a build and from its state.js):
# - inline <script> blocks in every prerendered page (theme, scroll restoration, React Router's
#   context and module entry, our head scripts): allowed by their hashes, computed from the page
#   being served;
# - eval: `rx.call_script` (full navigations, focus, history updates) runs `eval(javascript_code)`
#   in state.js, so 'unsafe-eval' stays until no handler uses call_script;
# - inline styles: Emotion inserts <style> elements at run time and components set style attributes,
#   neither can carry a hash or nonce in Reflex, hence style-src 'unsafe-inline';
# - the event socket (ws/wss) and uploads go to ESPACE_PUBLIC_BASE_URL (connect-src);
# - data: images (the authenticator QR code), blob: images (photo previews), the service worker.
_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC_ATTRIBUTE = re.compile(rb"\ssrc\s*=", re.IGNORECASE)
_MAX_HTML_BYTES = 4 * 1024 * 1024
_hashes: OrderedDict[bytes, list[str]] = (
    OrderedDict()
)  # page digest -> its script hashes, last pages served


def inline_script_hashes(html: bytes) -> list[str]:
    """``'sha256-…'`` of each inline script of ``html`` (in order, without repeats)."""
    found: dict[str, None] = {}
    for attributes, body in _INLINE_SCRIPT.findall(html):
        if not _SRC_ATTRIBUTE.search(b" " + attributes):
            found[f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"] = None
    return list(found)


def _origins(base_url: str) -> list[str]:
    scheme, _, rest = base_url.partition("://")
    socket_scheme = "wss" if scheme == "https" else "ws"
    return [f"{scheme}://{rest}", f"{socket_scheme}://{rest}"]


def content_security_policy(script_hashes: list[str] | None = None) -> bytes:
    """The policy of one HTML page, allowing the inline scripts of these hashes only."""
    settings = get_settings()
    scripts = " ".join(["'self'", "'unsafe-eval'", *(script_hashes or [])])
    directives = [
        "default-src 'self'",
        f"script-src {scripts}",
        "script-src-attr 'none'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        f"connect-src 'self' {' '.join(_origins(settings.public_base_url))}",
        "worker-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if settings.secure_cookies:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives).encode()


def _page_script_hashes(body: bytes, encoding: bytes) -> list[str]:
    key = hashlib.sha256(encoding + b":" + body).digest()
    found = _hashes.get(key)
    if found is None:
        html: bytes | None
        try:
            html = (
                gzip.decompress(body)
                if encoding == b"gzip"
                else zlib.decompress(body)
                if encoding == b"deflate"
                else body
                if encoding in (b"", b"identity")
                else None
            )
        except (OSError, zlib.error, EOFError):
            html = None
        if html is None:
            log.warning(
                "HTML page in an encoding the policy cannot read (%r): its inline scripts are "
                "blocked",
                encoding,
            )
        found = _hashes[key] = inline_script_hashes(html or b"")
        while len(_hashes) > 256:
            _hashes.popitem(last=False)
    return found


def _file_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_HTML_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= _MAX_HTML_BYTES else None


# ---- helpers on raw ASGI messages ----------------------------------------------------------------


def _header(headers, name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _is_html(message: Message) -> bool:
    content_type = _header(message.get("headers", []), b"content-type")
    return content_type is not None and content_type.startswith(b"text/html")


def _declared_length(scope: Scope) -> int:
    try:
        return int(_header(scope.get("headers", []), b"content-length") or 0)
    except ValueError:
        return 0


_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def _host_and_port(host: str) -> tuple[str, str]:
    if host.startswith("["):  # [::1]:8000
        name, _, port = host.partition("]")
        return name + "]", port.lstrip(":")
    name, _, port = host.partition(":")
    return name, port


def _loopback_alias_target(scope: Scope, base_url: str) -> str | None:
    """Outside production, a page asked at another name of this machine than the base URL's
    (127.0.0.1 when links say localhost) is sent to the base URL: the session cookie, e-mailed
    links and QR codes then all use one address. Other hosts (a LAN address) are left alone."""
    scheme, _, rest = base_url.partition("://")
    base_host = rest.split("/", 1)[0].lower()
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
    if not host or host == base_host:
        return None
    (name, port), (base_name, base_port) = _host_and_port(host), _host_and_port(base_host)
    if name not in _LOOPBACK_HOSTS or base_name not in _LOOPBACK_HOSTS or port != base_port:
        return None  # another machine, or another app on another port
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scheme}://{base_host}{scope.get('path', '/')}" + (f"?{query}" if query else "")


async def _redirect(send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 307,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"content-length", b"0"),
                (b"cache-control", b"no-store"),
                *_ALWAYS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *_ALWAYS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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


def _has_valid_session(scope: Scope) -> bool:
    from starlette.requests import cookie_parser

    from espace.core.db import session_scope
    from espace.identity import sessions

    cookie = "; ".join(
        v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"cookie"
    )
    token = cookie_parser(cookie).get(get_settings().session_cookie_name)
    if not token:
        return False
    with session_scope() as db:
        return sessions.validate(session=db, token=token) is not None


def _only_gzip(scope: Scope) -> Scope:
    """Pages must be readable to hash their scripts: ask the static files for gzip or nothing."""
    headers = scope.get("headers", [])
    accepted = _header(headers, b"accept-encoding")
    if accepted is None or accepted.replace(b" ", b"").lower() in (b"gzip", b""):
        return scope
    value = b"gzip" if b"gzip" in accepted.lower() else b"identity"
    return {
        **scope,
        "headers": [(k, value if k.lower() == b"accept-encoding" else v) for k, v in headers],
    }


# ---- the middleware ------------------------------------------------------------------------------


def security_headers(app: ASGIApp) -> ASGIApp:
    """Wrap ``app``. HTML pages also get ``Cache-Control: no-store``: after logout, the back
    button must reload the page (which then finds no session) instead of showing a cached copy."""

    async def wrapped(scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope.get("path", "")
        settings = get_settings()
        if path.startswith(DEV_PREFIX) and (settings.env == "prod" or not request_is_local(scope)):
            await _plain(send, 404, "Page introuvable.")
            return
        if path.startswith(UPLOAD_PATH) and scope.get("method") != "OPTIONS":
            # Refused before a byte of the body is read: an anonymous client cannot make us buffer
            # anything.
            if not await anyio.to_thread.run_sync(_has_valid_session, scope):
                await _plain(send, 401, "Connectez-vous pour envoyer des fichiers.")
                return
            if _declared_length(scope) > UPLOAD_REQUEST_LIMIT:
                await _plain(
                    send,
                    413,
                    "Envoi trop volumineux : 10 Mo au plus par fichier et 50 Mo par envoi.",
                )
                return
            receive = _capped(receive)  # a chunked body has no length: count what is actually read
        # The app's pages: files of Reflex's build (never our API routes, nor Reflex's /_upload,
        # /_health…)
        pages = not path.startswith(("/api/", "/_")) and scope.get("method") in ("GET", "HEAD")
        if pages and settings.env != "prod":
            target = _loopback_alias_target(scope, settings.public_base_url)
            if target:
                await _redirect(send, target)
                return
        if pages:
            scope = _only_gzip(scope)
        held: dict[str, Any] = {}

        def finish_headers(start: Message, body: bytes | None) -> Message:
            html = _is_html(start)
            headers = [
                (k, v)
                for k, v in start.get("headers", [])
                if not (html and k.lower() == b"cache-control")
            ]
            present = {k.lower() for k, _ in headers}
            headers += [(k, v) for k, v in _ALWAYS if k not in present]
            if settings.secure_cookies:
                headers.append((b"strict-transport-security", HSTS))
            if html:
                headers.append((b"cache-control", b"no-store"))
                if b"content-security-policy" not in present and (body is not None or not pages):
                    encoding = (_header(headers, b"content-encoding") or b"").lower()
                    hashes = (
                        _page_script_hashes(body, encoding) if pages and body is not None else None
                    )
                    headers.append((b"content-security-policy", content_security_policy(hashes)))
            return {**start, "headers": headers}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                if (
                    pages
                    and _is_html(message)
                    and scope.get("method") == "GET"
                    and message.get("status") != 304
                ):
                    held["start"], held["body"] = (
                        message,
                        [],
                    )  # the page's scripts are hashed once it is all here
                    return
                await send(finish_headers(message, None))
                return
            if message["type"] == "http.response.pathsend" and "start" in held:
                # The server sends the file itself (Granian's pathsend extension): hash the file's
                # scripts.
                start = held.pop("start")
                await send(
                    finish_headers(
                        start, await anyio.to_thread.run_sync(_file_bytes, message["path"])
                    )
                )
                await send(message)
                return
            if message["type"] == "http.response.body" and "start" in held:
                held["body"].append(message.get("body", b""))
                body = b"".join(held["body"])
                if message.get("more_body", False) and len(body) <= _MAX_HTML_BYTES:
                    return
                start = held.pop("start")
                await send(
                    finish_headers(start, body if not message.get("more_body", False) else None)
                )
                await send({**message, "body": body})
                return
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
