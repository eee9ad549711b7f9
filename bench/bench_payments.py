"""Payments: the 10-year history with yearly totals, the CSV and OFX exports of 10 years, and the
debit-day preview, for a holder with two contracts paid monthly for ten years. Prints p50/p95.

Run: .venv/bin/python bench/bench_payments.py [--n 100]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-payments-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

from sqlmodel import Session  # noqa: E402

from bench.bench_documents import summary  # noqa: E402
from espace.billing import exports, instalments, payment_changes, payments  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.seed import seed_demo  # noqa: E402
from tests import factories  # noqa: E402


def timed(fn, n: int) -> dict:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return summary(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()
    upgrade_to_head()
    today = date.today()
    with Session(get_engine(), expire_on_commit=False) as db:
        seed_demo(db)
        person = factories.holder(db)
        contracts = [
            factories.contract(
                db, person, start_date=date(today.year - 10, 1, 1), annual_premium_cents=30_000
            )
            for _ in range(2)
        ]
        count = sum(
            len(
                instalments.seed_history(
                    session=db, contract=c, today=today, ahead_until=date(today.year, 12, 31)
                )
            )
            for c in contracts
        )
        db.commit()
        start, end = date(today.year - 9, 1, 1), today
        results = {
            "payments_of_holder": count,
            "history_10_years": timed(
                lambda: payments.history(session=db, holder_id=person.id, today=today), args.n
            ),
            "export_csv_10_years": timed(
                lambda: exports.export_csv(session=db, holder_id=person.id, start=start, end=end),
                args.n,
            ),
            "export_ofx_10_years": timed(
                lambda: exports.export_ofx(session=db, holder_id=person.id, start=start, end=end),
                args.n,
            ),
            "debit_day_preview": timed(
                lambda: payment_changes.debit_day_preview(
                    session=db,
                    holder_id=person.id,
                    contract_id=contracts[0].id,
                    day=15,
                    today=today,
                ),
                args.n,
            ),
        }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
