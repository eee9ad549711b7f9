"""Render ``deploy/nginx/espace.conf.template``: production and the test stack use the same file.

    python -m espace.core.nginx_conf --backend 127.0.0.1:8001 --backend 127.0.0.1:8002 \\
        --frontend /srv/espace/frontend/current --server-name espace.example.fr \\
        --listen 443 --tls-cert /etc/ssl/espace.pem --tls-key /etc/ssl/espace.key \\
        > /etc/nginx/conf.d/espace.conf
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from espace.core.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx" / "espace.conf.template"

_DEV_MAILBOX = """    # Development mailbox (not in production builds): this machine only.
    location /dev/ {
        allow 127.0.0.1;
        allow ::1;
        deny all;
        include {{DEPLOY}}/nginx/espace-static-headers.conf;
        try_files $uri $uri.html $uri/index.html =404;
    }
"""


def render(
    *,
    backends: list[str],
    frontend: Path,
    server_name: str = "_",
    listen: str = "80",
    tls_cert: str = "",
    tls_key: str = "",
    dev_mailbox: bool = False,
    deploy: Path = DEPLOY,
    max_fails: int = 3,
) -> str:
    """``max_fails``: failed connections before nginx leaves a backend out for 10 s (0: never; the
    test stack stops and starts backends faster than that)."""
    if not backends:
        raise ValueError("at least one backend (host:port)")
    listen_lines = [f"    listen {listen}{' ssl http2' if tls_cert else ''};"]
    if tls_cert:
        listen_lines += [
            f"    ssl_certificate {tls_cert};",
            f"    ssl_certificate_key {tls_key};",
            "    ssl_protocols TLSv1.2 TLSv1.3;",
        ]
    values = {
        "UPSTREAM_SERVERS": "\n".join(
            f"    server {b} max_fails={max_fails} fail_timeout=10s;" for b in backends
        ),
        "FRONTEND": str(frontend),
        "SERVER_NAME": server_name,
        "LISTEN": "\n".join(line for line in listen_lines if line),
        "DEV_MAILBOX": _DEV_MAILBOX if dev_mailbox else "",
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    text = text.replace("{{DEPLOY}}", str(deploy))
    if re.search(r"\{\{[A-Z_]+\}\}", text):
        raise ValueError("unfilled placeholder in the nginx template")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", required=True, help="host:port, repeated")
    parser.add_argument("--frontend", required=True, help="folder holding client/ and headers.conf")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--tls-cert", default="")
    parser.add_argument("--tls-key", default="")
    parser.add_argument("--dev-mailbox", action="store_true", help="not in production")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            backends=args.backend,
            frontend=Path(args.frontend),
            server_name=args.server_name,
            listen=args.listen,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            dev_mailbox=args.dev_mailbox,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
