"""Secure messaging at scale: the staff inbox and its figures with 10 000 threads (a third of them
in the last 30 days), a holder's thread list, and opening a thread with the assistant's
conversation. Prints p50/p95.

Run: .venv/bin/python bench/bench_support.py [--threads 10000] [--n 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-support-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

from sqlmodel import Session, select  # noqa: E402

from bench.bench_documents import summary  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.core.models import utcnow  # noqa: E402
from espace.demo.seed import seed_demo  # noqa: E402
from espace.identity.models import StaffUser  # noqa: E402
from espace.support import thread_inbox, thread_rules, thread_views  # noqa: E402
from espace.support import threads as support  # noqa: E402
from espace.support.models import SupportMessage, SupportThread  # noqa: E402
from tests import factories  # noqa: E402


def timed(fn, n: int) -> dict:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return summary(times)


def populate(db: Session, count: int) -> tuple[int, int]:
    rng = random.Random(7)
    holders = [factories.holder(db, with_account=False).id for _ in range(max(1, count // 20))]
    handlers = [s.id for s in db.exec(select(StaffUser)).all()]
    now = utcnow()
    for i in range(count):
        created = now - timedelta(days=rng.uniform(0, 90))
        status = rng.choice(["open", "waiting", "resolved", "resolved"])
        category = rng.choice(["contract", "claim", "payment", "other"])
        first = created + timedelta(hours=rng.uniform(1, 60)) if status != "open" else None
        thread = SupportThread(
            holder_id=holders[i % len(holders)],
            subject=f"Question {i}",
            category=category,
            status=status,
            created_at=created,
            last_message_at=first or created,
            reply_due_at=thread_rules.reply_due(category, created) if status == "open" else None,
            first_reply_at=first,
            assigned_staff_id=rng.choice(handlers + [None]),
        )
        db.add(thread)
        db.flush()
        db.add(
            SupportMessage(
                thread_id=thread.id,
                author="holder",
                body="Bonjour, j'ai une question.",
                created_at=created,
            )
        )
        if first:
            db.add(
                SupportMessage(
                    thread_id=thread.id,
                    author="staff",
                    staff_id=handlers[0],
                    body="Réponse.",
                    created_at=first,
                )
            )
    db.flush()
    return holders[0], handlers[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    upgrade_to_head()
    with Session(get_engine(), expire_on_commit=False) as db:
        seed_demo(db)
        holder_id, _ = populate(db, args.threads)
        handler = db.exec(select(StaffUser).where(StaffUser.role == "handler")).first()
        escalated = support.open_thread(
            session=db,
            holder_id=holder_id,
            subject="Depuis l'assistant",
            category="claim",
            body="Je souhaite parler à un conseiller.",
            origin="assistant",
            transcript=[("holder", "Question ?"), ("assistant", "Réponse.")] * 10,
        )
        db.commit()
        results = {
            "threads": args.threads,
            "inbox_default": timed(
                lambda: thread_inbox.inbox(session=db, staff_id=handler.id), args.n
            ),
            "inbox_late_only": timed(
                lambda: thread_inbox.inbox(
                    session=db,
                    staff_id=handler.id,
                    filters=thread_inbox.InboxFilters(late_only=True),
                ),
                args.n,
            ),
            "inbox_mine_claims": timed(
                lambda: thread_inbox.inbox(
                    session=db,
                    staff_id=handler.id,
                    filters=thread_inbox.InboxFilters(category="claim", assigned="mine"),
                ),
                args.n,
            ),
            "figures_30_days": timed(
                lambda: thread_inbox.figures(session=db, staff_id=handler.id), args.n
            ),
            "holder_thread_list": timed(
                lambda: thread_views.list_threads(session=db, holder_id=holder_id), args.n
            ),
            "open_escalated_thread": timed(
                lambda: thread_views.messages(session=db, thread_id=escalated.id), args.n
            ),
        }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
