"""For the tests of the real worker: a local SMTP server (aiosmtpd) whose answers a test scripts,
and ``espace worker`` processes started on a database and a queue of the test's own."""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from huey.storage import SqliteStorage

from espace.core import jobs
from espace.core.settings import PROJECT_ROOT


class Receiver:
    """An aiosmtpd handler that records what arrives. A message counts as accepted only once the
    server answered 250: a client that disconnects while the server holds the message (a worker
    killed mid-send) cancels the handler, and the message is not accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mail_from = 0  # MAIL FROM commands: a client started a message
        self.received: list[str] = []  # subjects whose content arrived (DATA)
        self.received_ids: list[tuple[str, str]] = []  # (Message-ID, subject) of each arrival
        self.accepted: list[tuple[str, str]] = []  # (Message-ID, subject) answered 250
        self.hold: dict[str, float] = {}  # subject -> seconds to wait before answering, first time
        self.failures: dict[str, int] = {}  # subject -> how many times to answer 451 first
        self.holding = threading.Event()  # a message is being held
        self.dropped = threading.Event()  # a held message's client went away
        self.released = threading.Event()  # a held message's wait is over

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.mail_from += 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        with self.lock:
            self.received.append(subject)
            self.received_ids.append((message["Message-ID"], subject))
            delay = self.hold.pop(subject, 0)
            failing = self.failures.get(subject, 0) > 0
            if failing:
                self.failures[subject] -= 1
        if delay:
            self.holding.set()
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                self.dropped.set()
                raise
            self.released.set()
        if failing:
            return "451 4.3.0 Service momentanément indisponible, réessayez plus tard"
        with self.lock:
            self.accepted.append((message["Message-ID"], subject))
        return "250 2.0.0 Message accepté"

    def accepted_subjects(self) -> Counter:
        with self.lock:
            return Counter(subject for _, subject in self.accepted)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(receiver: Receiver) -> Iterator[int]:
    port = free_port()
    controller = Controller(receiver, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def use_queue(monkeypatch, data_dir: Path) -> SqliteStorage:
    """This process enqueues into the queue of a worker started with ESPACE_DATA_DIR=data_dir."""
    storage = SqliteStorage(jobs.QUEUE_NAME, filename=str(data_dir / "queue.db"))
    monkeypatch.setattr(jobs.huey, "storage", storage)
    return storage


def worker_env(data_dir: Path, database_url: str, smtp_port: int | None, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "ESPACE_ENV": "test",
            "ESPACE_DATA_DIR": str(data_dir),
            "ESPACE_DATABASE_URL": database_url,
            "ESPACE_DELIVERY_RETRY_SECONDS": "1",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
    )
    if smtp_port:
        env.update(
            {
                "ESPACE_SMTP_HOST": "127.0.0.1",
                "ESPACE_SMTP_PORT": str(smtp_port),
                "ESPACE_SMTP_STARTTLS": "false",
            }
        )
    env.update(extra)
    return env


def start_worker(env: dict, log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "espace.cli", "worker", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # graceful: running jobs finish
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> None:
    """Poll until ``condition()`` is true (a bound on the wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s: {what}")
        time.sleep(0.1)
