"""The real worker (``espace worker`` processes, huey's consumer on a SQLite queue) against a local
SMTP server that a test makes slow or failing:

- a worker killed (SIGKILL) while the server holds a message, then restarted: every queued e-mail is
  delivered exactly once, none is lost;
- a receiver that fails twice then accepts gets the message once, after retries; one that never
  accepts leaves the message failed after the last try;
- a rolled-back transaction sends nothing;
- two workers running the same periodic job do it once;
- a slow SMTP server (10 s) does not hold the request that queued the e-mail."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from espace.core import jobs
from espace.core.db import make_engine
from espace.core.job_runs import JobRun
from espace.core.migrations import upgrade_to_head
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.notifications import outbox
from espace.notifications.models import OutboxMessage
from tests import factories
from tests.events import run_handler
from tests.integration.notifications.queue_support import (
    Receiver,
    free_port,
    smtp_server,
    start_worker,
    stop_worker,
    use_queue,
    wait_for,
    worker_env,
)

TO = "camille.martin@example.com"


def _database(directory):
    url = f"sqlite:///{directory / 'espace.db'}"
    upgrade_to_head(url)
    return url, make_engine(url)


def _queue_mails(engine, *subjects: str) -> list[int]:
    with Session(engine) as db:
        ids = [
            outbox.send_email(session=db, to=TO, subject=s, body=f"Corps de « {s} »").id
            for s in subjects
        ]
        db.commit()  # the jobs are queued now, after the commit
    return ids


def _statuses(engine) -> dict[str, str]:
    with Session(engine) as db:
        return {m.subject: m.status for m in db.exec(select(OutboxMessage)).all()}


def _row(engine, subject: str) -> OutboxMessage:
    with Session(engine) as db:
        return db.exec(select(OutboxMessage).where(OutboxMessage.subject == subject)).one()


# ----- a worker killed mid-delivery ---------------------------------------------------------------


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_each_mail_once(tmp_path, monkeypatch):
    receiver = Receiver()
    subjects = [f"Message {n}" for n in range(1, 6)]
    receiver.hold["Message 1"] = 120  # the server holds the first message (once)
    url, engine = _database(tmp_path)
    use_queue(monkeypatch, tmp_path)
    with smtp_server(receiver) as port:
        ids = _queue_mails(engine, *subjects)
        assert jobs.queue_depth() == 5
        env = worker_env(tmp_path, url, port, ESPACE_DELIVERY_STALE_SECONDS="1")
        first = start_worker(env, tmp_path / "worker-1.log", "--workers", "1", "--no-periodic")
        try:
            wait_for(receiver.holding.is_set, "the first message reaches the server")
            first.kill()  # SIGKILL: no signal handler, no clean-up
            first.wait()
        finally:
            stop_worker(first)
        wait_for(receiver.dropped.is_set, "the server sees the client go", timeout=10)
        assert receiver.accepted == []
        assert _statuses(engine) == {"Message 1": "sending"} | {s: "queued" for s in subjects[1:]}
        claimed = _row(engine, "Message 1").claimed_at  # the next worker takes it once stale (1 s)
        wait_for(lambda: utcnow() - claimed > timedelta(seconds=1.5), "the dead claim goes stale")

        second = start_worker(env, tmp_path / "worker-2.log", "--workers", "1", "--no-periodic")
        try:
            wait_for(lambda: set(_statuses(engine).values()) == {"sent"}, "every message is sent")
        finally:
            stop_worker(second)

    assert receiver.accepted_subjects() == {s: 1 for s in subjects}  # each once, none lost
    assert len({message_id for message_id, _ in receiver.accepted}) == 5
    assert receiver.received.count("Message 1") == 2  # it was in flight when the worker died
    copies = {mid for mid, subject in receiver.received_ids if subject == "Message 1"}
    assert len(copies) == 1  # the same Message-ID both times: a mail system may drop the copy
    with Session(engine) as db:
        rows = {m.id: m for m in db.exec(select(OutboxMessage)).all()}
    assert rows[ids[0]].attempts == 2 and {rows[i].attempts for i in ids[1:]} == {1}
    engine.dispose()


# ----- retries, failure, rollback: one worker for the module --------------------------------------


@pytest.fixture(scope="module")
def mail_worker(tmp_path_factory):
    directory = tmp_path_factory.mktemp("mail-worker")
    url, engine = _database(directory)
    receiver = Receiver()
    with smtp_server(receiver) as port:
        env = worker_env(directory, url, port, ESPACE_DELIVERY_ATTEMPTS="3")
        worker = start_worker(env, directory / "worker.log", "--workers", "2", "--no-periodic")
        try:
            yield SimpleNamespace(directory=directory, engine=engine, receiver=receiver)
        finally:
            stop_worker(worker)
    engine.dispose()


def test_a_receiver_that_fails_twice_then_accepts_gets_the_message_once(mail_worker, monkeypatch):
    use_queue(monkeypatch, mail_worker.directory)
    mail_worker.receiver.failures["Deux refus puis accepté"] = 2
    _queue_mails(mail_worker.engine, "Deux refus puis accepté")
    wait_for(
        lambda: _statuses(mail_worker.engine)["Deux refus puis accepté"] == "sent",
        "the message is sent after two retries",
    )
    assert mail_worker.receiver.accepted_subjects()["Deux refus puis accepté"] == 1
    assert mail_worker.receiver.received.count("Deux refus puis accepté") == 3
    row = _row(mail_worker.engine, "Deux refus puis accepté")
    assert (row.attempts, row.error) == (3, "")


def test_a_receiver_that_never_accepts_leaves_the_message_failed_after_the_last_try(
    mail_worker, monkeypatch
):
    use_queue(monkeypatch, mail_worker.directory)
    mail_worker.receiver.failures["Toujours refusé"] = 99
    _queue_mails(mail_worker.engine, "Toujours refusé")
    wait_for(
        lambda: _statuses(mail_worker.engine)["Toujours refusé"] == "failed",
        "the message is failed after 3 tries",
    )
    row = _row(mail_worker.engine, "Toujours refusé")
    assert row.attempts == 3 and "451" in row.error
    assert mail_worker.receiver.received.count("Toujours refusé") == 3
    assert mail_worker.receiver.accepted_subjects()["Toujours refusé"] == 0


def test_a_rolled_back_transaction_sends_nothing(mail_worker, monkeypatch):
    use_queue(monkeypatch, mail_worker.directory)
    with Session(mail_worker.engine) as db:
        outbox.send_email(session=db, to=TO, subject="Annulé", body="Code : 111111")
        db.rollback()
    with pytest.raises(RuntimeError), Session(mail_worker.engine) as db:
        outbox.send_email(session=db, to=TO, subject="Annulé aussi", body="Code : 222222")
        db.flush()
        raise RuntimeError("le changement annoncé a échoué")
    _queue_mails(mail_worker.engine, "Après l'annulation")  # queued after the rolled-back ones
    wait_for(
        lambda: _statuses(mail_worker.engine).get("Après l'annulation") == "sent",
        "the later message is sent",
    )
    assert not {"Annulé", "Annulé aussi"} & set(mail_worker.receiver.received)
    assert not {"Annulé", "Annulé aussi"} & set(_statuses(mail_worker.engine))


# ----- the same on Redis --------------------------------------------------------------------------


@pytest.fixture
def redis_url(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        client = redis.Redis.from_url(url)
        wait_for(lambda: _answers(client), "redis answers", timeout=20)
        yield url
    finally:
        server.terminate()
        server.wait()


def _answers(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet
        return False


def test_the_queue_works_on_redis(tmp_path, monkeypatch, redis_url):
    from espace.core.settings import Settings

    storage = jobs.make_huey(Settings(data_dir=tmp_path, redis_url=redis_url)).storage
    monkeypatch.setattr(jobs.huey, "storage", storage)
    assert type(storage).__name__.startswith("Redis") and jobs.ping()
    receiver = Receiver()
    receiver.failures["Par Redis"] = 1  # one retry: scheduled in Redis
    url, engine = _database(tmp_path)
    with smtp_server(receiver) as port:
        _queue_mails(engine, "Par Redis")
        assert jobs.queue_depth() == 1
        env = worker_env(tmp_path, url, port, ESPACE_REDIS_URL=redis_url)
        worker = start_worker(env, tmp_path / "worker.log", "--workers", "1", "--no-periodic")
        try:
            wait_for(lambda: _statuses(engine)["Par Redis"] == "sent", "sent through Redis")
        finally:
            stop_worker(worker)
    assert receiver.accepted_subjects() == {"Par Redis": 1}
    assert _row(engine, "Par Redis").attempts == 2 and jobs.queue_depth() == 0
    assert not (tmp_path / "queue.db").exists()  # no SQLite queue when Redis is configured
    engine.dispose()


# ----- periodic jobs: two workers -----------------------------------------------------------------


def test_two_workers_running_the_same_periodic_job_do_it_once(tmp_path):
    url, engine = _database(tmp_path)
    marker = tmp_path / "runs.txt"
    env = worker_env(
        tmp_path,
        url,
        None,
        ESPACE_PLUGINS="tests.integration.notifications.queue_plugin",
        ESPACE_TEST_JOB_MARKER=str(marker),
    )
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = [start_worker(env, log, "--workers", "2") for log in logs]

    def logged() -> str:  # every run of the job's task logs "done" or "skipped"
        return "".join(log.read_text() for log in logs if log.exists())

    def tried() -> bool:
        text = logged()
        return "periodic job test-once done" in text and text.count("periodic job test-once") >= 3

    try:
        # each worker queues the job at start (catch-up), and its scheduler again (every minute)
        wait_for(tried, "both workers tried the job", timeout=90)
    finally:
        for worker in workers:
            stop_worker(worker)
    assert len(marker.read_text().splitlines()) == 1  # its body ran once
    with Session(engine) as db:
        [run] = db.exec(select(JobRun).where(JobRun.name == "test-once")).all()
    assert run.status == "done" and run.result == "1"
    text = logged()
    assert text.count("periodic job test-once done") == 1 and "test-once: already done" in text
    engine.dispose()


# ----- a slow SMTP server does not hold the request -----------------------------------------------

RESET_SUBJECT = "Réinitialisez votre mot de passe"


def _forgot(ip: str):
    """A stand-in for ForgotState, as Reflex would pass it to the handler."""
    return SimpleNamespace(
        step="request",
        identifier_error="",
        code_error="",
        password_error="",
        confirm_error="",
        form_error="",
        _account_id=None,
        router=SimpleNamespace(
            session=SimpleNamespace(client_ip=ip), headers=SimpleNamespace(user_agent="test/1.0")
        ),
    )


def test_a_slow_smtp_server_does_not_hold_the_request_that_queued_the_mail(
    engine, tmp_path, monkeypatch
):
    from espace.core.db import get_engine
    from espace.state.account_flows import ForgotState

    receiver = Receiver()
    first, second = factories.committed(
        lambda db: (factories.holder(db).email, factories.holder(db).email)
    )
    use_queue(monkeypatch, tmp_path)
    with smtp_server(receiver) as port:
        receiver.hold[RESET_SUBJECT] = 10  # the server waits 10 s before it accepts
        settings = get_settings()  # what a delivery inside the request would use
        monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
        monkeypatch.setattr(settings, "smtp_port", port)
        monkeypatch.setattr(settings, "smtp_starttls", False)

        me = _forgot("192.0.2.61")
        run_handler(ForgotState.request, me, {"identifier": first, "channel": "email"})
        # The handler has returned: the page says "sent", the SMTP server has seen nothing yet.
        assert me.step == "sent"
        assert receiver.mail_from == 0 and receiver.received == []
        with Session(get_engine()) as db:
            [row] = db.exec(select(OutboxMessage).where(OutboxMessage.recipient == first)).all()
        assert row.status == "queued" and jobs.queue_depth() == 1

        env = worker_env(
            tmp_path,
            settings.database_url,
            port,
            ESPACE_DELIVERY_STALE_SECONDS="86400",  # the suite's other messages are not ours
        )
        worker = start_worker(env, tmp_path / "worker.log", "--workers", "2", "--no-periodic")
        try:
            wait_for(receiver.holding.is_set, "the worker reaches the slow server")
            other = _forgot("192.0.2.62")  # meanwhile, another request is answered
            run_handler(ForgotState.request, other, {"identifier": second, "channel": "email"})
            assert other.step == "sent" and not receiver.released.is_set()  # the first still held
            wait_for(
                lambda: receiver.accepted_subjects()[RESET_SUBJECT] == 2,
                "both e-mails are delivered",
            )
        finally:
            stop_worker(worker)
    with Session(get_engine()) as db:
        rows = db.exec(
            select(OutboxMessage).where(OutboxMessage.recipient.in_([first, second]))
        ).all()
    assert {r.status for r in rows} == {"sent"} and len(rows) == 2
