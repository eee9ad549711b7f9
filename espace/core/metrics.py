"""Prometheus metrics of one backend process (prometheus-client), served at ``/metrics``.

Each process keeps its own registry; Prometheus scrapes every backend on its loopback port
(``127.0.0.1:8001/metrics``, ``:8002``...), never through the public proxy (nginx answers 404
there). ``/metrics`` answers requests made on the machine that did not come through a proxy, or,
when ``ESPACE_METRICS_TOKEN`` is set, any request with ``Authorization: Bearer <token>``.

Hooks for other parts of Espace (the job queue, the sign-in):
- ``record_signin_failure(reason)``: counted by ``espace.identity.signin_metrics`` where a failed
  sign-in is recorded (core knows no table);
- ``register_queue_depth(fn)``: ``fn()`` returns ``{queue name: jobs waiting}``, read at each
  scrape;
- ``register_failed_deliveries(fn)``: ``fn()`` returns ``{channel: messages given up}``, read at
  each scrape from the database (the worker that gives up is another process, so a counter here
  would miss it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

HTTP_REQUESTS = Histogram(
    "espace_http_request_duration_seconds",
    "HTTP requests answered by this process (pages, API routes, uploads), by route group and "
    "status.",
    ["method", "route", "status"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
EVENTS = Histogram(
    "espace_event_duration_seconds",
    "Reflex events (a click, a page load) from taking the tab's state lock to the delta sent.",
    ["handler"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
EVENT_ERRORS = Counter(
    "espace_event_errors_total",
    "Reflex events that raised out of the event processor.",
    ["handler"],
    registry=REGISTRY,
)
SIGNIN_FAILURES = Counter(
    "espace_signin_failures_total",
    "Failed sign-ins and codes (bad credentials, locked, throttled, second factor...).",
    ["reason"],
    registry=REGISTRY,
)
_queue_depth: list[Callable[[], Mapping[str, int]]] = []
_failed_deliveries: list[Callable[[], Mapping[str, int]]] = []


def register_queue_depth(fn: Callable[[], Mapping[str, int]]) -> None:
    """The job queue tells how many jobs wait, per queue (called at each scrape, must be quick)."""
    _queue_depth.append(fn)


def register_failed_deliveries(fn: Callable[[], Mapping[str, int]]) -> None:
    """The outbox tells how many messages are failed now, per channel (read at each scrape)."""
    _failed_deliveries.append(fn)


def record_signin_failure(reason: str) -> None:
    SIGNIN_FAILURES.labels(reason=reason).inc()


class _QueueCollector:
    def collect(self):
        yield _gauge("espace_queue_depth", "Jobs waiting in the job queue.", "queue", _queue_depth)
        yield _gauge(
            "espace_failed_deliveries",
            "Messages (e-mail, SMS, push) given up after their last try and not resent, by "
            "channel.",
            "channel",
            _failed_deliveries,
        )

    def describe(self):
        return []


def _gauge(name: str, text: str, label: str, sources: list[Callable[[], Mapping[str, int]]]):
    family = GaugeMetricFamily(name, text, labels=[label])
    for fn in list(sources):
        try:
            for key, value in fn().items():
                family.add_metric([key], float(value))
        except Exception:  # noqa: BLE001 - a scrape must not fail because a dependency is down
            log.warning("%s unavailable", name, exc_info=True)
    return family


REGISTRY.register(_QueueCollector())


# ---- Reflex events -------------------------------------------------------------------------------


def handler_label(event_name: str) -> str:
    """``reflex___state____state.espace___state___dashboard____dashboard_state.move_widget`` ->
    ``dashboard_state.move_widget`` (bounded: one per handler)."""
    state, _, handler = event_name.rpartition(".")
    short = state.rpartition("___")[2].lstrip("_") if state else ""
    return f"{short}.{handler}" if short else handler or "unknown"


def install_event_timing() -> None:
    """Time each event in Reflex's processor (lock, handler, delta), with a request id for its logs.

    Reflex 0.10 has no hook after an event; this wraps ``BaseStateEventProcessor._execute_event``,
    the one place every foreground and background event goes through (checked by tests/unit)."""
    from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor

    from espace.core.logs import new_request_id, request_id

    original = BaseStateEventProcessor._execute_event
    if getattr(original, "_espace_timed", False):
        return

    async def timed(self, *, entry, registered_handler):
        label = handler_label(getattr(entry.event, "name", ""))
        token = request_id.set(new_request_id())
        started = time.perf_counter()
        try:
            return await original(self, entry=entry, registered_handler=registered_handler)
        except BaseException:
            EVENT_ERRORS.labels(handler=label).inc()
            raise
        finally:
            EVENTS.labels(handler=label).observe(time.perf_counter() - started)
            request_id.reset(token)

    timed._espace_timed = True  # type: ignore[attr-defined]
    BaseStateEventProcessor._execute_event = timed  # type: ignore[method-assign]


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    install_event_timing()
    _installed = True
