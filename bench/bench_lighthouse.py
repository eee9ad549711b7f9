"""Lighthouse (npm `lighthouse`, Debian Chromium) at mobile settings for the login page and
signed-in pages (dashboard, assistant, messages, profile): performance, accessibility and
best-practices scores, and the PWA manifest's installability. Targets: performance >= 90,
accessibility 100.

Needs `npm install --prefix .tools lighthouse@12` once. Run: .venv/bin/python
bench/bench_lighthouse.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.bench_foundation import latest_code  # noqa: E402
from espace.core.db import make_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo  # noqa: E402
from espace.testing import CHROMIUM_ARGS, chromium_executable, start_app, tool_env  # noqa: E402

LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")


def signed_in_cookie(url: str, db_url: str) -> str:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}/connexion")
        page.wait_for_selector("[data-hydrated='true']")
        page.get_by_label("Adresse e-mail ou numéro de contrat").fill(DEMO_EMAIL)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("heading", name="Vérification en deux étapes").wait_for()
        page.get_by_label("Code de vérification").fill(latest_code(db_url, DEMO_EMAIL))
        page.get_by_role("button", name="Valider").click()
        page.wait_for_url("**/tableau-de-bord/")
        page.wait_for_selector("[data-hydrated='true']")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        browser.close()
    return cookies


def lighthouse(url: str, cookie: str = "") -> dict:
    out = Path(tempfile.mkdtemp()) / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = tool_env({"CHROME_PATH": chromium_executable(whole=True) or "/usr/bin/chromium"})
    subprocess.run(command, env=env, check=True, timeout=300, capture_output=True)
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = report["audits"]
    scores["first_contentful_paint_ms"] = round(audits["first-contentful-paint"]["numericValue"])
    scores["largest_contentful_paint_ms"] = round(
        audits["largest-contentful-paint"]["numericValue"]
    )
    scores["total_blocking_time_ms"] = round(audits["total-blocking-time"]["numericValue"])
    failing = [
        a["id"]
        for a in audits.values()
        if a.get("score") == 0 and a.get("scoreDisplayMode") == "binary"
    ]
    scores["failing_audits"] = failing[:10]
    return scores


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("lighthouse is missing: npm install --prefix .tools lighthouse@12")
    folder = Path(tempfile.mkdtemp(prefix="espace-lighthouse-"))
    db_url = f"sqlite:///{folder / 'espace.db'}"
    upgrade_to_head(db_url)
    engine = make_engine(db_url)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
    engine.dispose()
    app = start_app(database_url=db_url, data_dir=folder, log_path=folder / "app.log")
    try:
        cookie = signed_in_cookie(app.url, db_url)
        results = {
            "login (mobile)": lighthouse(f"{app.url}/connexion"),
            "dashboard (mobile)": lighthouse(f"{app.url}/tableau-de-bord", cookie),
            "assistant (mobile)": lighthouse(f"{app.url}/assistant", cookie),
            "messages (mobile)": lighthouse(f"{app.url}/messages", cookie),
            "profile (mobile)": lighthouse(f"{app.url}/profil", cookie),
        }
    finally:
        app.stop()
    print(json.dumps(results, indent=2, ensure_ascii=False))
    os.makedirs(ROOT / "bench" / "results", exist_ok=True)
    (ROOT / "bench" / "results" / "lighthouse.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
