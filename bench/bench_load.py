"""Load benchmark: N concurrent signed-in sessions over Reflex's event socket (issue 18, item 8).

Each session is a real tab: a session cookie made with the app's own session functions, a websocket
to ``/_event``, the dashboard opened (hydrate + on_load), then every 2-8 s a click on a real handler
(``DashboardState.move_widget``, down then back up). The round trip is the time from sending the
event to the delta that answers it. Printed for each scenario: clicks, errors, p50/p95/p99,
clicks/s, and the backend's memory per open tab ((RSS with the tabs open - RSS before) / N, process
tree).

Scenarios (one run, one machine, the same PostgreSQL + Redis for all, backends started fresh for
each):
  Espace, one process:       N = 50, 200, 500           (--sizes)
  Espace, two processes:     N = 500 behind nginx       (--two)
  bare Reflex app, one proc: the same N                 (bench/bare_app: one state, one handler)
  memory with granian:       N = 200                    (--granian; uvicorn is the default server)
  slow SMTP, one process:    N = 200                    (--slow-smtp: the worker sends to a mail
      server that takes 10 s per message while e-mails keep being queued; the tabs' round trips
      are compared with the same N without it)

    .venv/bin/python bench/bench_load.py                       # everything, 60 s per scenario
    .venv/bin/python bench/bench_load.py --sizes 50 --two 0 --duration 20 --granian 0

Nothing is asserted: the figures are printed (and written to bench/results/load.json). The load
generator runs on the same 2 cores as the servers, which inflates every latency here alike.
Handlers are measured as they are; none is tuned for this benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from espace.testing import free_port  # noqa: E402
from espace.testing_ws import ROOT_STATE, AsyncReflexSocket  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BARE = ROOT / "bench" / "bare_app"
SECRET = "bench-load-secret-0123456789abcdefghijklmnop"


# ---- one tab -------------------------------------------------------------------------------------


class Tab(AsyncReflexSocket):
    """A socket that can wait for the delta of one state (the answer to a click)."""

    async def click(self, name: str, payload: dict, state: str, timeout: float) -> float:
        while (
            not self._inbox.empty()
        ):  # anything left from before (another tab's broadcast, probes)
            self._inbox.get_nowait()
        started = time.perf_counter()
        await self.send(name, payload)
        deadline = started + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(name)
            update = await asyncio.wait_for(self._inbox.get(), left)
            if state in (update.get("delta") or {}):
                return time.perf_counter() - started


@dataclass
class Result:
    name: str
    sessions: int
    processes: int
    server: str
    opened: int = 0
    clicks: int = 0
    errors: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    clicks_per_s: float = 0.0
    open_p50_ms: float = 0.0
    rss_idle_mb: float = 0.0
    rss_open_mb: float = 0.0
    kb_per_tab: float = 0.0
    error_kinds: dict[str, int] = field(default_factory=dict)


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Target:
    """What the tabs do: the page to open, the handler to click, the state whose delta answers."""

    page: str
    state: str  # full state name
    handler: str
    payloads: list[dict]  # clicked in turn
    cookies: list[dict[str, str]]  # one per session (empty dicts for the bare app)
    widget_from_load: bool = False


async def run_load(
    url: str, origin: str, target: Target, n: int, duration: float, rss
) -> tuple[Result, list[float]]:
    result = Result(name="", sessions=n, processes=0, server="")
    tabs: list[Tab] = []
    opened_ms: list[float] = []
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def error(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    gate = asyncio.Semaphore(16)  # open the pages 16 at a time (a crowd arriving, not one burst)

    async def warm_up(index: int) -> None:
        """A few tabs opened, clicked and closed first: imports, caches and pools are then warm,
        and the memory measured next is what the open tabs cost."""
        tab = Tab(url, cookies=target.cookies[index], headers={"Origin": origin}, timeout=60)
        try:
            await tab.connect()
            reply = await tab.open_page(target.page, rounds=1)
            payload = dict(target.payloads[0])
            if target.widget_from_load:
                slots = reply.state(target.state).get("slots") or []
                if not slots:
                    raise RuntimeError(f"dashboard without widgets: {reply.deltas} {reply.events}")
                payload["widget_id"] = slots[0]["id"]
            await tab.click(f"{target.state}.{target.handler}", payload, target.state, timeout=60)
        finally:
            await _close(tab)

    for index in range(min(10, n)):
        await warm_up(index)
    await asyncio.sleep(1)
    result.rss_idle_mb = rss() / 1024

    async def open_one(index: int) -> None:
        tab = Tab(url, cookies=target.cookies[index], headers={"Origin": origin}, timeout=30)
        async with gate:
            try:
                started = time.perf_counter()
                await tab.connect()
                reply = await tab.open_page(target.page, rounds=1)
                opened_ms.append((time.perf_counter() - started) * 1000)
                if target.widget_from_load:
                    slots = reply.state(target.state).get("slots") or []
                    ids = [s["id"] for s in slots if isinstance(s, dict) and "id" in s]
                    if not ids:
                        raise RuntimeError("dashboard without widgets (not signed in?)")
                    tab.widget = ids[0]
                tabs.append(tab)
            except Exception as exc:  # noqa: BLE001 - counted
                error(f"open: {type(exc).__name__}")
                await _close(tab)

    await asyncio.gather(*(open_one(i) for i in range(n)))
    result.opened = len(tabs)
    await asyncio.sleep(2)
    result.rss_open_mb = rss() / 1024
    if tabs:
        result.kb_per_tab = (result.rss_open_mb - result.rss_idle_mb) * 1024 / len(tabs)

    stop_at = time.perf_counter() + duration

    async def user(tab: Tab, seed: int) -> None:
        rng = random.Random(seed)
        turn = 0
        await asyncio.sleep(rng.uniform(0, 8))  # spread the first clicks
        while time.perf_counter() < stop_at:
            payload = dict(target.payloads[turn % len(target.payloads)])
            if target.widget_from_load:
                payload["widget_id"] = tab.widget
            turn += 1
            try:
                latencies.append(
                    await tab.click(
                        f"{target.state}.{target.handler}", payload, target.state, timeout=15
                    )
                    * 1000
                )
            except Exception as exc:  # noqa: BLE001 - counted
                error(f"click: {type(exc).__name__}")
            await asyncio.sleep(rng.uniform(2, 8))

    started = time.perf_counter()
    await asyncio.gather(*(user(tab, i) for i, tab in enumerate(tabs)))
    elapsed = time.perf_counter() - started
    await asyncio.gather(*(_close(tab) for tab in tabs))
    result.clicks, result.errors = len(latencies), sum(errors.values())
    result.error_kinds = errors
    result.p50_ms, result.p95_ms, result.p99_ms = (pct(latencies, p) for p in (50, 95, 99))
    result.max_ms = max(latencies, default=0.0)
    result.clicks_per_s = len(latencies) / elapsed if elapsed else 0.0
    result.open_p50_ms = statistics.median(opened_ms) if opened_ms else 0.0
    return result, latencies


async def _close(tab: Tab) -> None:
    try:
        await asyncio.wait_for(tab.close(), 5)
    except Exception:  # noqa: BLE001
        pass


# ---- data ----------------------------------------------------------------------------------------


def seed(database_url: str, holders: int) -> None:
    from sqlmodel import Session

    from espace.core.db import make_engine
    from espace.demo.generated import seed_volume
    from espace.demo.seed import seed_demo

    engine = make_engine(database_url)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
        seed_volume(session, holders=holders)
        session.commit()
    engine.dispose()


def session_cookies(database_url: str, count: int, cookie_name: str) -> list[dict[str, str]]:
    """Signed-in sessions of ``count`` generated holders, made with the app's own session
    functions."""
    from sqlmodel import Session, select

    from espace.core.db import make_engine
    from espace.identity import sessions
    from espace.identity.models import Account

    engine = make_engine(database_url)
    cookies = []
    with Session(engine) as session:
        accounts = session.exec(
            select(Account.id)
            .where(Account.email.like("assure%@example.com"))
            .order_by(Account.id)
            .limit(count)
        ).all()
        for account_id in accounts:
            code = sessions.begin_login(session=session, account_id=account_id)
            token = sessions.complete_handoff(session=session, code=code)
            cookies.append({cookie_name: token})
        session.commit()
    engine.dispose()
    if len(cookies) < count:
        raise SystemExit(f"only {len(cookies)} generated holders for {count} sessions")
    return cookies


# ---- processes -----------------------------------------------------------------------------------


def start_bare(folder: Path, redis_url: str, origin: str, server: str):
    from espace.core import serve
    from espace.testing_servers import _spawn, http_ok, wait_for
    from espace.testing_stack import Backend

    port = free_port()
    env = {
        **os.environ,
        "__REFLEX_SKIP_COMPILE": "true",
        "REFLEX_ENV_MODE": "prod",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_WEB_WORKDIR": str(folder / f"bare-web-{port}"),
        "BARE_REDIS_URL": redis_url,
        "BARE_ORIGIN": origin,
    }
    command = serve.command(port=port, server=server)
    command[command.index("espace.espace:app")] = "bare_app.bare_app:app"
    log = folder / f"bare-{port}.log"
    process = _spawn(command, log=log, env=env, cwd=BARE)
    backend = Backend(port=port, process=process, log=log)
    wait_for(
        lambda: http_ok(f"{backend.url}/ping"),
        timeout=120,
        what="bare app",
        process=process,
        log=log,
    )
    return backend


def slow_smtp_scenario(args, env: dict, folder: Path, target: Target, scenario, results) -> None:
    """The tabs click while the worker is stuck on a mail server that takes ``--smtp-delay`` s per
    message and e-mails keep being queued (one a second, as other holders' actions would)."""
    from sqlalchemy import text

    from espace.core.db import make_engine
    from espace.testing_stack import (
        _spawn,
        port_open,
        start_backend,
        start_worker,
        stop_process,
        wait_for,
    )

    port = free_port()
    smtp_env = {
        **env,
        "ESPACE_SMTP_HOST": "127.0.0.1",
        "ESPACE_SMTP_PORT": str(port),
        "ESPACE_SMTP_STARTTLS": "false",
    }
    sink = _spawn(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
        + ["-c", "slow_smtp.SlowSink", str(args.smtp_delay)],
        log=folder / "slow-smtp.log",
        env={**os.environ, "PYTHONPATH": str(ROOT / "bench")},
    )
    started = []
    try:
        wait_for(lambda: port_open(port), timeout=30, what="the slow SMTP server", process=sink)
        started.append(start_worker(env=smtp_env, folder=folder / "worker"))
        started.append(
            _spawn(
                [sys.executable, str(ROOT / "bench" / "slow_smtp.py"), "mail"]
                + ["--per-second", "1", "--seconds", str(args.duration + 30)],
                log=folder / "mailer.log",
                env={**os.environ, **smtp_env, "ESPACE_DATA_DIR": str(folder / "data-mailer")},
            )
        )
        backend = start_backend(env=smtp_env, folder=folder / "backends", server=args.server)
        try:
            scenario(
                f"espace 1 process, SMTP {args.smtp_delay:.0f} s/msg",
                target,
                args.slow_smtp,
                [backend],
                backend.url,
                args.server,
            )
        finally:
            backend.stop()
    finally:
        for process in reversed(started):
            stop_process(process)
        stop_process(sink)
    engine = make_engine(env["ESPACE_DATABASE_URL"])
    with engine.connect() as db:
        counts = dict(
            db.execute(
                text(
                    "SELECT status, count(*) FROM outbox_message "
                    "WHERE recipient LIKE 'lent%' GROUP BY status"
                )
            ).all()
        )
    engine.dispose()
    print(f"  slow SMTP: e-mails by status at the end {counts}", flush=True)
    slow = results[-1]
    same = [
        r for r in results[:-1] if r.sessions == slow.sessions and r.name.startswith("espace 1")
    ]
    if same and same[0].p95_ms:
        print(
            f"  slow SMTP: p95 {slow.p95_ms:.1f} ms against {same[0].p95_ms:.1f} ms without "
            f"(ratio {slow.p95_ms / same[0].p95_ms:.2f})",
            flush=True,
        )


def print_row(r: Result) -> None:
    print(
        f"{r.name:<34} {r.sessions:>5} {r.opened:>6} {r.clicks:>6} {r.errors:>6} "
        f"{r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.p99_ms:>8.1f} {r.clicks_per_s:>7.1f} "
        f"{r.open_p50_ms:>8.0f} {r.rss_idle_mb:>7.0f} {r.kb_per_tab:>7.0f}",
        flush=True,
    )


HEADER = (
    f"{'scenario':<34} {'N':>5} {'opened':>6} {'clicks':>6} {'errors':>6} {'p50 ms':>8} "
    f"{'p95 ms':>8} {'p99 ms':>8} {'clk/s':>7} {'open ms':>8} {'RSS MB':>7} {'KB/tab':>7}"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500", help="sessions on one process")
    parser.add_argument("--two", type=int, default=500, help="sessions on two processes (0: skip)")
    parser.add_argument("--granian", type=int, default=200, help="sessions on granian (0: skip)")
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of clicking per scenario"
    )
    parser.add_argument(
        "--slow-smtp", type=int, default=200, help="sessions with a slow SMTP server (0: skip)"
    )
    parser.add_argument("--smtp-delay", type=float, default=10, help="seconds per message")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare Reflex app")
    parser.add_argument("--server", default="uvicorn", choices=["uvicorn", "granian"])
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    most = max([*sizes, args.two, args.granian, 1])

    from espace.testing_servers import postgres, redis
    from espace.testing_stack import nginx, process_tree_rss_kb, start_backend

    RESULTS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="espace-bench-load-"))
    results: list[Result] = []
    with ExitStack() as stop_all:
        print("starting PostgreSQL and Redis, seeding", most, "holders...", flush=True)
        database_url = stop_all.enter_context(postgres())
        redis_url = stop_all.enter_context(redis(folder / "redis"))
        from espace.core.migrations import upgrade_to_head

        upgrade_to_head(database_url)
        seed(database_url, most)
        proxy_port = free_port()
        origin = f"http://localhost:{proxy_port}"
        env = {
            "ESPACE_ENV": "test",
            "ESPACE_DATABASE_URL": database_url,
            "ESPACE_REDIS_URL": redis_url,
            "ESPACE_PUBLIC_BASE_URL": origin,
            "ESPACE_SECRET_KEY": SECRET,
            "ESPACE_TRUSTED_PROXIES": "127.0.0.1,::1",
            "ESPACE_SEARCH_MODEL": "none",
            "ESPACE_LOG_FORMAT": "text",
        }
        # The search index is built once, before any backend: a first backend would otherwise
        # build it while it is measured (memory freed after the build read as negative KB/tab).
        subprocess.run(
            [sys.executable, "-m", "espace.cli", "reindex"],
            env={**os.environ, **env, "ESPACE_DATA_DIR": str(folder / "data-index")},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        cookie_name = "espace_session"  # http:// base URL outside production
        cookies = session_cookies(database_url, most, cookie_name)
        from espace.state.dashboard import DashboardState

        espace_target = Target(
            page="/tableau-de-bord",
            state=DashboardState.get_full_name(),
            handler="move_widget",
            payloads=[{"delta": 1}, {"delta": -1}],
            cookies=cookies,
            widget_from_load=True,
        )
        bare_target = Target(
            page="/",
            state=f"{ROOT_STATE}.bare_app___bare_app____bare_state",
            handler="click",
            payloads=[{"step": 1}],
            cookies=[{} for _ in range(most)],
        )
        print(
            f"state in Redis, server {args.server}, {args.duration:.0f} s of clicks per scenario\n"
        )
        print(HEADER, flush=True)

        def scenario(name, target, n, backends, url, server):
            rss = lambda: sum(process_tree_rss_kb(b.process.pid) for b in backends)  # noqa: E731
            result, _ = asyncio.run(run_load(url, origin, target, n, args.duration, rss))
            result.name, result.processes, result.server = name, len(backends), server
            results.append(result)
            print_row(result)

        for n in sizes:
            backend = start_backend(env=env, folder=folder / "backends", server=args.server)
            try:
                scenario(
                    f"espace 1 process ({args.server})",
                    espace_target,
                    n,
                    [backend],
                    backend.url,
                    args.server,
                )
            finally:
                backend.stop()
            if not args.no_bare:
                bare = start_bare(folder, redis_url, origin, args.server)
                try:
                    scenario(
                        f"bare reflex 1 process ({args.server})",
                        bare_target,
                        n,
                        [bare],
                        bare.url,
                        args.server,
                    )
                finally:
                    bare.stop()
        if args.slow_smtp:
            slow_smtp_scenario(args, env, folder, espace_target, scenario, results)
        if args.granian and args.server != "granian":
            backend = start_backend(env=env, folder=folder / "backends", server="granian")
            try:
                scenario(
                    "espace 1 process (granian)",
                    espace_target,
                    args.granian,
                    [backend],
                    backend.url,
                    "granian",
                )
            finally:
                backend.stop()
            if not args.no_bare:
                bare = start_bare(folder, redis_url, origin, "granian")
                try:
                    scenario(
                        "bare reflex 1 process (granian)",
                        bare_target,
                        args.granian,
                        [bare],
                        bare.url,
                        "granian",
                    )
                finally:
                    bare.stop()
        if args.two:
            backends = [
                start_backend(env=env, folder=folder / "backends", server=args.server)
                for _ in range(2)
            ]
            frontend = folder / "frontend"  # the event socket is all this load uses: an empty build
            (frontend / "client").mkdir(parents=True, exist_ok=True)
            (frontend / "client" / "index.html").write_text("<!doctype html><title>Espace</title>")
            (frontend / "headers.conf").write_text(
                'map $uri $espace_csp { default ""; }\n'
                'map $uri $espace_cache { default "no-cache"; }\n'
                'map $uri $espace_hsts { default ""; }\n'
            )
            try:
                with nginx(
                    port=proxy_port,
                    backends=[f"127.0.0.1:{b.port}" for b in backends],
                    frontend=frontend,
                    folder=folder / "nginx",
                    dev_mailbox=False,
                ) as url:
                    scenario(
                        f"espace 2 processes + nginx ({args.server})",
                        espace_target,
                        args.two,
                        backends,
                        url,
                        args.server,
                    )
            finally:
                for backend in backends:
                    backend.stop()
            if not args.no_bare:
                bares = [start_bare(folder, redis_url, origin, args.server) for _ in range(2)]
                try:
                    with nginx(
                        port=proxy_port,
                        backends=[f"127.0.0.1:{b.port}" for b in bares],
                        frontend=frontend,
                        folder=folder / "nginx-bare",
                        dev_mailbox=False,
                    ) as url:
                        scenario(
                            f"bare 2 processes + nginx ({args.server})",
                            bare_target,
                            args.two,
                            bares,
                            url,
                            args.server,
                        )
                finally:
                    for bare in bares:
                        bare.stop()
    print(
        "\nround trip = event sent -> delta of the clicked state received (load generator on the "
        "same\ncores); KB/tab = backend RSS growth with the tabs open / tabs (process tree, all "
        "backends)."
    )
    errors = [r for r in results if r.errors]
    for r in errors:
        print(f"errors in {r.name} N={r.sessions}: {r.error_kinds}")
    (RESULTS / "load.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    print(f"written to {RESULTS / 'load.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
