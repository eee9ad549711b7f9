"""The real worker (``espace worker``) delivering a webhook to a local HTTP receiver that fails
twice then accepts: the receiver gets the event exactly once, with a valid signature, and the
delivery log shows the three attempts."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlmodel import Session, select
from standardwebhooks import Webhook

from espace.core.db import make_engine
from espace.core.migrations import upgrade_to_head
from espace.core.settings import get_settings
from espace.webhooks import delivery
from espace.webhooks.events import emit
from espace.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.integration.notifications.queue_support import (
    free_port,
    start_worker,
    stop_worker,
    use_queue,
    wait_for,
    worker_env,
)


class Hooks(BaseHTTPRequestHandler):
    failures = 2
    received: list[tuple[bytes, dict]] = []
    accepted: list[str] = []
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["content-length"]))
        with self.lock:
            Hooks.received.append((body, {k.lower(): v for k, v in self.headers.items()}))
            failing = Hooks.failures > 0
            Hooks.failures -= 1
        if failing:
            self.send_response(503)
            self.end_headers()
            return
        with self.lock:
            if self.headers["webhook-id"] not in Hooks.accepted:  # a receiver drops duplicates
                Hooks.accepted.append(self.headers["webhook-id"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_receiver_that_fails_twice_then_accepts_gets_the_event_once_signed(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'espace.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hooks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    use_queue(monkeypatch, tmp_path)
    env = worker_env(
        tmp_path,
        url,
        None,
        ESPACE_WEBHOOK_RETRY_SECONDS="1",
        ESPACE_SECRET_KEY=get_settings().secret_key.get_secret_value(),
    )
    worker = start_worker(env, tmp_path / "worker.log", "--workers", "2", "--no-periodic")
    try:
        with Session(engine) as db:
            _, secret = delivery.create_endpoint(
                session=db,
                url=f"http://127.0.0.1:{server.server_port}/hooks",
                event_types=["claim.declared"],
            )
            event = emit(
                "claim.declared", {"claim_id": 12, "number": "SIN-2026-000012"}, session=db
            )
            uid = event.event_uid
            db.commit()  # the delivery is queued now

        def delivered():
            with Session(engine) as db:
                return db.exec(select(WebhookDelivery.status)).one() == "delivered"

        wait_for(delivered, "the webhook is delivered after two retries")
    finally:
        stop_worker(worker)
        server.shutdown()
    assert Hooks.accepted == [uid]  # exactly once
    assert len(Hooks.received) == 3
    body, headers = Hooks.received[-1]
    assert Webhook(secret).verify(body, headers)["data"]["number"] == "SIN-2026-000012"
    with Session(engine) as db:
        row = db.exec(select(WebhookDelivery)).one()
        log = db.exec(select(WebhookAttempt).order_by(WebhookAttempt.number)).all()
    assert (row.attempts, row.last_status_code) == (3, 204)
    assert [(a.number, a.status_code) for a in log] == [(1, 503), (2, 503), (3, 204)]
    engine.dispose()
