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

import base64
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from espace.core.db import session_scope
from espace.integration import banking, clients, operations
from espace.integration import schemas as s
from espace.integration.clients import ApiClientAuthority, IdempotencyConflict
from espace.integration.operations import OperationError, ScopeMissing
from espace.webhooks import delivery as webhook_delivery
from espace.webhooks.events import EVENT_TYPES
from espace.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger(__name__)

TOO_MANY = "Trop de requêtes : réessayez plus tard."

ERRORS = {
    400: {"model": s.Error, "description": "Malformed request"},
    401: {"model": s.Error, "description": "Missing or invalid token"},
    403: {"model": s.Error, "description": "The client lacks the scope"},
    404: {"model": s.Error, "description": "Not found"},
    422: {"model": s.Error, "description": "Invalid input (French messages by field)"},
    429: {"model": s.Error, "description": "Rate limit reached (Retry-After)"},
}
WRITE_ERRORS = {**ERRORS, 409: {"model": s.Error, "description": "Same key still running"}}

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
bearer = HTTPBearer(auto_error=False, description="esp_<key id>.<secret>")


def _error(status: int, code: str, message: str, **extra) -> JSONResponse:
    body = {"error": code, "message": message, "fields": {}, "detail": []} | extra
    return JSONResponse(body, status_code=status)


class FileDigest(BaseModel):
    sha256: str


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


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


# ----- authentication, rate limit, scope ----------------------------------------------------------


def _authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiClientAuthority:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "Jeton manquant.", {"WWW-Authenticate": "Bearer"})
    with session_scope() as db:
        authority = clients.authenticate(session=db, token=credentials.credentials)
        if authority is None:
            raise ApiError(
                401, "unauthorized", "Jeton invalide ou révoqué.", {"WWW-Authenticate": "Bearer"}
            )
        request.state.client_id = authority.client_id
        allowed, retry = clients.take_call(session=db, client_id=authority.client_id)
    if not allowed:
        raise ApiError(
            429,
            "rate_limited",
            "Trop de requêtes : réessayez plus tard.",
            {"Retry-After": str(retry)},
        )
    return authority


def scope(name: str) -> Callable[..., ApiClientAuthority]:
    def check(
        authority: Annotated[ApiClientAuthority, Depends(_authenticate)],
    ) -> ApiClientAuthority:
        if not authority.allows(name):
            raise ScopeMissing(name)
        return authority

    return check


