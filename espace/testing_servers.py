"""The servers of the production layout started for tests and benchmarks (PostgreSQL, Redis, an
S3-compatible server, an SMTP sink), each a context manager that stops what it started, and the
process helpers they share with ``espace.testing_stack``. Nothing here is used in production; the
pieces skip (``Unavailable``) when a server binary is not installed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from espace.core.settings import PROJECT_ROOT
from espace.testing import free_port

VENV_BIN = Path(sys.executable).parent
DEPLOY = PROJECT_ROOT / "deploy"


class Unavailable(RuntimeError):
    """A server binary is missing (tests skip)."""


def _binary(name: str, *candidates: str) -> str:
    for candidate in (*candidates, str(VENV_BIN / name)):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which(name)
    if not found:
        raise Unavailable(f"{name} is not installed")
    return found


def wait_for(
    check, *, timeout: float, what: str, process: subprocess.Popen | None = None, log=None
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = Path(log).read_text()[-3000:] if log else ""
            raise RuntimeError(f"{what} exited early (code {process.returncode}):\n{tail}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"{what} did not start within {timeout:.0f} s" + (f"; see {log}" if log else "")
    )


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 200 <= response.status < 300
    except OSError:
        return False


def stop_process(process: subprocess.Popen, *, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _spawn(args: list[str], *, log: Path, env: dict | None = None, cwd: Path | None = None):
    handle = log.open("ab")
    try:
        return subprocess.Popen(
            args,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,  # its own process group: stopped with everything it forked
        )
    finally:
        handle.close()


# ---- PostgreSQL ----------------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    return _binary(name)


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway cluster; yields its SQLAlchemy URL (database ``postgres``, user ``espace``). Its
    folder is a fresh one under the system's temporary folder, which the postgres user can reach."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    base = Path(tempfile.mkdtemp(prefix="espace-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        entry = pwd.getpwnam("postgres")
        os.chown(base, entry.pw_uid, entry.pw_gid)
    data, port = base / "data", free_port()

    def run(*args):
        return subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(initdb, "-D", data, "-U", "espace", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    run(
        pg_ctl,
        "-D",
        data,
        "-w",
        "-l",
        base / "log",
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        "start",
    )
    try:
        yield f"postgresql+psycopg://espace@127.0.0.1:{port}/postgres"
    finally:
        run(pg_ctl, "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


# ---- Redis ---------------------------------------------------------------------------------------


@contextmanager
def redis(folder: Path) -> Iterator[str]:
    """A Redis server configured as ``deploy/redis/espace.conf`` says (no persistence here)."""
    binary = _binary("redis-server", "/usr/bin/redis-server")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "redis.log"
    process = _spawn(
        [
            binary,
            str(DEPLOY / "redis" / "espace.conf"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            "",
        ],
        log=log,
    )
    try:
        wait_for(lambda: port_open(port), timeout=20, what="redis-server", process=process, log=log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process)


# ---- S3 (moto server) ----------------------------------------------------------------------------


@dataclass
class S3Server:
    endpoint: str
    bucket: str = "espace-private"
    access_key: str = "test-access"
    secret_key: str = "test-secret-key"
    region: str = "eu-west-3"

    def env(self) -> dict[str, str]:
        return {
            "ESPACE_S3_ENDPOINT": self.endpoint,
            "ESPACE_S3_BUCKET": self.bucket,
            "ESPACE_S3_ACCESS_KEY": self.access_key,
            "ESPACE_S3_SECRET_KEY": self.secret_key,
            "ESPACE_S3_REGION": self.region,
        }

    def create_bucket(self) -> None:
        from espace.core.file_store import S3Store

        S3Store(
            endpoint=self.endpoint,
            bucket=self.bucket,
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=self.region,
        ).ensure_bucket()


@contextmanager
def s3_server(folder: Path) -> Iterator[S3Server]:
    """moto's S3 in server mode (``moto[s3]`` + flask + flask-cors), state in memory."""
    binary = _binary("moto_server")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "moto.log"
    process = _spawn([binary, "-H", "127.0.0.1", "-p", str(port)], log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(
            lambda: http_ok(f"{url}/moto-api/"),
            timeout=30,
            what="moto_server",
            process=process,
            log=log,
        )
        server = S3Server(endpoint=url)
        server.create_bucket()
        yield server
    finally:
        stop_process(process)


# ---- the mail sink -------------------------------------------------------------------------------


@contextmanager
def mail_sink(folder: Path) -> Iterator[tuple[int, Path]]:
    """A local SMTP server (aiosmtpd, from PyPI) that files every message it receives in a Maildir:
    what the worker really sends, counted by the tests. Yields (port, maildir)."""
    folder.mkdir(parents=True, exist_ok=True)
    maildir = folder / "maildir"
    port = free_port()
    process = _spawn(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        log=folder / "smtp.log",
    )
    try:
        wait_for(lambda: port_open(port), timeout=30, what="the SMTP sink", process=process)
        yield port, maildir
    finally:
        stop_process(process)


def received_mail(maildir: Path) -> list[EmailMessage]:
    """Every message the sink received, decoded (subject and To readable as text)."""
    import mailbox
    from email import policy
    from email.parser import BytesParser

    if not maildir.exists():
        return []
    box = mailbox.Maildir(maildir, create=False)
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(box.get_bytes(key)) for key in box.keys()]
