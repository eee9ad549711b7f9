"""Start the real app on a free port against a given database (used by e2e tests and benchmarks)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from espace.core.settings import PROJECT_ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_executable() -> str | None:
    """ESPACE_CHROMIUM, else Debian's Chromium, else None (Playwright's own browser)."""
    configured = os.environ.get("ESPACE_CHROMIUM")
    if configured:
        return configured
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return None


def tool_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for Reflex: bun from .tools (installed from npm), no telemetry."""
    env = dict(os.environ)
    env["PATH"] = (
        f"{PROJECT_ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    )
    env["REFLEX_USE_SYSTEM_BUN"] = "1"
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env.update(extra or {})
    return env


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    log_path: Path
    started_in: float

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start_app(
    *,
    database_url: str,
    data_dir: Path,
    log_path: Path,
    timeout: float = 300,
    extra_env: dict[str, str] | None = None,
) -> RunningApp:
    """Build (production mode) and serve the app on one free port; return when it answers."""
    port = free_port()
    url = f"http://localhost:{port}"
    env = tool_env(
        {
            "ESPACE_ENV": "test",
            "ESPACE_DATABASE_URL": database_url,
            "ESPACE_DATA_DIR": str(data_dir),
            "ESPACE_PUBLIC_BASE_URL": url,
            "ESPACE_PORT": str(port),
            **(extra_env or {}),
        }
    )
    beside_python = Path(sys.executable).parent / "reflex"
    reflex = str(beside_python) if beside_python.exists() else "reflex"
    log = log_path.open("w")
    started = time.monotonic()
    process = subprocess.Popen(
        [
            reflex,
            "run",
            "--env",
            "prod",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
            "--backend-host",
            "127.0.0.1",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app = RunningApp(url=url, process=process, log_path=log_path, started_in=0.0)
    deadline = started + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the app exited early; see {log_path}:\n{log_path.read_text()[-3000:]}"
            )
        if _answers(f"{url}/api/health") and _answers(f"{url}/connexion"):
            app.started_in = time.monotonic() - started
            return app
        time.sleep(0.5)
    app.stop()
    raise RuntimeError(f"the app did not answer within {timeout:.0f} s; see {log_path}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
