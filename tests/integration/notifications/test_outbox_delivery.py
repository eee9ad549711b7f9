"""The transactional outbox and the periodic jobs, in process (the worker's own tests are in
test_queue_worker.py): a message is queued only once its transaction commits, a delivery claims its
row so that it is sent once, failures are retried with backoff then marked failed, the sweeper takes
back what a dead worker left, and a periodic job runs once per day however many workers try."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from huey import crontab
from huey.storage import MemoryStorage
from sqlmodel import Session, select

from espace.core import jobs
from espace.core.db import get_engine
from espace.core.job_runs import JobRun
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.notifications import deliveries, outbox
from espace.notifications.models import OutboxMessage


@pytest.fixture
def queue(monkeypatch) -> MemoryStorage:
    """The queue, in memory: what was enqueued, and nothing runs."""
    storage = MemoryStorage(jobs.QUEUE_NAME)
    monkeypatch.setattr(jobs.huey, "storage", storage)
    return storage


def _queued_ids(storage: MemoryStorage) -> list[int]:
    tasks = [jobs.huey.deserialize_task(data) for data in storage.enqueued_items()]
    assert all(isinstance(t, deliveries.deliver_message.task_class) for t in tasks)
    return [t.args[0] for t in tasks]


class Recorder:
    def __init__(self, fail: int = 0) -> None:
        self.sent: list[int] = []
        self.fail = fail

    def send(self, message, settings) -> None:
        if self.fail:
            self.fail -= 1
            raise ConnectionRefusedError("serveur SMTP injoignable")
        self.sent.append(message.id)


@pytest.fixture
def smtp(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(get_settings(), "smtp_host", "smtp.test")
    monkeypatch.setattr(outbox.SmtpSender, "send", lambda _self, m, s: recorder.send(m, s))
    return recorder


def _mail(db, subject: str = "Votre code", to: str = "camille@example.com") -> OutboxMessage:
    return outbox.send_email(session=db, to=to, subject=subject, body="Code : 123456")


# ----- queued after the commit, never for a rollback ----------------------------------------------


def test_a_message_is_queued_when_its_transaction_commits_and_never_when_it_rolls_back(
    engine, queue
):
    with Session(get_engine()) as db:
        _mail(db, "Annulé")
        db.rollback()  # the change it announced did not happen
        assert _queued_ids(queue) == []
        db.commit()
        assert _queued_ids(queue) == []  # forgotten with the rollback, not sent by a later commit
        kept = _mail(db, "Gardé")
        assert _queued_ids(queue) == []  # nothing leaves before the commit
        db.commit()
        assert _queued_ids(queue) == [kept.id]
        assert db.exec(select(OutboxMessage).where(OutboxMessage.subject == "Annulé")).all() == []
        db.delete(kept)
        db.commit()

    with pytest.raises(RuntimeError):  # a service failing after it wrote the message
        with Session(get_engine()) as db:
            _mail(db, "Échoué")
            raise RuntimeError("la suite a échoué")
    assert len(_queued_ids(queue)) == 1


def test_a_savepoint_released_waits_for_the_real_commit(engine, queue):
    with Session(get_engine()) as db:
        with db.begin_nested():
            message = _mail(db, "Dans un savepoint")
        assert _queued_ids(queue) == []
        db.commit()
        assert _queued_ids(queue) == [message.id]
        db.delete(message)
        db.commit()


# ----- one delivery -------------------------------------------------------------------------------


def test_a_delivery_claims_its_message_so_it_goes_once(db, smtp):
    message = _mail(db)
    assert message.status == "queued" and message.due_at is not None
    bind = db.connection()
    assert deliveries.deliver(message_id=message.id, bind=bind).status == "sent"
    assert deliveries.deliver(message_id=message.id, bind=bind).status == "skipped"  # a 2nd job
    assert deliveries.deliver(message_id=10**9, bind=bind).status == "skipped"  # a row gone
    assert smtp.sent == [message.id]
    db.refresh(message)
    assert (message.status, message.attempts, message.error) == ("sent", 1, "")
    assert message.sent_at is not None and "123456" in message.body  # kept outside production


def test_production_keeps_no_body_of_a_sent_message(db, smtp, monkeypatch):
    monkeypatch.setattr(get_settings(), "env", "prod")
    message = _mail(db)
    deliveries.deliver(message_id=message.id, bind=db.connection())
    db.refresh(message)
    assert message.status == "sent" and "123456" not in message.body
    assert message.body == deliveries.SENT_BODY


def test_without_smtp_the_outbox_is_the_delivery(db):
    assert not get_settings().smtp_host
    message = _mail(db)
    assert deliveries.deliver(message_id=message.id, bind=db.connection()).status == "outbox"
    db.refresh(message)
    assert message.status == "outbox" and "123456" in message.body  # /dev/boite-mail shows it


def test_a_message_whose_recipient_was_erased_is_not_sent(db, smtp):
    message = _mail(db, to="supprime-12@anonyme.invalid")
    assert deliveries.deliver(message_id=message.id, bind=db.connection()).status == "cancelled"
    assert smtp.sent == []


def test_failures_are_retried_with_backoff_then_marked_failed(db, smtp, monkeypatch):
    monkeypatch.setattr(get_settings(), "delivery_attempts", 4)
    monkeypatch.setattr(get_settings(), "delivery_retry_seconds", 30)
    smtp.fail = 99
    message = _mail(db)
    now = utcnow()
    delays = []
    for _ in range(3):
        outcome = deliveries.deliver(message_id=message.id, bind=db.connection(), now=now)
        db.refresh(message)
        assert outcome.status == message.status == "retry"
        assert message.due_at == now + timedelta(seconds=outcome.retry_in)
        assert "injoignable" in message.error
        delays.append(outcome.retry_in)
    assert delays == [30, 60, 120]
    outcome = deliveries.deliver(message_id=message.id, bind=db.connection(), now=now)
    db.refresh(message)
    assert outcome == deliveries.Outcome("failed") and message.status == "failed"
    assert message.attempts == 4 and "injoignable" in message.error and smtp.sent == []
    assert "123456" in message.body  # kept until sent: a manager may send it again
    assert deliveries.deliver(message_id=message.id, bind=db.connection()).status == "skipped"


def test_a_receiver_that_fails_twice_gets_the_message_once(db, smtp):
    smtp.fail = 2
    message = _mail(db)
    outcomes = [
        deliveries.deliver(message_id=message.id, bind=db.connection()).status for _ in range(3)
    ]
    assert outcomes == ["retry", "retry", "sent"] and smtp.sent == [message.id]
    db.refresh(message)
    assert (message.status, message.attempts, message.error) == ("sent", 3, "")


# ----- the sweeper --------------------------------------------------------------------------------


def test_the_sweeper_takes_back_what_a_dead_worker_left(db, smtp):
    stale = timedelta(seconds=get_settings().delivery_stale_seconds)
    now = utcnow()
    dead = _mail(db, "Pris par un worker tué")
    busy = _mail(db, "En cours d'envoi")
    lost = _mail(db, "Tâche perdue")
    fresh = _mail(db, "Tout juste en file")
    for row, status, claimed in (
        (dead, "sending", now - stale - timedelta(seconds=1)),
        (busy, "sending", now - timedelta(seconds=5)),
    ):
        row.status, row.claimed_at, row.attempts = status, claimed, 1
    lost.due_at = now - stale - timedelta(seconds=1)
    fresh.due_at = now
    db.add_all([dead, busy, lost, fresh])
    db.flush()

    ids = deliveries.sweep(bind=db.connection(), now=now)  # (the suite's own old rows too)
    assert {dead.id, lost.id} <= set(ids) and not {busy.id, fresh.id} & set(ids)
    db.refresh(dead)
    db.refresh(busy)
    assert (dead.status, busy.status) == ("queued", "sending")
    again = deliveries.sweep(bind=db.connection(), now=now)
    assert not {dead.id, lost.id} & set(again)  # once per stale period
    assert deliveries.deliver(message_id=dead.id, bind=db.connection()).status == "sent"
    db.refresh(dead)
    assert dead.attempts == 2  # the try the dead worker started counts


def test_requeue_stale_enqueues_the_swept_messages(monkeypatch, queue):
    monkeypatch.setattr(deliveries, "sweep", lambda now=None: [7, 9])
    assert deliveries.requeue_stale() == 2 and _queued_ids(queue) == [7, 9]


# ----- periodic jobs ------------------------------------------------------------------------------

RUNS: list[str] = []


def slow_job(*, session, today) -> int:
    RUNS.append(str(today))
    time.sleep(0.5)
    return 1


def flaky_job(*, session, now) -> str:
    RUNS.append("try")
    if len(RUNS) == 1:
        raise RuntimeError("base indisponible")
    return "ok"


@pytest.fixture(scope="module")
def fresh_engine(tmp_path_factory):
    """A database of its own (migrated, empty): the jobs below run for real on it."""
    from espace.core.db import make_engine
    from espace.core.migrations import upgrade_to_head

    url = f"sqlite:///{tmp_path_factory.mktemp('jobs') / 'jobs.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def test_job(fresh_engine, monkeypatch):
    """Register a periodic job for the test (unregistered after); jobs use the fresh database."""
    import espace.core.db

    monkeypatch.setattr(espace.core.db, "get_engine", lambda: fresh_engine)
    registered = []

    def register(target: str, name: str) -> jobs.PeriodicJob:
        job = jobs.periodic(name, crontab(minute="0", hour="3"), target)
        registered.append(job)
        return job

    RUNS.clear()
    yield register
    for job in registered:
        jobs.PERIODIC.pop(job.name)
        job.task.unregister()


def _runs(engine, name: str) -> list[JobRun]:
    with Session(engine) as db:
        return list(db.exec(select(JobRun).where(JobRun.name == name).order_by(JobRun.id)).all())


def test_two_workers_running_the_same_periodic_job_do_it_once(fresh_engine, test_job):
    job = test_job(
        "tests.integration.notifications.test_outbox_delivery:slow_job", "test-two-workers"
    )
    now = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def worker() -> None:
        start.wait()
        outcomes.append(jobs.run_periodic(job.name, now=now))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "skipped", "skipped", "skipped"]
    assert RUNS == ["2026-12-06"]
    # later the same day (Paris): done already; the next day: runs again
    assert jobs.run_periodic(job.name, now=now + timedelta(hours=18)) == "skipped"
    assert jobs.run_periodic(job.name, now=now + timedelta(days=1)) == "done"
    assert [(r.period, r.status, r.result) for r in _runs(fresh_engine, job.name)] == [
        ("2026-12-06", "done", "1"),
        ("2026-12-07", "done", "1"),
    ]


def test_a_failed_periodic_run_is_made_at_the_next_trigger(fresh_engine, test_job):
    job = test_job("tests.integration.notifications.test_outbox_delivery:flaky_job", "test-flaky")
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    assert jobs.run_periodic(job.name, now=now) == "failed"
    [run] = _runs(fresh_engine, job.name)
    assert run.status == "failed" and "base indisponible" in run.result
    assert jobs.run_periodic(job.name, now=now + timedelta(hours=1)) == "done"
    [run] = _runs(fresh_engine, job.name)
    assert (run.status, run.attempts, run.result) == ("done", 2, "ok")


def test_a_run_left_running_by_a_dead_worker_is_taken_over_later(fresh_engine, test_job):
    job = test_job("tests.integration.notifications.test_outbox_delivery:slow_job", "test-dead-run")
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    with Session(fresh_engine) as db:
        db.add(JobRun(name=job.name, period="2026-12-06", started_at=now))
        db.commit()
    assert jobs.run_periodic(job.name, now=now + timedelta(minutes=30)) == "skipped"
    assert jobs.run_periodic(job.name, now=now + jobs.JOB_STALE + timedelta(minutes=1)) == "done"


def test_periodic_jobs_are_registered_with_a_target_that_takes_a_session():
    import inspect

    assert {"apply-terms", "remind-debits", "purge", "purge-files"} <= set(jobs.PERIODIC)
    for job in jobs.PERIODIC.values():
        assert "session" in inspect.signature(jobs.resolve(job.target)).parameters, job.name
    assert jobs.period_of(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "day") == "2027-01-01"


def test_the_worker_loads_the_delivery_tasks_named_by_core():
    import importlib

    # core/jobs.py names the modules with tasks (it imports no domain): each must import
    for module in jobs.TASK_MODULES:
        importlib.import_module(module)
    assert "espace.notifications.deliveries" in jobs.TASK_MODULES
    assert deliveries.requeue_stale in jobs.WORKER_START  # what a dead worker left, at start


def test_the_builtin_daily_jobs_run(fresh_engine, test_job):
    # purge-files is left out: on this empty database every stored file of the suite is an orphan.
    now = utcnow()
    for name in ("apply-terms", "purge", "remind-debits"):
        assert jobs.run_periodic(name, now=now) == "done", name
        assert jobs.run_periodic(name, now=now) == "skipped", name
    results = {r.name: r.result for r in _runs(fresh_engine, "purge")}
    assert results == {"purge": "sessions=0, login_events=0, staff_reads=0"}


def test_queue_depth_and_ping(queue):
    assert jobs.ping() and jobs.queue_depth() == 0 and jobs.scheduled_count() == 0
    jobs.huey.enqueue(deliveries.deliver_message.s(1))
    assert jobs.queue_depth() == 1
