"""Webhook endpoints, event types and deliveries (tag ``webhooks``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import select

from espace.core.db import session_scope
from espace.integration import schemas as s
from espace.integration.operations.common import OperationError, page
from espace.integration.routes.common import (
    ERRORS,
    WRITE_ERRORS,
    ApiError,
    Auth,
    CursorQ,
    IdemKey,
    IdPath,
    LimitQ,
    _delivery,
    _endpoint,
    _write,
    scope,
)
from espace.webhooks import delivery as webhook_delivery
from espace.webhooks.events import EVENT_TYPES
from espace.webhooks.models import WebhookDelivery, WebhookEndpoint

router = APIRouter()


# ----- webhooks -----------------------------------------------------------------------------------


@router.get(
    "/webhooks/event-types",
    response_model=list[s.EventTypeOut],
    responses=ERRORS,
    tags=["webhooks"],
)
def event_types(
    authority: Annotated[Auth, Depends(scope("webhooks:read"))],
) -> list[s.EventTypeOut]:
    return [s.EventTypeOut(type=k, label=v) for k, v in EVENT_TYPES.items()]


@router.get(
    "/webhooks/endpoints", response_model=s.EndpointList, responses=ERRORS, tags=["webhooks"]
)
def list_endpoints(
    authority: Annotated[Auth, Depends(scope("webhooks:read"))],
) -> s.EndpointList:
    with session_scope() as db:
        rows = db.exec(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
        return s.EndpointList(data=[_endpoint(r) for r in rows])


@router.post(
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


@router.patch(
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


@router.get(
    "/webhooks/deliveries", response_model=s.DeliveryPage, responses=ERRORS, tags=["webhooks"]
)
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
        found = page(db, query, WebhookDelivery, cursor=cursor, limit=limit)
        return s.DeliveryPage(
            data=[_delivery(db, r) for r in found.rows], next_cursor=found.next_cursor
        )


@router.get(
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


@router.post(
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
