"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, Redis and object
storage when configured, and whatever other parts register, e.g. the job queue).

A load balancer or systemd watchdog polls ``/healthz``; a deploy waits for ``/readyz`` before
sending traffic. ``/readyz`` names the failing checks but never shows an error's text (it is
public).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_checks: dict[str, Callable[[], None]] = {}


def register_readiness_check(name: str, check: Callable[[], None]) -> None:
    """``check()`` raises when the dependency is not usable (blocking is fine: run in a thread)."""
    _checks[name] = check


def _database() -> None:
    from sqlalchemy import text

    from espace.core.db import get_engine

    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def _redis() -> None:
    import redis

    from espace.core.settings import get_settings

    client = redis.Redis.from_url(
        get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()


def _object_storage() -> None:
    from espace.core import file_store

    store = file_store.current()
    if isinstance(store, file_store.S3Store):
        store.ping()


def checks() -> dict[str, Callable[[], None]]:
    from espace.core.settings import get_settings

    settings = get_settings()
    found: dict[str, Callable[[], None]] = {"database": _database}
    if settings.redis_url:
        found["redis"] = _redis
    if settings.s3_bucket:
        found["object_storage"] = _object_storage
    found.update(_checks)
    return found


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every check (blocking); ``(all ok, {name: "ok" | "failed"})``."""
    results: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # noqa: BLE001 - reported, never raised
            log.warning("readiness check %s failed", name, exc_info=True)
            results[name] = "failed"
    return all(value == "ok" for value in results.values()), results
