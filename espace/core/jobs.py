"""The job queue (huey): a SQLite file in the data dir by default, Redis when ESPACE_REDIS_URL is
set. ``espace worker`` runs the consumer (``run_worker``); the app and the CLI only enqueue.

Hooks for the rest of the code:
- ``enqueue_after_commit(session, task, *args)``: run ``task(*args)`` on the worker once the
  session's transaction commits, never for a rolled-back one. Tasks must be idempotent and tolerate
  a missing row: huey removes a job from the queue before running it, so a worker killed mid-job
  loses it, and the database row (not the queue) is the source of truth that a sweeper re-enqueues
  from.
- ``periodic(name, when, "module:function")``: a job run on a schedule, at most once per period (a
  day in Paris) however many workers run: the run is claimed in the database (``job_run``). The
  function gets the keyword arguments it accepts among ``session``, ``today`` and ``now``.
- ``queue_depth()``, ``scheduled_count()``, ``ping()``: for metrics and readiness checks, from any
  process.
- A task defined outside this module (``@jobs.huey.task()``) must be imported by the worker to run:
  add its module to ``TASK_MODULES``; ``at_worker_start(fn)``: ``fn()`` runs when a worker starts.
- Core imports no domain: the domain functions run here are named by strings ("module:function",
  module names), imported by the worker when it runs them.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey, TaskWrapper
from sqlalchemy import and_, event, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from espace.core.settings import Settings, get_settings

log = logging.getLogger(__name__)

QUEUE_NAME = "espace"
PARIS = ZoneInfo("Europe/Paris")
# A periodic run still 'running' after this long belongs to a worker that died: another may take it.
JOB_STALE = timedelta(hours=2)
_PENDING = "espace_jobs_after_commit"
# Modules defining tasks of their own (``@jobs.huey.task()``), imported by the worker at start: the
# delivery of the outbox (``deliver_message``, its sweeper, what a worker stopped at once gives
# back). Named, not imported: core imports no domain (a test checks each one imports).
TASK_MODULES: list[str] = ["espace.notifications.deliveries", "espace.webhooks.delivery"]


def make_huey(settings: Settings | None = None) -> Huey:
    settings = settings or get_settings()
    # No results are read back; errors are logged, and deliveries keep their own state in the
    # database.
    options = {"results": False, "utc": True, "store_intermediate_errors": False}
    if settings.redis_url:
        return RedisHuey(QUEUE_NAME, url=settings.redis_url, **options)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(settings.data_dir / "queue.db"), **options)


huey: Huey = make_huey()


def _forget_connection_in_child() -> None:
    """A forked process (several app workers) opens its own SQLite connection to the queue."""
    if hasattr(huey.storage, "_conn"):
        huey.storage._conn = None


os.register_at_fork(after_in_child=_forget_connection_in_child)


# ----- enqueue after the commit ------------------------------------------------------------------


def enqueue_after_commit(session: Session, task: TaskWrapper, *args, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` once ``session`` commits; dropped if it rolls back."""
    session.info.setdefault(_PENDING, []).append(task.s(*args, **kwargs))


