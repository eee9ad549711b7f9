"""Operations endpoints and the request middleware, installed by ``espace/espace.py``.

- ``routes()``: ``/healthz``, ``/readyz`` (``espace.core.health``), ``/metrics``
  (``espace.core.metrics``);
- ``observe_requests``: ASGI middleware (the outermost one) that gives each HTTP request a request
  id (nginx's ``X-Request-ID`` when it comes through a trusted proxy), times it into
  ``espace_http_request_duration_seconds`` and logs one line per request (method, route, status, ms,
  client address), never the query string (it may carry tokens);
- ``install()``: logging configuration and event timing (failed sign-ins are counted by
  ``espace.identity.signin_metrics``, which the app installs too).
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from espace.core import health, metrics
from espace.core.logs import configure_logging, new_request_id, request_id

log = logging.getLogger("espace.requests")

QUIET = ("/healthz", "/readyz", "/metrics", "/ping", "/_health")


def route_group(path: str) -> str:
    """A bounded label for a path: ``/api/<name>``, Reflex's ``/_event``/``/_upload``, ops paths, or
    ``page`` for the app's pages and static files."""
    if path.startswith("/api/"):
        parts = path.split("/")
        return "/api/" + (parts[2] if len(parts) > 2 else "")
    for prefix in ("/_event", "/_upload", "/_health", "/ping", *QUIET):
        if path == prefix or path.startswith(prefix + "/"):
            return prefix
    return "page"


def _header(scope: MutableMapping[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _from_trusted_proxy(scope) -> bool:
    from espace.core.client_address import _address, _configured, _trusted

    client = scope.get("client") or ("", 0)
    peer = _address(str(client[0] or ""))
    return peer is not None and _trusted(peer, _configured())


def observe_requests(app):
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        offered = _header(scope, b"x-request-id") if _from_trusted_proxy(scope) else None
        rid = new_request_id(offered)
        token = request_id.set(rid)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status["code"] = message.get("status", 500)
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())],
                }
            await send(message)

        path = scope.get("path", "")
        group = route_group(path)
        try:
            await app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            metrics.HTTP_REQUESTS.labels(
                method=scope.get("method", ""), route=group, status=str(status["code"])
            ).observe(elapsed)
            if group not in QUIET:
                from espace.api.client import request_ip

                log.info(
                    "%s %s %s %.1f ms",
                    scope.get("method", ""),
                    path,
                    status["code"],
                    elapsed * 1000,
                    extra={
                        "method": scope.get("method", ""),
                        "path": path,
                        "route": group,
                        "status": status["code"],
                        "duration_ms": round(elapsed * 1000, 1),
                        "client": request_ip(scope),
                    },
                )
            request_id.reset(token)

    return wrapped


# ---- endpoints -----------------------------------------------------------------------------------

_NO_STORE = {"Cache-Control": "no-store"}


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


async def readyz(_request: Request) -> Response:
    ready, results = await run_in_threadpool(health.readiness)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": results},
        status_code=200 if ready else 503,
        headers=_NO_STORE,
    )


def metrics_allowed(scope) -> bool:
    """A bearer token when one is configured; otherwise only loopback requests that no proxy
    forwarded."""
    import hmac

    from espace.core.client_address import _address
    from espace.core.settings import get_settings

    expected = get_settings().metrics_token.get_secret_value()
    if expected:
        offered = _header(scope, b"authorization") or ""
        return hmac.compare_digest(offered.encode(), f"Bearer {expected}".encode())
    if _header(scope, b"x-forwarded-for") is not None or _header(scope, b"forwarded") is not None:
        return False
    client = scope.get("client") or ("", 0)
    peer = _address(str(client[0] or ""))
    return peer is not None and peer.is_loopback


async def metrics_endpoint(request: Request) -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    if not metrics_allowed(request.scope):
        return PlainTextResponse("Page introuvable.", status_code=404, headers=_NO_STORE)
    body = await run_in_threadpool(generate_latest, metrics.REGISTRY)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers=_NO_STORE)


def routes() -> list[Route]:
    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ]


def install() -> None:
    configure_logging()
    metrics.install()
