"""Hot State handlers, called in-process as Reflex calls them (session check, pool thread, body):
the dashboard's load and widget move, and the payments page's change of debit day for a holder with
ten years of monthly history. Prints p50/p95 in ms.

Then the dashboard's load again at scale: its p50 with 20 holders in the database, then with
``--holders`` (100 000 by default; generated holders with accounts and contracts, by the demo's own
``seed_volume``: about 6 min on SQLite), and the ratio of the two (the target: within 10 %).

Run: .venv/bin/python bench/bench_handlers.py [--n 60] [--holders 100000 | --holders 0 to skip]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-handlers-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

import reflex as rx  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from bench.bench_documents import summary  # noqa: E402
from espace.billing import instalments  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.core.settings import get_settings  # noqa: E402
from espace.demo.generated import seed_volume  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, seed_demo  # noqa: E402
from espace.identity.models import Policyholder  # noqa: E402
from tests import factories  # noqa: E402


def _state(cls, token: str, path: str):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    cookie = f"{get_settings().session_cookie_name}={token}"
    state._update_router_vars(
        {"headers": {"cookie": cookie}, "pathname": path, "asPath": path, "query": {}}, {}
    )
    return state


def _call(handler, state, *args):
    result = handler.fn(state, *args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def _timed(fn, n: int) -> dict:
    times = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return summary(times[max(1, n // 10) :])  # the first calls warm the caches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--holders", type=int, default=100_000, help="0: skip the scale run")
    args = parser.parse_args()
    upgrade_to_head()
    today = date.today()
    with Session(get_engine(), expire_on_commit=False) as db:
        seed_demo(db)
        demo = db.exec(select(Policyholder).where(Policyholder.email == DEMO_EMAIL)).one()
        demo_token, _ = factories.signed_in(db, demo)
        payer = factories.holder(db)
        contract = factories.contract(
            db, payer, start_date=date(today.year - 10, 1, 1), annual_premium_cents=30_000
        )
        instalments.seed_history(
            session=db, contract=contract, today=today, ahead_until=date(today.year + 1, 12, 31)
        )
        payer_token, _ = factories.signed_in(db, payer)
        db.commit()

    import espace.espace  # noqa: F401  (registers every state)
    from espace.state.dashboard import DashboardState
    from espace.state.payments import PaymentsState

    dashboard = _state(DashboardState, demo_token, "/tableau-de-bord")
    _call(DashboardState.load, dashboard)
    first = dashboard.slots[0].id
    payments = _state(PaymentsState, payer_token, "/paiements")
    _call(PaymentsState.load, payments)
    days = [d for d in range(1, 29) if d != contract.debit_day]

    def change_day(i: int) -> None:
        form = {"contract_id": str(contract.id), "kind": "debit_day", "value": str(days[i % 27])}
        _call(PaymentsState.preview_change, payments, form)
        _call(PaymentsState.confirm_change, payments)

    results = {
        "dashboard_load": _timed(lambda i: _call(DashboardState.load, dashboard), args.n),
        "dashboard_move_widget": _timed(
            lambda i: _call(DashboardState.move_widget, dashboard, first, 1 - 2 * (i % 2)), args.n
        ),
        "payments_preview_and_confirm_debit_day": _timed(change_day, min(args.n, 27)),
    }
    print(json.dumps(results, indent=2), flush=True)
    if args.holders:
        scale(dashboard, args.n, args.holders)


def _holders() -> int:
    with Session(get_engine()) as db:
        return db.exec(select(func.count()).select_from(Policyholder)).one()


def scale(dashboard, n: int, holders: int) -> None:
    """The demo holder's dashboard load at 20 holders, then at ``holders``."""
    from espace.state.dashboard import DashboardState

    figures, counts = {}, {}
    for size in (20, holders):  # the demo alone has a few more than 20
        missing = size - _holders()
        if missing > 0:
            started = time.perf_counter()
            with Session(get_engine()) as db:
                seed_volume(db, holders=missing)
                db.commit()
            took = time.perf_counter() - started
            print(f"{missing} holders generated in {took:.0f} s", flush=True)
        figures[size] = _timed(lambda i: _call(DashboardState.load, dashboard), n)
        counts[size] = _holders()
        print(f"dashboard_load at {counts[size]} holders: {json.dumps(figures[size])}", flush=True)
    small, large = figures[20]["p50_ms"], figures[holders]["p50_ms"]
    print(
        f"dashboard_load p50 at {counts[holders]} holders / at {counts[20]}: {large / small:.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
