"""Start the production layout on one machine, for tests and benchmarks: PostgreSQL, Redis, an
S3-compatible server (moto), N Espace backend processes (no ``reflex run`` supervisor) and nginx in
front, serving the frontend built once (``deploy/build_frontend.sh``), with the configuration
rendered from ``deploy/nginx/espace.conf.template``, the same template production uses.

Each piece is a context manager that stops what it started (the servers and the process helpers are
in ``espace.testing_servers``); ``Stack`` starts them all. Nothing here is used in production; the
pieces skip (``Unavailable``) when a server binary is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from espace.core.settings import PROJECT_ROOT
from espace.testing import free_port, tool_env
from espace.testing_servers import (
    DEPLOY,
    S3Server,
    _binary,
    _spawn,
    http_ok,
    mail_sink,
    port_open,
    postgres,
    received_mail,
    redis,
    s3_server,
    stop_process,
    wait_for,
)

# ---- the frontend, built once --------------------------------------------------------------------


def build_frontend(out: Path, *, env: dict[str, str], log: Path) -> Path:
    """``deploy/build_frontend.sh out`` with these settings (base URL, env); returns ``out``."""
    full = tool_env({**env, "PYTHON": sys.executable, "REFLEX_WEB_WORKDIR": str(out / "web")})
    with log.open("ab") as handle:
        done = subprocess.run(
            ["bash", str(DEPLOY / "build_frontend.sh"), str(out)],
            cwd=PROJECT_ROOT,
            env=full,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=900,
        )
    if done.returncode != 0:
        raise RuntimeError(f"frontend build failed; see {log}:\n{log.read_text()[-3000:]}")
    return out


# ---- Espace backends -----------------------------------------------------------------------------


@dataclass
class Backend:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_kb(self) -> int:
        """Resident memory of the process and its children (granian forks a worker)."""
        return process_tree_rss_kb(self.process.pid)

    def stop(self) -> None:
        stop_process(self.process)


def process_tree_rss_kb(pid: int) -> int:
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending += [int(child) for child in children]
    return total


def start_backend(
    *,
    env: dict[str, str],
    folder: Path,
    server: str = "uvicorn",
    timeout: float = 180,
    port: int | None = None,
) -> Backend:
    """One backend process, with its own data folder (as on its own machine: nothing on local disk
    is shared with the others)."""
    from espace.core import serve

    port = port or free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"backend-{port}.log"
    full = serve.environment(
        port=port,
        base={
            **os.environ,
            **env,
            "ESPACE_DATA_DIR": str(folder / f"data-{port}"),
            "REFLEX_WEB_WORKDIR": str(folder / f"web-{port}"),
        },
    )
    process = _spawn(serve.command(port=port, server=server), log=log, env=full, cwd=PROJECT_ROOT)
    backend = Backend(port=port, process=process, log=log)
    try:
        wait_for(
            lambda: http_ok(f"{backend.url}/healthz"),
            timeout=timeout,
            what=f"backend on {port}",
            process=process,
            log=log,
        )
    except BaseException:
        backend.stop()
        raise
    return backend


# ---- nginx ---------------------------------------------------------------------------------------


@contextmanager
def nginx(*, port: int, backends: list[str], frontend: Path, folder: Path, dev_mailbox: bool):
    from espace.core.nginx_conf import render

    binary = _binary("nginx", "/usr/sbin/nginx")
    folder.mkdir(parents=True, exist_ok=True)
    site = folder / "espace.conf"
    site.write_text(
        render(
            backends=backends,
            frontend=frontend,
            listen=f"127.0.0.1:{port}",
            server_name="localhost",
            dev_mailbox=dev_mailbox,
            max_fails=0,  # backends are stopped and started within seconds here
        )
    )
    main = folder / "nginx.conf"
    temp = folder / "tmp"
    temp.mkdir(exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # test files live in private /tmp dirs
    main.write_text(
        f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format espace_upstream '$request_uri $status $upstream_addr';
    access_log {folder / "access.log"} espace_upstream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
    )
    log = folder / "nginx.log"
    check = subprocess.run(
        [binary, "-t", "-c", str(main), "-p", str(folder)], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
    process = _spawn([binary, "-c", str(main), "-p", str(folder), "-g", "daemon off;"], log=log)
    try:
        wait_for(lambda: port_open(port), timeout=20, what="nginx", process=process, log=log)
        yield f"http://localhost:{port}"
    finally:
        stop_process(process)


# ---- the worker ----------------------------------------------------------------------------------


def start_worker(*, env: dict[str, str], folder: Path) -> subprocess.Popen:
    """``espace worker`` as systemd runs it (deploy/systemd): the queue in Redis when the stack has
    one, e-mails to the SMTP server of the environment."""
    folder.mkdir(parents=True, exist_ok=True)
    return _spawn(
        [sys.executable, "-m", "espace.cli", "worker", "--workers", "2"],
        log=folder / "worker.log",
        env={**os.environ, **env, "ESPACE_DATA_DIR": str(folder / "data-worker")},
        cwd=PROJECT_ROOT,
    )


# ---- everything ----------------------------------------------------------------------------------


@dataclass
class Stack:
    """PostgreSQL, Redis, S3, N backends, the worker, an SMTP sink and nginx; ``url`` is the public
    address (nginx)."""

    url: str
    database_url: str
    redis_url: str
    s3: S3Server | None
    backends: list[Backend]
    env: dict[str, str]
    folder: Path
    server: str = "uvicorn"
    maildir: Path | None = None
    worker: subprocess.Popen | None = None

    def mail(self) -> list[EmailMessage]:
        """What the SMTP sink received (the worker's real sends)."""
        return received_mail(self.maildir) if self.maildir else []

    def stop_backend(self, index: int) -> None:
        self.backends[index].stop()

    def start_backend(self, index: int) -> None:
        old = self.backends[index]
        if old.process.poll() is None:
            return
        self.backends[index] = start_backend(
            env=self.env, folder=self.folder / "backends", server=self.server, port=old.port
        )

    def only(self, index: int) -> Backend:
        """Leave only backend ``index`` running: whatever nginx forwards now, that process
        answers."""
        self.start_backend(index)
        for other in range(len(self.backends)):
            if other != index:
                self.stop_backend(other)
        return self.backends[index]

    def all_up(self) -> None:
        for index in range(len(self.backends)):
            self.start_backend(index)


@contextmanager
def stack(
    folder: Path,
    *,
    backends: int = 2,
    server: str = "uvicorn",
    extra_env: dict[str, str] | None = None,
    with_s3: bool = True,
    with_worker: bool = True,
    seed=None,
    frontend: Path | None = None,
) -> Iterator[Stack]:
    """Start the production layout; ``seed(database_url)`` runs after the migrations, before the
    backends start. ``frontend``: a build made earlier for the same port (benchmarks reuse it).
    ``with_worker``: ``espace worker`` on the Redis queue, sending e-mails to a local SMTP sink."""
    from espace.core.migrations import upgrade_to_head

    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stop_all:
        database_url = stop_all.enter_context(postgres())
        redis_url = stop_all.enter_context(redis(folder / "redis"))
        s3 = stop_all.enter_context(s3_server(folder / "s3")) if with_s3 else None
        smtp_port, maildir = (
            stop_all.enter_context(mail_sink(folder / "smtp")) if with_worker else (0, None)
        )
        port = free_port()
        url = f"http://localhost:{port}"
        env = {
            "ESPACE_ENV": "test",
            "ESPACE_DATABASE_URL": database_url,
            "ESPACE_REDIS_URL": redis_url,
            "ESPACE_DATA_DIR": str(folder / "data"),
            "ESPACE_PUBLIC_BASE_URL": url,
            "ESPACE_TRUSTED_PROXIES": "127.0.0.1,::1",
            # Shared by every process, as in production (each backend has its own data folder).
            "ESPACE_SECRET_KEY": "stack-test-secret-0123456789abcdefghijklmnop",
            **(s3.env() if s3 else {}),
            **(
                {
                    "ESPACE_SMTP_HOST": "127.0.0.1",
                    "ESPACE_SMTP_PORT": str(smtp_port),
                    "ESPACE_SMTP_STARTTLS": "false",
                }
                if with_worker
                else {}
            ),
            **(extra_env or {}),
        }
        upgrade_to_head(database_url)
        if seed is not None:
            seed(database_url)
        # As a deployment does after migrating: the search index shared in PostgreSQL is built
        # once, before the backends serve.
        subprocess.run(
            [sys.executable, "-m", "espace.cli", "reindex", "--if-needed"],
            env={**os.environ, **env, "ESPACE_DATA_DIR": str(folder / "reindex")},
            cwd=PROJECT_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        worker = start_worker(env=env, folder=folder / "worker") if with_worker else None
        if worker is not None:
            stop_all.callback(stop_process, worker)
        built = frontend or build_frontend(folder / "frontend", env=env, log=folder / "build.log")
        running: list[Backend] = []
        stop_all.callback(lambda: [b.stop() for b in running])
        for _ in range(backends):
            running.append(start_backend(env=env, folder=folder / "backends", server=server))
        for backend in running:  # Redis, object storage and the database reachable from each
            wait_for(lambda b=backend: http_ok(f"{b.url}/readyz"), timeout=60, what="readiness")
        public = stop_all.enter_context(
            nginx(
                port=port,
                backends=[f"127.0.0.1:{b.port}" for b in running],
                frontend=built,
                folder=folder / "nginx",
                dev_mailbox=env["ESPACE_ENV"] != "prod",
            )
        )
        yield Stack(
            url=public,
            database_url=database_url,
            redis_url=redis_url,
            s3=s3,
            backends=running,
            env=env,
            folder=folder,
            server=server,
            maildir=maildir,
            worker=worker,
        )