Auth = ApiClientAuthority
IdemKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="unique per write; a retry with the same key and body gets the first answer",
    ),
]
CursorQ = Annotated[str | None, Query(max_length=200, description="from next_cursor")]
LimitQ = Annotated[int, Query(ge=1, le=100)]
IdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _write(
    request: Request,
    authority: ApiClientAuthority,
    key: str,
    body: BaseModel | None,
    status: int,
    run: Callable[[Session], tuple[BaseModel, str]],
) -> JSONResponse:
    """One transaction: the idempotency key, the operation and its saved answer commit together."""
    payload = body.model_dump(mode="json") if body is not None else None
    fingerprint = clients.request_hash(
        request.method, request.url.path, json.dumps(payload, sort_keys=True).encode()
    )
    with session_scope() as db:
        row, done = clients.begin_idempotent(
            session=db, client_id=authority.client_id, key=key, fingerprint=fingerprint
        )
        if done is not None:
            return JSONResponse(
                json.loads(done.response_body),
                status_code=done.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        result, object_ref = run(db)
        content = jsonable_encoder(result)
        row.status_code, row.response_body = status, json.dumps(content)
        db.add(row)
    request.state.object_ref = object_ref
    return JSONResponse(content, status_code=status)


# ----- mapping rows to bodies ---------------------------------------------------------------------


def _holder(row) -> s.HolderOut:
    return s.HolderOut.model_validate(row, from_attributes=True)


def _property(row) -> s.PropertyOut:
    return s.PropertyOut.model_validate(row, from_attributes=True)


def _contract(db: Session, row, with_terms: bool = False) -> s.ContractOut:
    codes = operations.formula_codes(db)
    terms = []
    if with_terms:
        from espace.contracts.models import ContractTerms

        for t in db.exec(
            select(ContractTerms)
            .where(ContractTerms.contract_id == row.id)
            .order_by(ContractTerms.effective_from, ContractTerms.id)
        ).all():
            terms.append(
                s.TermsOut(
                    effective_from=t.effective_from,
                    formula=codes.get(t.formula_id, ""),
                    furniture_capital_cents=t.furniture_capital_cents,
                    deductible_cents=t.deductible_cents,
                    annual_premium_cents=t.annual_premium_cents,
                    annual_tax_cents=t.annual_tax_cents,
                    options=[o.get("code", "") for o in t.options if isinstance(o, dict)],
                )
            )
    return s.ContractOut(
        id=row.id,
        number=row.number,
        holder_id=row.holder_id,
        property_id=row.property_id,
        formula=codes.get(row.formula_id, ""),
        status=row.status,
        start_date=row.start_date,
        end_date=row.end_date,
        annual_premium_cents=row.annual_premium_cents,
        payment_frequency=row.payment_frequency,
        debit_day=row.debit_day,
        terms=terms,
    )


def _payment(row) -> s.PaymentOut:
    return s.PaymentOut.model_validate(row, from_attributes=True)


def _document(row) -> s.DocumentOut:
    return s.DocumentOut.model_validate(row, from_attributes=True)


def _claim(row) -> s.ClaimOut:
    return s.ClaimOut.model_validate(row, from_attributes=True)


def _claim_detail(detail: operations.ClaimDetail) -> s.ClaimDetailOut:
    return s.ClaimDetailOut(
        **_claim(detail.claim).model_dump(),
        events=[s.ClaimEventOut.model_validate(e, from_attributes=True) for e in detail.events],
        files=[s.ClaimFileOut.model_validate(f, from_attributes=True) for f in detail.files],
        messages=[
            s.ClaimMessageOut(
                id=m.id, from_holder=m.staff_id is None, body=m.body, created_at=m.created_at
            )
            for m in detail.messages
        ],
    )


def _endpoint(row) -> s.EndpointOut:
    return s.EndpointOut.model_validate(row, from_attributes=True)


def _delivery(db: Session, row: WebhookDelivery, with_attempts: bool = False) -> s.DeliveryOut:
    event = db.get(WebhookEvent, row.event_id)
    log_rows = webhook_delivery.attempts(session=db, delivery_id=row.id) if with_attempts else []
    return s.DeliveryOut(
        id=row.id,
        event_id=event.event_uid,
        event_type=event.type,
        endpoint_id=row.endpoint_id,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        attempt_log=[s.AttemptOut.model_validate(a, from_attributes=True) for a in log_rows],
    )


# ----- holders and properties ---------------------------------------------------------------------


@api.get("/holders", response_model=s.HolderPage, responses=ERRORS, tags=["holders"])
def list_holders(
    authority: Annotated[Auth, Depends(scope("holders:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    email: Annotated[str, Query(max_length=254)] = "",
) -> s.HolderPage:
    with session_scope() as db:
        found = operations.list_holders(
            session=db, authority=authority, cursor=cursor, limit=limit, email=email
        )
        return s.HolderPage(data=[_holder(r) for r in found.rows], next_cursor=found.next_cursor)


@api.post(
    "/holders",
    status_code=201,
    response_model=s.HolderOut,
    responses=WRITE_ERRORS,
    tags=["holders"],
)
def create_holder(
    request: Request,
    body: s.HolderIn,
    authority: Annotated[Auth, Depends(scope("holders:write"))],
    key: IdemKey,
):
    def run(db):
        row = operations.create_holder(session=db, authority=authority, data=body.model_dump())
        return _holder(row), f"holder:{row.id}"

    return _write(request, authority, key, body, 201, run)


@api.get("/holders/{holder_id}", response_model=s.HolderOut, responses=ERRORS, tags=["holders"])
def get_holder(
    request: Request,
    holder_id: IdPath,
    authority: Annotated[Auth, Depends(scope("holders:read"))],
) -> s.HolderOut:
    request.state.object_ref = f"holder:{holder_id}"
    with session_scope() as db:
        return _holder(operations.get_holder(session=db, authority=authority, holder_id=holder_id))


@api.patch(
    "/holders/{holder_id}", response_model=s.HolderOut, responses=WRITE_ERRORS, tags=["holders"]
)
def update_holder(
    request: Request,
    holder_id: IdPath,
    body: s.HolderPatch,
    authority: Annotated[Auth, Depends(scope("holders:write"))],
    key: IdemKey,
):
    def run(db):
        data = body.model_dump(exclude_unset=True)
        row = operations.update_holder(
            session=db, authority=authority, holder_id=holder_id, data=data
        )
        return _holder(row), f"holder:{row.id}"

    return _write(request, authority, key, body, 200, run)


@api.get(
    "/holders/{holder_id}/properties",
    response_model=s.PropertyPage,
    responses=ERRORS,
    tags=["holders"],
)
def list_properties(
    holder_id: IdPath,
    authority: Annotated[Auth, Depends(scope("holders:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
) -> s.PropertyPage:
    with session_scope() as db:
        found = operations.list_properties(
            session=db, authority=authority, holder_id=holder_id, cursor=cursor, limit=limit
        )
        return s.PropertyPage(
            data=[_property(r) for r in found.rows], next_cursor=found.next_cursor
        )


@api.post(
    "/holders/{holder_id}/properties",
    status_code=201,
    response_model=s.PropertyOut,
    responses=WRITE_ERRORS,
    tags=["holders"],
)
def create_property(
    request: Request,
    holder_id: IdPath,
    body: s.PropertyIn,
    authority: Annotated[Auth, Depends(scope("holders:write"))],
    key: IdemKey,
):
    def run(db):
        row = operations.create_property(
            session=db, authority=authority, holder_id=holder_id, data=body.model_dump()
        )
        return _property(row), f"property:{row.id}"

    return _write(request, authority, key, body, 201, run)


# ----- catalogue and contracts --------------------------------------------------------------------


@api.get("/catalogue", response_model=list[s.FormulaOut], responses=ERRORS, tags=["contracts"])
def catalogue(authority: Annotated[Auth, Depends(scope("contracts:read"))]) -> list[s.FormulaOut]:
    with session_scope() as db:
        return [
            s.FormulaOut(
                code=formula.code,
                name=formula.name,
                tagline=formula.tagline,
                guarantees=[
                    s.GuaranteeOut(
                        code=g.code,
                        category=g.category,
                        name=g.name,
                        ceiling_cents=line.ceiling_cents,
                        deductible_kind=line.deductible_kind,
                        deductible_value=line.deductible_value,
                    )
                    for line, g in lines
                ],
            )
            for formula, lines in operations.catalogue(session=db, authority=authority)
        ]


@api.get("/contracts", response_model=s.ContractPage, responses=ERRORS, tags=["contracts"])
def list_contracts(
    authority: Annotated[Auth, Depends(scope("contracts:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> s.ContractPage:
    with session_scope() as db:
        found = operations.list_contracts(
            session=db, authority=authority, cursor=cursor, limit=limit, holder_id=holder_id
        )
        return s.ContractPage(
            data=[_contract(db, r) for r in found.rows], next_cursor=found.next_cursor
        )


@api.post(
    "/contracts",
    status_code=201,
    response_model=s.ContractOut,
    responses=WRITE_ERRORS,
    tags=["contracts"],
)
def create_contract(
    request: Request,
    body: s.ContractIn,
    authority: Annotated[Auth, Depends(scope("contracts:write"))],
    key: IdemKey,
):
    def run(db):
        row = operations.create_contract(session=db, authority=authority, data=body.model_dump())
        return _contract(db, row, with_terms=True), f"contract:{row.id}"

    return _write(request, authority, key, body, 201, run)


@api.get(
    "/contracts/{contract_id}", response_model=s.ContractOut, responses=ERRORS, tags=["contracts"]
)
def get_contract(
    request: Request,
    contract_id: IdPath,
    authority: Annotated[Auth, Depends(scope("contracts:read"))],
) -> s.ContractOut:
    request.state.object_ref = f"contract:{contract_id}"
    with session_scope() as db:
        row = operations.get_contract(session=db, authority=authority, contract_id=contract_id)
        return _contract(db, row, with_terms=True)


@api.post(
    "/contracts/{contract_id}/endorsements",
    response_model=s.ContractOut,
    responses=WRITE_ERRORS,
    tags=["contracts"],
)
def endorse_contract(
    request: Request,
    contract_id: IdPath,
    body: s.EndorsementIn,
    authority: Annotated[Auth, Depends(scope("contracts:write"))],
    key: IdemKey,
):
    """An endorsement agreed with the holder: new terms from effective_date (within 90 days),
    re-priced instalments, the avenant PDF in the holder's documents."""

    def run(db):
        row = operations.endorse_contract(
            session=db, authority=authority, contract_id=contract_id, data=body.model_dump()
        )
        return _contract(db, row, with_terms=True), f"contract:{row.id}"

    return _write(request, authority, key, body, 200, run)


# ----- payments -----------------------------------------------------------------------------------


@api.get("/payments", response_model=s.PaymentPage, responses=ERRORS, tags=["payments"])
def list_payments(
    authority: Annotated[Auth, Depends(scope("payments:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    contract_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[
        str | None, Query(pattern="^(scheduled|paid|rejected|regularised|processing|refunded)$")
    ] = None,
) -> s.PaymentPage:
    with session_scope() as db:
        found = operations.list_payments(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            contract_id=contract_id,
            status=status,
        )
        return s.PaymentPage(data=[_payment(r) for r in found.rows], next_cursor=found.next_cursor)


@api.get("/payments/{payment_id}", response_model=s.PaymentOut, responses=ERRORS, tags=["payments"])
def get_payment(
    request: Request,
    payment_id: IdPath,
    authority: Annotated[Auth, Depends(scope("payments:read"))],
) -> s.PaymentOut:
    request.state.object_ref = f"payment:{payment_id}"
    with session_scope() as db:
        return _payment(
            operations.get_payment(session=db, authority=authority, payment_id=payment_id)
        )


@api.post(
    "/payments/{payment_id}/events",
    response_model=s.PaymentOut,
    responses=WRITE_ERRORS,
    tags=["payments"],
)
def payment_event(
    request: Request,
    payment_id: IdPath,
    body: s.PaymentEventIn,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    def run(db):
        row = operations.payment_event(
            session=db,
            authority=authority,
            payment_id=payment_id,
            kind=body.event,
            code=body.code,
            reason=body.reason,
        )
        return _payment(row), f"payment:{row.id}"

    return _write(request, authority, key, body, 200, run)


# ----- refunds owed to holders --------------------------------------------------------------------


def _refund(row) -> s.RefundOut:
    return s.RefundOut.model_validate(row, from_attributes=True)


@api.get("/refunds", response_model=s.RefundPage, responses=ERRORS, tags=["payments"])
def list_refunds(
    authority: Annotated[Auth, Depends(scope("payments:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[
        str | None, Query(pattern="^(awaiting_bank|to_pay|sent|paid|cancelled)$")
    ] = None,
) -> s.RefundPage:
    """Refunds owed to holders (the unearned premium of a cancelled contract)."""
    with session_scope() as db:
        found = operations.list_refunds(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            holder_id=holder_id,
            status=status,
        )
        return s.RefundPage(data=[_refund(r) for r in found.rows], next_cursor=found.next_cursor)


@api.get("/refunds/{refund_id}", response_model=s.RefundOut, responses=ERRORS, tags=["payments"])
def get_refund(
    request: Request,
    refund_id: IdPath,
    authority: Annotated[Auth, Depends(scope("payments:read"))],
) -> s.RefundOut:
    request.state.object_ref = f"refund:{refund_id}"
    with session_scope() as db:
        return _refund(operations.get_refund(session=db, authority=authority, refund_id=refund_id))


@api.post(
    "/refunds/{refund_id}/events",
    response_model=s.RefundOut,
    responses=WRITE_ERRORS,
    tags=["payments"],
)
def refund_event(
    request: Request,
    refund_id: IdPath,
    body: s.RefundEventIn,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    """The bank or the core system confirms the refund paid: the holder is told, "refund.paid"."""

    def run(db):
        row = operations.refund_event(
            session=db,
            authority=authority,
            refund_id=refund_id,
            kind=body.event,
            reference=body.reference,
        )
        return _refund(row), f"refund:{row.id}"

    return _write(request, authority, key, body, 200, run)


# ----- banking files ------------------------------------------------------------------------------


@api.get(
    "/banking/direct-debits",
    responses={**ERRORS, 200: {"content": {"application/xml": {}}, "description": "pain.008"}},
    response_class=Response,
    tags=["payments"],
)
def direct_debits(
    request: Request,
    authority: Annotated[Auth, Depends(scope("payments:read"))],
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> Response:
    """The pain.008.001.08 collection file of the debits due in the period (3 months at most)."""
    with session_scope() as db:
        try:
            collection = banking.export_direct_debits(session=db, start=start, end=end)
        except banking.BankFileError as error:
            raise OperationError({"period": str(error)}) from None
    request.state.object_ref = f"pain.008:{collection.message_id}"[:80]
    return Response(
        collection.xml,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{collection.message_id}.xml"'},
    )


@api.post(
    "/banking/credit-transfers",
    response_model=s.CreditTransferFile,
    responses=WRITE_ERRORS,
    tags=["payments"],
)
def credit_transfers(
    request: Request,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    """The pain.001.001.09 credit transfer file of every refund to pay; the refunds in it are
    marked "sent". Retried with the same Idempotency-Key, the same file comes back."""

    def run(db):
        try:
            transfers = banking.export_refunds(session=db)
        except banking.BankFileError as error:
            raise OperationError({"refunds": str(error)}) from None
        body = s.CreditTransferFile(
            message_id=transfers.message_id,
            refund_ids=transfers.refund_ids,
            total_cents=transfers.total_cents,
            content_base64=base64.b64encode(transfers.xml).decode(),
        )
        return body, f"pain.001:{transfers.message_id}"[:80]

    return _write(request, authority, key, None, 200, run)


@api.post(
    "/banking/returns",
    response_model=s.ReturnsResult,
    responses=WRITE_ERRORS,
    tags=["payments"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    },
)
async def bank_returns(
    request: Request,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    """Import a pain.002 or camt.054 file: rejected debits are marked and their holders told."""
    xml = await request.body()
    body = FileDigest(sha256=hashlib.sha256(xml).hexdigest())

    def run(db):
        try:
            result = banking.import_returns(session=db, xml=xml)
        except banking.BankFileError as error:
            raise OperationError({"file": str(error)}) from None
        return s.ReturnsResult(**result.__dict__), f"bank-file:{body.sha256[:16]}"

    return await run_in_threadpool(_write, request, authority, key, body, 200, run)


# ----- documents ----------------------------------------------------------------------------------


@api.get("/documents", response_model=s.DocumentPage, responses=ERRORS, tags=["documents"])
def list_documents(
    authority: Annotated[Auth, Depends(scope("documents:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    contract_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> s.DocumentPage:
    with session_scope() as db:
        found = operations.list_documents(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            holder_id=holder_id,
            contract_id=contract_id,
        )
        return s.DocumentPage(
            data=[_document(r) for r in found.rows], next_cursor=found.next_cursor
        )


@api.post(
    "/documents",
    status_code=201,
    response_model=s.DocumentOut,
    responses=WRITE_ERRORS,
    tags=["documents"],
)
def publish_document(
    request: Request,
    body: s.DocumentIn,
    authority: Annotated[Auth, Depends(scope("documents:write"))],
    key: IdemKey,
):
    """Publish a PDF to the holder's "Mes documents" (searchable; the holder is told)."""

    def run(db):
        row = operations.publish_document(session=db, authority=authority, data=body.model_dump())
        return _document(row), f"document:{row.id}"

    return _write(request, authority, key, body, 201, run)


@api.get(
    "/documents/{document_id}", response_model=s.DocumentOut, responses=ERRORS, tags=["documents"]
)
def get_document(
    request: Request,
    document_id: IdPath,
    authority: Annotated[Auth, Depends(scope("documents:read"))],
) -> s.DocumentOut:
    request.state.object_ref = f"document:{document_id}"
    with session_scope() as db:
        return _document(
            operations.get_document(session=db, authority=authority, document_id=document_id)
        )


# ----- claims -------------------------------------------------------------------------------------


@api.get("/claims", response_model=s.ClaimPage, responses=ERRORS, tags=["claims"])
def list_claims(
    authority: Annotated[Auth, Depends(scope("claims:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[str | None, Query(pattern="^[a-z_]{1,24}$")] = None,
) -> s.ClaimPage:
    with session_scope() as db:
        found = operations.list_claims(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            holder_id=holder_id,
            status=status,
        )
        return s.ClaimPage(data=[_claim(r) for r in found.rows], next_cursor=found.next_cursor)


@api.post(
    "/claims",
    status_code=201,
    response_model=s.ClaimDetailOut,
    responses=WRITE_ERRORS,
    tags=["claims"],
)
def declare_claim(
    request: Request,
    body: s.ClaimIn,
    authority: Annotated[Auth, Depends(scope("claims:write"))],
    key: IdemKey,
):
    """A claim reported to the insurer (phone, agency): filed as the portal's declaration is."""

    def run(db):
        detail = operations.declare_claim(session=db, authority=authority, data=body.model_dump())
        return _claim_detail(detail), f"claim:{detail.claim.id}"

    return _write(request, authority, key, body, 201, run)


@api.get("/claims/{claim_id}", response_model=s.ClaimDetailOut, responses=ERRORS, tags=["claims"])
def get_claim(
    request: Request,
    claim_id: IdPath,
    authority: Annotated[Auth, Depends(scope("claims:read"))],
) -> s.ClaimDetailOut:
    request.state.object_ref = f"claim:{claim_id}"
    with session_scope() as db:
        return _claim_detail(
            operations.get_claim(session=db, authority=authority, claim_id=claim_id)
        )


@api.post(
    "/claims/{claim_id}/actions",
    response_model=s.ClaimDetailOut,
    responses=WRITE_ERRORS,
    tags=["claims"],
)
def claim_action(
    request: Request,
    claim_id: IdPath,
    body: s.ClaimActionIn,
    authority: Annotated[Auth, Depends(scope("claims:write"))],
    key: IdemKey,
):
    """Move the claim: appoint_expert, plan_visit, assess, record_payment, request_documents,
    refuse, close, reopen (the portal's tracker and the holder's notices follow)."""

    def run(db):
        detail = operations.claim_action(
            session=db,
            authority=authority,
            claim_id=claim_id,
            action=body.action,
            data=body.model_dump(),
        )
        return _claim_detail(detail), f"claim:{claim_id}"

    return _write(request, authority, key, body, 200, run)


@api.post(
    "/claims/{claim_id}/messages",
    response_model=s.ClaimDetailOut,
    responses=WRITE_ERRORS,
    tags=["claims"],
)
def claim_message(
    request: Request,
    claim_id: IdPath,
    body: s.MessageIn,
    authority: Annotated[Auth, Depends(scope("claims:write"))],
    key: IdemKey,
):
    def run(db):
        detail = operations.claim_message(
            session=db, authority=authority, claim_id=claim_id, body=body.body
        )
        return _claim_detail(detail), f"claim:{claim_id}"

    return _write(request, authority, key, body, 200, run)


# ----- requests -----------------------------------------------------------------------------------


@api.get("/requests", response_model=s.RequestList, responses=ERRORS, tags=["requests"])
def list_requests(
    authority: Annotated[Auth, Depends(scope("requests:read"))],
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: LimitQ = 100,
) -> s.RequestList:
    with session_scope() as db:
        rows = operations.list_requests(
            session=db, authority=authority, holder_id=holder_id, limit=limit
        )
        return s.RequestList(data=[s.RequestOut(**r.__dict__) for r in rows])


# ----- webhooks -----------------------------------------------------------------------------------


@api.get(
    "/webhooks/event-types",
    response_model=list[s.EventTypeOut],
    responses=ERRORS,
    tags=["webhooks"],
)
def event_types(
    authority: Annotated[Auth, Depends(scope("webhooks:read"))],
) -> list[s.EventTypeOut]:
    return [s.EventTypeOut(type=k, label=v) for k, v in EVENT_TYPES.items()]


@api.get("/webhooks/endpoints", response_model=s.EndpointList, responses=ERRORS, tags=["webhooks"])
def list_endpoints(
    authority: Annotated[Auth, Depends(scope("webhooks:read"))],
) -> s.EndpointList:
    with session_scope() as db:
        rows = db.exec(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
        return s.EndpointList(data=[_endpoint(r) for r in rows])


@api.post(
    "/webhooks/endpoints",
    status_code=201,
    response_model=s.EndpointCreated,
    responses=WRITE_ERRORS,
    tags=["webhooks"],
)
def create_endpoint(
    request: Request,
    body: s.EndpointIn,
    authority: Annotated[Auth, Depends(scope("webhooks:write"))],
    key: IdemKey,
):
    """Register an endpoint for event types ("*": all); the signing secret is in the answer."""

    def run(db):
        try:
            row, secret = webhook_delivery.create_endpoint(
                session=db,
                url=body.url,
                event_types=body.event_types,
                description=body.description,
            )
        except webhook_delivery.EndpointError as error:
            raise OperationError({error.field: str(error)}) from None
        return s.EndpointCreated(**_endpoint(row).model_dump(), secret=secret), f"endpoint:{row.id}"

    return _write(request, authority, key, body, 201, run)


@api.patch(
    "/webhooks/endpoints/{endpoint_id}",
    response_model=s.EndpointOut,
    responses=WRITE_ERRORS,
    tags=["webhooks"],
)
def update_endpoint(
    request: Request,
    endpoint_id: IdPath,
    body: s.EndpointPatch,
    authority: Annotated[Auth, Depends(scope("webhooks:write"))],
    key: IdemKey,
):
    def run(db):
        try:
            row = webhook_delivery.update_endpoint(
                session=db, endpoint_id=endpoint_id, **body.model_dump(exclude_unset=True)
            )
        except webhook_delivery.EndpointError as error:
            raise OperationError({error.field: str(error)}) from None
        return _endpoint(row), f"endpoint:{row.id}"

    return _write(request, authority, key, body, 200, run)


@api.get("/webhooks/deliveries", response_model=s.DeliveryPage, responses=ERRORS, tags=["webhooks"])
def list_deliveries(
    authority: Annotated[Auth, Depends(scope("webhooks:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    endpoint_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[
        str | None, Query(pattern="^(pending|sending|retry|delivered|failed)$")
    ] = None,
) -> s.DeliveryPage:
    """The delivery log (oldest first; filter failed ones with ?status=failed)."""
    with session_scope() as db:
        query = select(WebhookDelivery)
        if endpoint_id is not None:
            query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
        if status:
            query = query.where(WebhookDelivery.status == status)
        found = operations.page(db, query, WebhookDelivery, cursor=cursor, limit=limit)
        return s.DeliveryPage(
            data=[_delivery(db, r) for r in found.rows], next_cursor=found.next_cursor
        )


@api.get(
    "/webhooks/deliveries/{delivery_id}",
    response_model=s.DeliveryOut,
    responses=ERRORS,
    tags=["webhooks"],
)
def get_delivery(
    delivery_id: IdPath,
    authority: Annotated[Auth, Depends(scope("webhooks:read"))],
) -> s.DeliveryOut:
    """A delivery with each attempt (time, HTTP status, error, duration)."""
    with session_scope() as db:
        row = db.get(WebhookDelivery, delivery_id)
        if row is None:
            raise LookupError("delivery")
        return _delivery(db, row, with_attempts=True)


@api.post(
    "/webhooks/deliveries/{delivery_id}/replay",
    response_model=s.DeliveryOut,
    responses=WRITE_ERRORS,
    tags=["webhooks"],
)
def replay_delivery(
    request: Request,
    delivery_id: IdPath,
    authority: Annotated[Auth, Depends(scope("webhooks:write"))],
    key: IdemKey,
):
    """Send a delivery again (same webhook-id: receivers drop duplicates)."""

    def run(db):
        try:
            row = webhook_delivery.replay(session=db, delivery_id=delivery_id)
        except webhook_delivery.EndpointError as error:
            raise ApiError(409, "conflict", str(error)) from None
        return _delivery(db, row), f"delivery:{row.id}"

    return _write(request, authority, key, None, 200, run)


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
