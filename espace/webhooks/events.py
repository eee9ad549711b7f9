"""``emit``: the one way a domain function tells the insurer's systems that something happened.

Call it inside the transaction of the change: it writes the event and one delivery per active
endpoint subscribed to its type, and the deliveries are queued once the transaction commits
(``jobs.enqueue_after_commit``): a rolled-back change emits nothing, and a committed one is
delivered even if the worker was down (the rows are the truth, the sweeper queues them again).

Payloads are thin: ids and the facts of the event, never secrets (no IBAN, no code); the insurer
reads the rest through the API.

Emitting an event type from new code (cancellation requests, complaints...)::

    from espace.webhooks.events import emit
    emit("cancellation.requested", {"contract_id": c.id, "holder_id": c.holder_id, ...},
         session=session)

The type must be listed in ``EVENT_TYPES`` below.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, select

from espace.core.models import saved_id, utcnow
from espace.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

EVENT_TYPES: dict[str, str] = {
    "claim.declared": "Sinistre déclaré par l'assuré",
    "claim.document_added": "Document ajouté par l'assuré à un sinistre",
    "claim.message_posted": "Message de l'assuré sur un sinistre",
    "support.message_posted": "Message de l'assuré à son conseiller",
    "holder.profile_changed": "Coordonnées modifiées (adresse, e-mail, téléphone)",
    "holder.iban_changed": "Compte bancaire ajouté ou retiré",
    "mandate.signed": "Mandat SEPA signé",
    "mandate.revoked": "Mandat SEPA révoqué",
    "cancellation.requested": "Demande de résiliation",
    "cancellation.refused": "Demande de résiliation refusée par un gestionnaire",
    "complaint.filed": "Réclamation déposée",
    "gdpr.requested": "Demande RGPD (effacement, accès)",
    "payment.rejected": "Prélèvement rejeté (retour de la banque)",
    "refund.created": "Remboursement de cotisation dû à l'assuré",
    "refund.paid": "Remboursement de cotisation versé",
}


class UnknownEvent(ValueError):
    pass


def new_uid() -> str:
    return "evt_" + secrets.token_hex(12)


def emit(
    event_type: str, payload: dict, *, session: Session, now: datetime | None = None
) -> WebhookEvent:
    """Record ``event_type`` with ``payload`` and queue its delivery to each subscribed endpoint
    after the commit."""
    if event_type not in EVENT_TYPES:
        raise UnknownEvent(f"unknown event type: {event_type!r}")
    now = now or utcnow()
    event = WebhookEvent(event_uid=new_uid(), type=event_type, payload=payload, created_at=now)
    session.add(event)
    session.flush()
    endpoints = session.exec(select(WebhookEndpoint).where(WebhookEndpoint.is_active)).all()
    for endpoint in endpoints:
        if event_type in endpoint.event_types or "*" in endpoint.event_types:
            queue_delivery(session=session, event=event, endpoint=endpoint, now=now)
    return event


def queue_delivery(
    *, session: Session, event: WebhookEvent, endpoint: WebhookEndpoint, now: datetime
) -> WebhookDelivery:
    from espace.core import jobs
    from espace.webhooks import delivery

    row = WebhookDelivery(
        event_id=saved_id(event),
        endpoint_id=saved_id(endpoint),
        status="pending",
        next_attempt_at=now,
    )
    session.add(row)
    session.flush()
    jobs.enqueue_after_commit(session, delivery.deliver_webhook, row.id)
    return row
