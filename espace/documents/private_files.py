"""Files in private storage kept in step with the rows that reference them.

A file lives as long as a row names its key (claim photos and their thumbnails, message attachments,
documents). Three rules keep the disk from filling up with files nobody can reach:

- ``delete_after_commit``: a service that deletes a row hands over its keys; the files go once the
  transaction has really committed. A rolled-back transaction loses nothing, and a key that a
  committed row still names is never deleted (checked against the database after the commit).
- ``put``: a file stored during a transaction that then rolls back (or whose row was in a savepoint
  that rolled back) is deleted when the transaction ends.
- ``purge_orphans`` (``espace purge-files``): whatever escaped the two rules above (a crash between
  the commit and the deletion, files written before this module existed, documents re-rendered) is
  deleted once it is older than a grace period, so that a file whose row is still being committed is
  left alone. Idempotent and safe while the app runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, select, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from espace.core import storage
from espace.core.models import utcnow

log = logging.getLogger(__name__)

ORPHAN_GRACE = timedelta(hours=1)
_BATCH = 500
_NEW = "espace.private_files.new"  # keys stored during the session's transaction
_DOOMED = "espace.private_files.doomed"  # keys whose rows were deleted in it


def _key_columns():
    from espace.claims.models import ClaimFile
    from espace.documents.models import Document
    from espace.lifecycle.models import CancellationFile
    from espace.support.models import SupportAttachment

    return (
        ClaimFile.storage_key,
        ClaimFile.thumbnail_key,
        SupportAttachment.storage_key,
        Document.storage_key,
        CancellationFile.storage_key,
    )


def referenced(connection: Connection | Session, keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` that a row of the database names."""
    wanted = sorted({key for key in keys if key})
    found: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        query = union_all(
            *(select(column.label("key")).where(column.in_(batch)) for column in _key_columns())
        )
        found.update(row[0] for row in connection.execute(query))
    return found


# ----- within a transaction ------------------------------------------------------------------


def put(*, session: Session, data: bytes, extension: str) -> tuple[str, str]:
    """Store bytes for a row added in ``session``; returns (key, sha256). Deleted again if no
    committed row names the key when the transaction ends."""
    key, digest = storage.put(data, extension=extension)
    session.info.setdefault(_NEW, set()).add(key)
    return key, digest


def delete_after_commit(*, session: Session, keys: Iterable[str]) -> None:
    """The files of rows deleted in ``session``: removed once the transaction commits, not
    before."""
    session.info.setdefault(_DOOMED, set()).update(key for key in keys if key)


def _delete_unreferenced(bind: Engine | Connection, keys: set[str]) -> None:
    try:
        if isinstance(bind, Engine):
            with bind.connect() as connection:
                kept = referenced(connection, keys)
        else:  # a session joined to an outer connection (tests): what it sees is what was committed
            kept = referenced(bind, keys)
    except Exception:  # noqa: BLE001 - never fail a commit that happened; purge_orphans will catch up
        log.exception(
            "could not check %d stored files after a commit; left to purge_orphans", len(keys)
        )
        return
    for key in keys - kept:
        storage.delete(key)


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():  # a savepoint was released: wait for the real commit
        return
    candidates = session.info.pop(_DOOMED, set()) | session.info.pop(_NEW, set())
    if candidates:
        _delete_unreferenced(session.get_bind(), candidates)


@event.listens_for(OrmSession, "after_transaction_end")
def _after_transaction_end(session: OrmSession, transaction) -> None:
    if transaction.parent is not None:
        return
    # Still here after the outermost transaction ended: it was rolled back (or the session closed
    # without committing). The deleted rows are back, so their files stay; files stored for it name
    # no committed row.
    session.info.pop(_DOOMED, None)
    for key in session.info.pop(_NEW, set()):
        storage.delete(key)


# ----- the purge -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    checked: int
    deleted: int
    bytes_freed: int


def purge_orphans(
    *, session: Session, now: datetime | None = None, grace: timedelta = ORPHAN_GRACE
) -> PurgeReport:
    """Delete stored files that no row names and that are older than ``grace``. Safe to run at any
    time."""
    cutoff = (now or utcnow()) - grace
    old = {key: size for key, modified, size in storage.stored() if modified < cutoff}
    kept = referenced(session.connection(), old)
    deleted = freed = 0
    for key in old.keys() - kept:
        size = storage.delete(key)
        deleted += 1 if size else 0  # 0: another purge (or the after-commit hook) was quicker
        freed += size
    return PurgeReport(checked=len(old), deleted=deleted, bytes_freed=freed)
