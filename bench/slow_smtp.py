"""The slow mail server of bench_load.py's slow-SMTP scenario, and the e-mails that keep it busy.

PYTHONPATH=bench python -m aiosmtpd -n -l 127.0.0.1:PORT -c slow_smtp.SlowSink 10
    an SMTP server (aiosmtpd) that takes 10 s to accept each message, then forgets it;
python bench/slow_smtp.py mail --per-second 1 --seconds 90
    queues e-mails through Espace's own outbox (the database and queue of the environment:
    ESPACE_DATABASE_URL, ESPACE_REDIS_URL), as other holders' actions would; the worker then
    sends them to the slow server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path


class SlowSink:
    """aiosmtpd handler: every message waits ``delay`` seconds before its "250 OK"."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    @classmethod
    def from_cli(cls, parser, *args) -> SlowSink:  # noqa: ARG003 - aiosmtpd's signature
        return cls(float(args[0]) if args else 10.0)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(self.delay)
        return "250 OK"


def mail(per_second: float, seconds: float) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import espace.tables  # noqa: F401 - every table, for the outbox row's foreign keys
    from espace.core.db import session_scope
    from espace.notifications import outbox

    sent, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        with session_scope() as db:
            outbox.send_email(
                session=db,
                to=f"lent{sent}@example.com",
                subject="Message de charge",
                body="Bonjour,\n\nUn message envoyé pendant la mesure.",
            )
        sent += 1
        time.sleep(1 / per_second)
    print(f"{sent} e-mails queued", flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["mail"])
    parser.add_argument("--per-second", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=90.0)
    options = parser.parse_args()
    raise SystemExit(mail(options.per_second, options.seconds))
