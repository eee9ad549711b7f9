"""Run one Espace backend process without the ``reflex run`` supervisor (production, the test stack,
the load benchmark): the frontend is built once by ``deploy/build_frontend.sh`` and served by nginx;
this process answers the event socket, uploads and the API.

    python -m espace.core.serve --port 8001 [--host 127.0.0.1] [--server uvicorn|granian]

- ``__REFLEX_SKIP_COMPILE=true``: the backend does not compile or build the frontend (without it,
  each process would rewrite ``.web`` and call bun);
- ``REFLEX_ENV_MODE=prod``: errors shown to users do not carry the exception;
- ``REFLEX_WEB_WORKDIR``: where Reflex keeps its few backend files (``stateful_pages.json``), one
  folder per process so that processes never write the same file (default
  ``<data_dir>/run/web-<port>``);
- the server: uvicorn (default; ~85 KB per open websocket here against ~210 KB for granian, see
  ``bench/bench_load.py``), or granian. One process, one event loop: run one unit per core
  (``deploy/systemd/espace-backend@.service``), all sharing PostgreSQL, Redis and object storage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from espace.core.settings import PROJECT_ROOT


def command(*, port: int, host: str = "127.0.0.1", server: str = "uvicorn") -> list[str]:
    bin_dir = Path(sys.executable).parent
    if server == "uvicorn":
        return [
            str(bin_dir / "uvicorn"),
            "--factory",
            "espace.espace:app",
            "--host",
            host,
            "--port",
            str(port),
            "--no-access-log",  # requests are logged by espace.api.observability, with their id
            "--ws",
            "wsproto",
            "--timeout-graceful-shutdown",
            "20",
            "--no-server-header",
        ]
    if server == "granian":
        return [
            str(bin_dir / "granian"),
            "--interface",
            "asgi",
            "--factory",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "espace.espace:app",
        ]
    raise ValueError(f"unknown server {server!r} (uvicorn or granian)")


def environment(*, port: int, base: dict[str, str] | None = None) -> dict[str, str]:
    from espace.core.settings import get_settings

    env = dict(os.environ if base is None else base)
    env["__REFLEX_SKIP_COMPILE"] = "true"
    env.setdefault("REFLEX_ENV_MODE", "prod")
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    if "REFLEX_WEB_WORKDIR" not in env:
        data_dir = Path(env.get("ESPACE_DATA_DIR") or get_settings().data_dir)
        env["REFLEX_WEB_WORKDIR"] = str(data_dir / "run" / f"web-{port}")
    Path(env["REFLEX_WEB_WORKDIR"]).mkdir(parents=True, exist_ok=True)
    return env


def wait_ready(port: int, *, timeout: float = 90) -> bool:
    """Poll ``/readyz`` of the backend on ``port`` (systemd's ExecStartPost: a rolling restart moves
    to the next unit only once this one serves)."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one Espace backend process.")
    parser.add_argument("--port", type=int)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--server", default=os.environ.get("ESPACE_SERVER", "uvicorn"))
    parser.add_argument(
        "--wait-ready", type=int, metavar="PORT", help="wait for /readyz, then exit"
    )
    args = parser.parse_args(argv)
    if args.wait_ready:
        return 0 if wait_ready(args.wait_ready) else 1
    if not args.port:
        parser.error("--port is required")
    args_list = command(port=args.port, host=args.host, server=args.server)
    os.chdir(PROJECT_ROOT)  # rxconfig.py is read from the working directory
    os.execve(args_list[0], args_list, environment(port=args.port))
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
