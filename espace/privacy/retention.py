"""Retention of connection data: sessions, the sign-in history and staff reads are kept 13 months at
most (CNIL). Run daily by the worker (job ``purge``) and by ``espace purge``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from espace.core.models import utcnow
from espace.identity import staff_reads
from espace.identity.security_page import purge_login_events
from espace.identity.sessions import purge_sessions

CONNECTION_LOG_RETENTION = timedelta(days=396)  # 13 months


@dataclass(frozen=True)
class Purged:
    sessions: int
    login_events: int
    staff_reads: int


def purge_connection_data(*, session: Session, now: datetime | None = None) -> Purged:
    cutoff = (now or utcnow()) - CONNECTION_LOG_RETENTION
    return Purged(
        sessions=purge_sessions(session=session, older_than=cutoff),
        login_events=purge_login_events(session=session, older_than=cutoff),
        staff_reads=staff_reads.purge(session=session, older_than=cutoff),
    )
