"""The insurer's REST API, a FastAPI application mounted under /api/v1 (``espace.api.routes``).

Every call: a bearer token of an API client (``espace api-client create``) -> 401; the client's
rate limit (a database row per minute, shared by every process) -> 429; the scope of the resource
-> 403 (checked again by each operation); one database transaction (commit on success, nothing
written on an error); an audit row (client, route, object, status) whatever the result. Every write
takes an ``Idempotency-Key`` header: the same key and body get the first answer back without
writing again; the same key with another body is a 422.

Errors are JSON: ``{"error": code, "message": French text, "fields": {...}, "detail": [...]}``.
Endpoints are plain ``def`` functions: FastAPI runs them in its thread pool, never on the event
loop."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from espace.core.db import session_scope
from espace.integration import clients
from espace.integration.clients import IdempotencyConflict
from espace.integration.operations.common import OperationError, ScopeMissing
from espace.integration.routes import (
    claims,
    contracts,
    documents,
    holders,
    payments,
    portal_requests,
    webhooks,
)
from espace.integration.routes.common import ERRORS, ApiError, _error

log = logging.getLogger(__name__)

TOO_MANY = "Trop de requêtes : réessayez plus tard."

DESCRIPTION = """L'API d'intégration d'Espace : le système de gestion de l'assureur y crée les
assurés, leurs biens et contrats, publie des documents, fait avancer les sinistres, rapporte les
paiements, échange les fichiers SEPA et abonne ses webhooks.

Authentification : `Authorization: Bearer esp_...` (jeton d'un client API, `espace api-client
create`). Écritures : en-tête `Idempotency-Key` obligatoire. Montants en centimes, dates ISO 8601.
Voir docs/api.md et docs/integration-guide.md."""

api = FastAPIOffline(
    title="Espace API",
    version="1.0.0",
    description=DESCRIPTION,
    responses={400: ERRORS[400], 422: ERRORS[422]},
)


# ----- errors -----------------------------------------------------------------------------------


@api.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}
    response = _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    from starlette.routing import Match

    methods: set[str] = set()
    for route in api.router.routes:
        for method in getattr(route, "methods", None) or ():
            match, _ = route.matches({**request.scope, "method": method})
            if match == Match.FULL:
                methods.add(method)
    return sorted(methods)


@api.exception_handler(RequestValidationError)
async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    detail = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": e["type"]}
        for e in exc.errors()
    ]
    if any(e["type"] == "json_invalid" for e in detail):
        return _error(400, "bad_request", "Corps JSON illisible.", detail=detail)
    return _error(422, "invalid_request", "Requête invalide.", detail=detail)


@api.exception_handler(ApiError)
async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    response = _error(exc.status, exc.code, exc.message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


@api.exception_handler(OperationError)
async def _bad_input(request: Request, exc: OperationError) -> JSONResponse:
    return _error(422, "invalid_input", "Données refusées.", fields=exc.errors)


@api.exception_handler(LookupError)
async def _not_found(request: Request, exc: LookupError) -> JSONResponse:
    return _error(404, "not_found", "Introuvable.")


@api.exception_handler(ScopeMissing)
async def _forbidden(request: Request, exc: ScopeMissing) -> JSONResponse:
    return _error(403, "forbidden", f"Ce client n'a pas la portée {exc.args[0]}.")


@api.exception_handler(IdempotencyConflict)
async def _conflict(request: Request, exc: IdempotencyConflict) -> JSONResponse:
    return _error(exc.status_code, "idempotency_conflict", str(exc))


# ----- audit --------------------------------------------------------------------------------------


UNAUDITED = ("/openapi.json", "/docs", "/redoc", "/static-offline-docs")


@api.middleware("http")
async def _audit(request: Request, call_next):
    response = await call_next(request)
    if request.url.path.removeprefix(request.scope.get("root_path", "")).startswith(UNAUDITED):
        return response  # the public documentation, not a call on data
    client_id = getattr(request.state, "client_id", None)
    route = request.scope.get("route")

    def write() -> None:
        try:
            with session_scope() as db:
                clients.audit(
                    session=db,
                    client_id=client_id,
                    method=request.method,
                    route=getattr(route, "path", "") or "",
                    path=request.url.path,
                    status_code=response.status_code,
                    object_ref=getattr(request.state, "object_ref", ""),
                    idempotency_key=request.headers.get("idempotency-key", "")[:100],
                    ip=request.client.host if request.client else "",
                )
        except Exception:  # noqa: BLE001 - the audit must not turn an answer into a 500
            log.exception("could not audit an API call")

    await run_in_threadpool(write)
    response.headers["Cache-Control"] = "no-store"
    return response


# ----- routes, in the order of the OpenAPI document -----------------------------------------------

api.include_router(holders.router)
api.include_router(contracts.router)
api.include_router(payments.router)
api.include_router(documents.router)
api.include_router(claims.router)
api.include_router(portal_requests.router)
api.include_router(webhooks.router)


def reject_repeated_query(app):
    """ASGI wrapper: a query parameter given twice (``?limit=1&limit=2``) is refused with a JSON 422
    (FastAPI would silently keep the last one)."""
    from urllib.parse import parse_qsl

    async def wrapped(scope, receive, send):
        if scope["type"] == "http":
            names = [k for k, _ in parse_qsl(scope.get("query_string", b"").decode("latin-1"))]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                response = _error(
                    422,
                    "invalid_request",
                    f"Paramètre répété : {', '.join(repeated)}.",
                    detail=[
                        {"loc": ["query", n], "msg": "repeated", "type": "repeated"}
                        for n in repeated
                    ],
                )
                await response(scope, receive, send)
                return
        await app(scope, receive, send)

    return wrapped


def asgi_app():
    """What ``espace.api.routes`` mounts at /api/v1."""
    return reject_repeated_query(api)
