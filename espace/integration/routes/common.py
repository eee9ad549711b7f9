"""What every route of the insurer's API shares: the error body, the bearer authentication with
the client's rate limit, the scope check, the idempotent write in one transaction, and the
mapping of rows to response bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session, select

from espace.core.db import session_scope
from espace.integration import claim_schemas as cs
from espace.integration import clients
from espace.integration import schemas as s
from espace.integration.clients import ApiClientAuthority
from espace.integration.operations import claims, contracts
from espace.integration.operations.common import ScopeMissing
from espace.webhooks import delivery as webhook_delivery
from espace.webhooks.models import WebhookDelivery, WebhookEvent

ERRORS = {
    400: {"model": s.Error, "description": "Malformed request"},
    401: {"model": s.Error, "description": "Missing or invalid token"},
    403: {"model": s.Error, "description": "The client lacks the scope"},
    404: {"model": s.Error, "description": "Not found"},
    422: {"model": s.Error, "description": "Invalid input (French messages by field)"},
    429: {"model": s.Error, "description": "Rate limit reached (Retry-After)"},
}
WRITE_ERRORS = {**ERRORS, 409: {"model": s.Error, "description": "Same key still running"}}

bearer = HTTPBearer(auto_error=False, description="esp_<key id>.<secret>")


def _error(status: int, code: str, message: str, **extra) -> JSONResponse:
    body = {"error": code, "message": message, "fields": {}, "detail": []} | extra
    return JSONResponse(body, status_code=status)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


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
    codes = contracts.formula_codes(db)
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


def _refund(row) -> s.RefundOut:
    return s.RefundOut.model_validate(row, from_attributes=True)


def _document(row) -> s.DocumentOut:
    return s.DocumentOut.model_validate(row, from_attributes=True)


def _claim(row) -> cs.ClaimOut:
    return cs.ClaimOut.model_validate(row, from_attributes=True)


def _claim_detail(detail: claims.ClaimDetail) -> cs.ClaimDetailOut:
    return cs.ClaimDetailOut(
        **_claim(detail.claim).model_dump(),
        events=[cs.ClaimEventOut.model_validate(e, from_attributes=True) for e in detail.events],
        files=[cs.ClaimFileOut.model_validate(f, from_attributes=True) for f in detail.files],
        messages=[
            cs.ClaimMessageOut(
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