@event.listens_for(OrmSession, "after_commit")
def _enqueue_pending(session: OrmSession) -> None:
    if session.in_nested_transaction():  # a savepoint was released: wait for the real commit
        return
    for task in session.info.pop(_PENDING, []):
        try:
            huey.enqueue(task)
        except Exception:  # noqa: BLE001 - the commit happened; the sweeper re-enqueues from the rows
            log.exception("could not queue %s after a commit; left to the sweeper", task)


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_pending(session: OrmSession, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit
        session.info.pop(_PENDING, None)


# ----- at the worker's start ----------------------------------------------------------------------

# Functions the worker calls once at start, after importing TASK_MODULES and the plugins (the outbox
# queues again what a worker killed earlier left behind). Registered with ``at_worker_start``.
WORKER_START: list[Callable[[], object]] = []


def at_worker_start(function: Callable[[], object]) -> Callable[[], object]:
    """Call ``function()`` when a worker starts, before the periodic jobs catch up."""
    WORKER_START.append(function)
    return function


# ----- periodic jobs ------------------------------------------------------------------------------


@dataclass
class PeriodicJob:
    name: str
    when: Callable[[datetime], bool]  # a huey crontab, in UTC
    target: str  # "module:function"
    every: str = "day"  # the period a run covers: "day" (in Paris) or "hour"
    task: TaskWrapper | None = None


PERIODIC: dict[str, PeriodicJob] = {}


def periodic(
    name: str, when: Callable[[datetime], bool], target: str, *, every: str = "day"
) -> PeriodicJob:
    """Register a periodic job; the worker triggers it on ``when`` (and once at start, to catch up),
    and it runs at most once per period. Trigger a daily job several times a day: a run that failed
    or was missed (worker down) is made at the next trigger."""
    if name in PERIODIC:
        raise ValueError(f"periodic job {name!r} already registered")
    if every not in ("day", "hour"):
        raise ValueError("every: 'day' or 'hour'")
    job = PeriodicJob(name, when, target, every)

    def run() -> None:
        run_periodic(name)

    task_name = "periodic_" + re.sub(r"\W", "_", name)
    run.__name__ = run.__qualname__ = task_name
    job.task = huey.periodic_task(when, name=task_name)(run)
    PERIODIC[name] = job
    return job


def period_of(now: datetime, every: str) -> str:
    local = now.astimezone(PARIS)
    return local.strftime("%Y-%m-%d") if every == "day" else local.strftime("%Y-%m-%dT%H")


def resolve(target: str) -> Callable:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _claim_run(name: str, period: str, now: datetime) -> int | None:
    """The id of the job_run row this worker now holds, or None if another run has it or is done."""
    from espace.core.db import get_engine
    from espace.core.job_runs import JobRun

    with Session(get_engine(), expire_on_commit=False) as db:
        row = JobRun(name=name, period=period, worker=_worker_id(), started_at=now)
        db.add(row)
        try:
            db.commit()
            return row.id
        except IntegrityError:
            db.rollback()
        # Taken already: only a failed run, or one whose worker died, may be taken over.
        claimed = db.exec(
            update(JobRun)
            .where(
                col(JobRun.name) == name,
                col(JobRun.period) == period,
                or_(
                    col(JobRun.status) == "failed",
                    and_(col(JobRun.status) == "running", col(JobRun.started_at) < now - JOB_STALE),
                ),
            )
            .values(
                status="running",
                attempts=JobRun.attempts + 1,
                worker=_worker_id(),
                started_at=now,
                finished_at=None,
                result="",
            )
            .execution_options(synchronize_session=False)
        )
        db.commit()
        if claimed.rowcount != 1:
            return None
        from sqlmodel import select

        return db.exec(select(JobRun.id).where(JobRun.name == name, JobRun.period == period)).one()


def _finish_run(run_id: int, status: str, result: str) -> None:
    from espace.core.db import get_engine
    from espace.core.job_runs import JobRun
    from espace.core.models import utcnow

    with Session(get_engine()) as db:
        db.exec(
            update(JobRun)
            .where(col(JobRun.id) == run_id)
            .values(status=status, finished_at=utcnow(), result=result[:200])
            .execution_options(synchronize_session=False)
        )
        db.commit()


def run_periodic(name: str, *, now: datetime | None = None) -> str:
    """Run a registered job for the period of ``now`` unless it was done: "done", "skipped" or
    "failed"."""
    from espace.core.db import session_scope
    from espace.core.models import utcnow

    job = PERIODIC[name]
    now = now or utcnow()
    period = period_of(now, job.every)
    run_id = _claim_run(name, period, now)
    if run_id is None:
        log.info("periodic job %s: already done or running for %s, skipped", name, period)
        return "skipped"
    function = resolve(job.target)
    available = {"today": now.astimezone(PARIS).date(), "now": now}
    try:
        with session_scope() as session:
            accepted = inspect.signature(function).parameters
            kwargs = {"session": session} | {k: v for k, v in available.items() if k in accepted}
            result = function(**kwargs)
    except Exception as error:  # noqa: BLE001 - recorded; the next trigger takes the job again
        log.exception("periodic job %s failed for %s", name, period)
        _finish_run(run_id, "failed", f"{type(error).__name__}: {error}")
        return "failed"
    _finish_run(run_id, "done", _describe(result))
    log.info("periodic job %s done for %s: %s", name, period, _describe(result))
    return "done"


def _describe(result: object) -> str:
    if result is None:
        return ""
    if hasattr(result, "__dataclass_fields__"):
        return ", ".join(f"{k}={getattr(result, k)}" for k in result.__dataclass_fields__)
    return str(result)


# The jobs of Espace. One line each; times are UTC (Paris is UTC+1, +2 in summer). Daily jobs are
# triggered every hour of a window, so that a missed or failed run is made up within the day.
periodic("apply-terms", crontab(minute="5"), "espace.contracts.terms:apply_due")
periodic(
    "remind-debits",
    crontab(minute="15", hour="5-18"),
    "espace.billing.debit_reminders:send_due_reminders",
)
periodic("remind-visits", crontab(minute="25", hour="6-17"), "espace.claims.visits:send_reminders")
periodic(
    "purge", crontab(minute="30", hour="0-5"), "espace.privacy.retention:purge_connection_data"
)
periodic(
    "purge-files", crontab(minute="45", hour="0-5"), "espace.documents.private_files:purge_orphans"
)
periodic("purge-api", crontab(minute="50", hour="0-5"), "espace.integration.clients:purge")
periodic("renew-contracts", crontab(minute="0", hour="4-20"), "espace.lifecycle.renewal:renew_due")


@huey.periodic_task(crontab(minute="*"), name="sweep_tab_states")
def sweep_tab_states() -> None:
    """Every minute, with Reflex's state in Redis: release closed tabs' state, keep open ones alive
    (idempotent and harmless when two workers run it; nothing to do with the embedded default)."""
    from espace.core.state_sweeper import sweep_tab_states as sweep

    sweep()


# Slots for work in progress elsewhere (one line each when it lands):
# periodic(
#     "search-catch-up", crontab(minute="*/10"), "espace.search.indexer:catch_up", every="hour"
# )


# ----- metrics and readiness ---------------------------------------------------------------------


def queue_depth() -> int:
    """Jobs waiting to run now (not counting retries and jobs scheduled for later)."""
    return huey.pending_count()


def scheduled_count() -> int:
    """Jobs scheduled for later: retries waiting for their delay."""
    return huey.scheduled_count()


def ping() -> bool:
    """The queue's storage answers (SQLite file or Redis)."""
    try:
        huey.pending_count()
    except Exception:  # noqa: BLE001 - any failure means not ready
        log.exception("job queue unreachable")
        return False
    return True


# ----- the worker ---------------------------------------------------------------------------------


def load_plugins(settings: Settings | None = None) -> list[str]:
    names = [n.strip() for n in (settings or get_settings()).plugins.split(",") if n.strip()]
    for name in names:
        importlib.import_module(name)
    return names


def run_worker(*, workers: int = 2, catch_up: bool = True, periodic_jobs: bool = True) -> int:
    """``espace worker``: the consumer, its scheduler (periodic jobs, retries) and ``workers``
    threads. SIGTERM stops it gracefully (running jobs finish, 30 s at most); SIGINT at once (a
    message being sent is queued again)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    for name in TASK_MODULES:
        importlib.import_module(name)
    load_plugins()
    for function in WORKER_START:  # e.g. what a worker killed earlier left behind
        function()
    if catch_up and periodic_jobs:  # jobs missed while no worker ran (each runs once a day anyway)
        for job in PERIODIC.values():
            huey.enqueue(job.task.s())  # type: ignore[union-attr]
    consumer = huey.create_consumer(
        workers=max(1, workers),
        worker_type="thread",
        periodic=periodic_jobs,  # off: a worker for messages only (retries still run)
        max_delay=1.0,  # an idle worker looks at the SQLite queue every second at most
        check_worker_health=True,
        graceful_signal="TERM",
        shutdown_timeout=30,
    )
    consumer.run()
    return 0
