"""Requests raised in the portal that the insurer must act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from espace.billing.models import SepaMandate
from espace.identity.models import ProfileChange
from espace.integration.operations.common import MAX_PAGE, require
from espace.privacy.models import PrivacyRequest

# ----- requests raised in the portal --------------------------------------------------------------


@dataclass(frozen=True)
class PortalRequest:
    id: str
    kind: str
    holder_id: int
    status: str
    created_at: datetime
    detail: str


def list_requests(
    *, session: Session, authority, holder_id: int | None = None, limit: int = 100
) -> list[PortalRequest]:
    """What holders did in the portal that the insurer must act on, newest first: contact changes,
    mandates signed or revoked, GDPR requests. Cancellations and complaints join this list when
    their tables land (their events are already listed in ``webhooks.events``)."""
    require(authority, "requests:read")
    limit = max(1, min(limit, MAX_PAGE))
    changes, mandates, privacy = select(ProfileChange), select(SepaMandate), select(PrivacyRequest)
    if holder_id is not None:
        changes = changes.where(ProfileChange.holder_id == holder_id)
        mandates = mandates.where(SepaMandate.holder_id == holder_id)
        privacy = privacy.where(PrivacyRequest.holder_id == holder_id)
    rows = [
        PortalRequest(
            f"profile-{c.id}", f"profile.{c.field}", c.holder_id, c.status, c.changed_at, ""
        )
        for c in session.exec(changes.order_by(ProfileChange.id.desc()).limit(limit)).all()
    ]
    rows += [
        PortalRequest(f"mandate-{m.id}", "mandate", m.holder_id, m.status, m.signed_at, m.reference)
        for m in session.exec(mandates.order_by(SepaMandate.id.desc()).limit(limit)).all()
    ]
    rows += [
        PortalRequest(f"gdpr-{r.id}", f"gdpr.{r.kind}", r.holder_id, r.status, r.created_at, "")
        for r in session.exec(privacy.order_by(PrivacyRequest.id.desc()).limit(limit)).all()
    ]
    rows.sort(key=lambda r: r.created_at, reverse=True)
    return rows[:limit]
