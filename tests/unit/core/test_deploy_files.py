"""The deploy folder stays in step with the code: the units run commands that exist, the nginx
template renders completely (production with TLS, the test stack without), the backend command is
the one the stack runs."""

from __future__ import annotations

import re
from pathlib import Path

from espace.core import nginx_conf, serve
from espace.core.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def test_production_render_has_tls_backends_and_no_placeholder():
    text = nginx_conf.render(
        backends=["127.0.0.1:8001", "10.0.0.12:8001"],
        frontend=Path("/srv/espace/frontend/current"),
        server_name="espace.example.fr",
        listen="443",
        tls_cert="/etc/ssl/espace.pem",
        tls_key="/etc/ssl/espace.key",
    )
    assert "listen 443 ssl http2;" in text and "ssl_certificate /etc/ssl/espace.pem;" in text
    assert "server 127.0.0.1:8001 max_fails=3" in text and "server 10.0.0.12:8001" in text
    assert "include /srv/espace/frontend/current/headers.conf;" in text
    assert not re.search(r"^\s*(ip_hash|sticky|hash)\b", text, re.MULTILINE)  # no stickiness
    assert "location /dev/" not in text  # the development mailbox never exists in production
    assert not re.search(r"\{\{[A-Z_]+\}\}", text)
    for include in re.findall(r"include (\S+);", text):
        if include.startswith(str(DEPLOY)):
            assert Path(include).is_file(), include


def test_units_run_the_backend_module_and_the_worker():
    backend = (DEPLOY / "systemd" / "espace-backend@.service").read_text()
    assert "-m espace.core.serve --port %i" in backend
    assert "--wait-ready %i" in backend
    assert "espace worker" in (DEPLOY / "systemd" / "espace-worker.service").read_text()
    target = (DEPLOY / "systemd" / "espace.target").read_text()
    assert "espace-backend@8001.service" in target


def test_backend_command_skips_the_frontend_and_the_supervisor(tmp_path):
    command = serve.command(port=8001)
    assert command[0].endswith("uvicorn") and "--factory" in command
    assert "espace.espace:app" in command
    env = serve.environment(port=8001, base={"ESPACE_DATA_DIR": str(tmp_path)})
    assert env["__REFLEX_SKIP_COMPILE"] == "true" and env["REFLEX_ENV_MODE"] == "prod"
    assert env["REFLEX_WEB_WORKDIR"] == str(tmp_path / "run" / "web-8001")
    assert "granian" in serve.command(port=8001, server="granian")[0]
