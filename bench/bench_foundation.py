"""Foundation benchmark: production build time, first render of the login page, one click's
round trip (event -> server -> DOM update), and backend memory with 50 signed-in browser sessions.

Prints the figures (and writes them to bench/results/foundation.json). No assertion: targets are
read by people. Run: .venv/bin/python bench/bench_foundation.py [--sessions 50] [--clicks 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from espace import routes  # noqa: E402
from espace.core.db import make_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.generated import seed_volume  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, OTHER_HOLDER_PASSWORD, seed_demo  # noqa: E402
from espace.identity.models import Account  # noqa: E402
from espace.testing import CHROMIUM_ARGS, chromium_executable, start_app, tool_env  # noqa: E402

CLICK_JS = """
async (n) => {
  const id = document.getElementById('identifier'), pw = document.getElementById('password');
  const button = document.querySelector('form button[type=submit]');
  const times = [];
  for (let i = 0; i < n; i++) {
    const wantIdentifierError = i % 2 === 0;
    id.value = wantIdentifierError ? '' : 'x';
    pw.value = wantIdentifierError ? 'x' : '';
    const shown = wantIdentifierError ? 'identifier-error' : 'password-error';
    const hidden = wantIdentifierError ? 'password-error' : 'identifier-error';
    const done = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.getElementById(shown) && !document.getElementById(hidden)) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document.body, {childList: true, subtree: true});
    });
    const start = performance.now();
    button.click();
    await done;
    times.push(performance.now() - start);
  }
  return times;
}
"""


def latest_code(url: str, email: str) -> str:
    import re

    from espace.notifications.models import OutboxMessage

    engine = make_engine(url)
    with Session(engine) as session:
        body = session.exec(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
    engine.dispose()
    return re.search(r"\b(\d{6})\b", body).group(1)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def group_rss_mb(pgid: int) -> float:
    out = subprocess.run(
        ["ps", "-e", "-o", "pgid=,rss="], capture_output=True, text=True, check=True
    ).stdout
    return (
        sum(int(rss) for g, rss in (line.split() for line in out.splitlines()) if int(g) == pgid)
        / 1024
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, object] = {}

    started = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "reflex"),
            "export",
            "--env",
            "prod",
            "--frontend-only",
            "--no-zip",
            "--zip-dest-dir",
            tempfile.mkdtemp(),
        ],
        cwd=ROOT,
        env=tool_env(),
        check=True,
        capture_output=True,
    )
    results["production_build_s"] = round(time.perf_counter() - started, 2)

    folder = Path(tempfile.mkdtemp(prefix="espace-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
        seed_volume(session, holders=args.sessions)
        emails = [
            e
            for e in session.exec(select(Account.email).order_by(Account.id)).all()
            if e != DEMO_EMAIL
        ]
    engine.dispose()

    # Every benchmark browser comes from 127.0.0.1 and is a new device: raise the per-address and
    # per-account throttles as the end-to-end tests do, and pass the e-mail code from the outbox.
    app = start_app(
        database_url=url,
        data_dir=folder,
        log_path=folder / "app.log",
        extra_env={
            "ESPACE_IP_SLOWDOWN_AFTER": "100000",
            "ESPACE_IP_BLOCK_AFTER": "100000",
            "ESPACE_CODE_RESEND_SECONDS": "0",
            "ESPACE_CODES_PER_HOUR": "100000",
        },
    )
    results["start_to_serving_s"] = round(app.started_in, 2)
    try:
        with sync_playwright() as pw:
            launch = {"args": CHROMIUM_ARGS}
            if chromium_executable(whole=True):
                launch["executable_path"] = chromium_executable(whole=True)
            browser = pw.chromium.launch(**launch)

            renders, fcps = [], []
            for _ in range(args.renders):
                context = browser.new_context(base_url=app.url)
                page = context.new_page()
                start = time.perf_counter()
                page.goto("/connexion")
                page.get_by_role("button", name="Se connecter").wait_for(state="visible")
                renders.append((time.perf_counter() - start) * 1000)
                fcps.append(
                    page.evaluate(
                        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0"
                    )
                )
                context.close()
            results["login_first_render_ms"] = {
                "p50": round(pct(renders, 50)),
                "p95": round(pct(renders, 95)),
            }
            results["login_first_contentful_paint_ms"] = {
                "p50": round(pct(fcps, 50)),
                "p95": round(pct(fcps, 95)),
            }

            context = browser.new_context(base_url=app.url)
            page = context.new_page()
            page.goto("/connexion")
            page.get_by_role("button", name="Se connecter").wait_for()
            page.wait_for_timeout(500)  # let the websocket settle
            clicks = page.evaluate(CLICK_JS, args.clicks)
            results["click_round_trip_ms"] = {
                "n": len(clicks),
                "p50": round(pct(clicks, 50), 1),
                "p95": round(pct(clicks, 95), 1),
                "mean": round(statistics.mean(clicks), 1),
            }
            context.close()

            results["backend_rss_idle_mb"] = round(group_rss_mb(app.process.pid), 1)
            contexts = []
            for email in emails[: args.sessions]:
                context = browser.new_context(base_url=app.url)
                page = context.new_page()
                page.goto("/connexion")
                page.get_by_label("Adresse e-mail ou numéro de contrat").fill(email)
                page.get_by_label("Mot de passe").fill(OTHER_HOLDER_PASSWORD)
                page.get_by_role("button", name="Se connecter").click()
                page.get_by_label("Code de vérification").wait_for()
                page.get_by_label("Code de vérification").fill(latest_code(url, email))
                page.get_by_role("button", name="Valider").click()
                page.wait_for_url(f"**{routes.AFTER_LOGIN}**", wait_until="commit")  # the dashboard
                page.goto(routes.CONTRACTS)
                page.get_by_role("heading", name="Mes contrats").wait_for()
                page.locator(".contract").first.wait_for()
                contexts.append(context)
            time.sleep(2)
            rss = round(group_rss_mb(app.process.pid), 1)
            results[f"backend_rss_after_{len(contexts)}_sessions_mb"] = rss
            results["backend_rss_per_session_kb"] = round(
                (rss - results["backend_rss_idle_mb"]) * 1024 / max(1, len(contexts)), 1
            )
            for context in contexts:
                context.close()
            browser.close()
    finally:
        app.stop()

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "foundation.json").write_text(json.dumps(results, indent=2))
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
