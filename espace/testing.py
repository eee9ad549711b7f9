"""Start the real app on a free port against a given database (used by e2e tests and benchmarks).

A production build of the frontend takes ~30-60 s. ``start_app(reuse_build=True)`` serves the
previous build instead when nothing it was built from has changed (the fingerprint of the Python
code, assets, rxconfig, the frontend lock and the environment, kept beside the build in
``.web/espace-e2e-build.json``): one backend process mounts the built frontend, as ``reflex run``
would, on the port baked into that build.
"""

from __future__ import annotations

import hashlib
import json
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


def chromium_executable(*, whole: bool = False) -> str | None:
    """ESPACE_CHROMIUM, else Debian's headless shell (the browser without its window layer: the
    browser tests take a fifth less time than with the whole Chromium), else Debian's Chromium, else
    None (Playwright's own browser). ``whole``: the whole Chromium a holder runs first where it is
    installed (the benches time pages as they load there)."""
    configured = os.environ.get("ESPACE_CHROMIUM")
    if configured:
        return configured
    shell = ("/usr/bin/chromium-headless-shell",)
    wholes = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
    for candidate in (*wholes, *shell) if whole else (*shell, *wholes):
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


BUILD_STAMP = PROJECT_ROOT / ".web" / "espace-e2e-build.json"
BUILT_CLIENT = PROJECT_ROOT / ".web" / "build" / "client"


def frontend_fingerprint(env: dict[str, str]) -> str:
    """What a production build of the frontend depends on: the code (pages, states and everything
    they import), the assets, the Reflex config and lock, and the ESPACE_ environment."""
    digest = hashlib.sha256()
    roots = [PROJECT_ROOT / "espace", PROJECT_ROOT / "assets", PROJECT_ROOT / "reflex.lock"]
    files = [path for root in roots for path in root.rglob("*") if path.is_file()]
    files += [PROJECT_ROOT / "rxconfig.py", PROJECT_ROOT / "pyproject.toml"]
    for path in sorted(files):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    settings = {k: v for k, v in env.items() if k.startswith("ESPACE_") and k != "ESPACE_PORT"}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


def _reusable_build(fingerprint: str) -> int | None:
    """The port of the previous build if it was built from the same fingerprint and that port is
    free now, else None."""
    try:
        stamp = json.loads(BUILD_STAMP.read_text())
    except (OSError, ValueError):
        return None
    if stamp.get("fingerprint") != fingerprint or not _built():
        return None
    port = int(stamp["port"])
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return None
    return port


def _built() -> bool:
    return BUILT_CLIENT.is_dir() and any(BUILT_CLIENT.iterdir())


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen | None  # None: an app started by someone else (not stopped here)
    log_path: Path
    started_in: float
    reused_build: bool = False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
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
    reuse_build: bool = False,
    web_dir: Path | None = None,
) -> RunningApp:
    """Build (production mode) and serve the app on one free port; return when it answers.

    ``reuse_build``: when the last build (``.web``) was made from the same code and environment,
    serve it on its port without building again. ``web_dir``: build in that folder instead of
    ``.web`` (an app built beside another one that is serving from ``.web``: the bundle names its
    port); never reused."""
    settings = {"ESPACE_ENV": "test", **(extra_env or {})}
    fingerprint = frontend_fingerprint(settings)
    reused_port = _reusable_build(fingerprint) if reuse_build and web_dir is None else None
    port = reused_port or free_port()
    url = f"http://localhost:{port}"
    env = tool_env(
        {
            "ESPACE_DATABASE_URL": database_url,
            "ESPACE_DATA_DIR": str(data_dir),
            "ESPACE_PUBLIC_BASE_URL": url,
            "ESPACE_PORT": str(port),
            **settings,
        }
    )
    if web_dir is not None:
        env["REFLEX_WEB_WORKDIR"] = str(web_dir)
    beside_python = Path(sys.executable).parent
    if reused_port:
        # one backend process, no build: it mounts .web/build/client as `reflex run` does
        env["REFLEX_WEB_WORKDIR"] = str(PROJECT_ROOT / ".web")
        env["__REFLEX_MOUNT_FRONTEND_COMPILED_APP"] = "true"  # what `reflex run` sets
        command = [sys.executable, "-m", "espace.core.serve", "--port", str(port)]
    else:
        reflex = beside_python / "reflex"
        command = [
            str(reflex) if reflex.exists() else "reflex",
            "run",
            "--env",
            "prod",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
            "--backend-host",
            "127.0.0.1",
        ]
    log = log_path.open("w")
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app = RunningApp(
        url=url, process=process, log_path=log_path, started_in=0.0, reused_build=bool(reused_port)
    )
    deadline = started + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the app exited early; see {log_path}:\n{log_path.read_text()[-3000:]}"
            )
        if _answers(f"{url}/api/health") and _answers(f"{url}/connexion"):
            app.started_in = time.monotonic() - started
            if web_dir is None and not reused_port and _built():
                BUILD_STAMP.write_text(json.dumps({"fingerprint": fingerprint, "port": port}))
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
