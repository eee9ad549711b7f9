"""Release the Reflex state of closed tabs within minutes, and keep open tabs' state alive (Redis).

Reflex keeps each tab's state in Redis keys ``<tab token>_<state name>`` written with a TTL
(``redis_token_expiration``, an hour) that only a *write* re-arms: a substate that is read but not
written expires even while its tab is open, and a closed tab's state stays an hour. When a tab's
socket closes, Reflex deletes its socket record ``token_manager_socket_record_<token>`` at once. So,
every minute (a periodic job of the queue: ``sweep_tab_states()``; nothing here runs on the event
loop):

- tabs with a socket record (open, on any backend): every state key gets its TTL back;
- tabs without one, whose root state has not been touched for ``grace_seconds`` (OBJECT IDLETIME:
  every event reads the root), lose all their keys; the grace lets a reload or a reconnect find its
  state. A tab that comes back later gets a fresh state and its page's on_load, as after an expiry.
- tabs with a lock held (an event in progress) are left alone.

One SCAN over the keyspace per run; only keys that start with a tab token followed by Reflex's state
names are touched (the job queue's and anything else's keys never match). Needs a Redis whose
``maxmemory-policy`` is not an LFU one (IDLETIME), as ``deploy/redis/espace.conf`` sets.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass

log = logging.getLogger(__name__)

STATE_TTL_SECONDS = 3600  # rxconfig.py: redis_token_expiration (the safety net)
GRACE_SECONDS = 180
ROOT_STATE = "reflex___state____state"
SOCKET_RECORD = "token_manager_socket_record_"
_TOKEN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class SweepReport:
    open_tabs: int  # tabs whose keys got their TTL back
    freed_tabs: int  # closed tabs whose keys were deleted
    kept_tabs: int  # closed tabs still within the grace period, or busy
    freed_keys: int


def _token_of(key: str) -> str | None:
    token, sep, rest = key[:36], key[36:37], key[37:]
    if sep == "_" and rest.startswith(ROOT_STATE) and _TOKEN.match(token):
        return token
    return None


def sweep(
    client, *, grace_seconds: int = GRACE_SECONDS, ttl_seconds: int = STATE_TTL_SECONDS
) -> SweepReport:
    """One pass over ``client`` (a ``redis.Redis``)."""
    live: set[str] = set()
    tabs: dict[str, list[str]] = defaultdict(list)
    for raw in client.scan_iter(count=1000):
        key = raw.decode() if isinstance(raw, bytes) else raw
        if key.startswith(SOCKET_RECORD):
            live.add(key[len(SOCKET_RECORD) :])
        elif (token := _token_of(key)) is not None:
            tabs[token].append(key)
    open_tabs = freed = kept = freed_keys = 0
    for token, keys in tabs.items():
        states = [key for key in keys if not key.endswith("_lock")]
        if token in live:
            with client.pipeline(transaction=False) as pipe:
                for key in states:
                    pipe.expire(key, ttl_seconds)
                pipe.execute()
            open_tabs += 1
            continue
        if len(states) != len(keys):  # an event holds the lock right now
            kept += 1
            continue
        idle = [client.object("idletime", key) for key in states]
        idle = [value for value in idle if value is not None]
        if not idle or min(idle) < grace_seconds:
            kept += 1
            continue
        freed_keys += client.delete(*states)
        freed += 1
    report = SweepReport(open_tabs, freed, kept, freed_keys)
    if freed:
        log.info("released the state of %d closed tabs (%d keys)", freed, freed_keys)
    return report


def sweep_tab_states(
    *, redis_url: str | None = None, grace_seconds: int = GRACE_SECONDS
) -> SweepReport | None:
    """The periodic job (every minute): None when Reflex's state is not in Redis."""
    from espace.core.settings import get_settings

    url = redis_url if redis_url is not None else get_settings().redis_url
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    try:
        return sweep(client, grace_seconds=grace_seconds)
    finally:
        client.close()


if __name__ == "__main__":  # by hand or from cron until the queue's scheduler runs it
    print(sweep_tab_states())
