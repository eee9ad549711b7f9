"""Logs never carry secrets or full IBANs, carry the request id, and are JSON in production; metrics
and health endpoints answer who they should."""

from __future__ import annotations

import io
import json
import logging

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from espace.api import observability
from espace.core import logs, metrics
from espace.core.settings import get_settings

IBAN = "FR76 3000 6000 0112 3456 7890 189"
IBAN_COMPACT = "FR7630006000011234567890189"


def _capture(json_lines: bool = True):
    stream = io.StringIO()
    logger = logging.getLogger(f"espace.test.{id(stream)}")
    logger.handlers = [logs.handler(json_lines=json_lines, stream=stream)]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


@pytest.mark.parametrize("iban", [IBAN, IBAN_COMPACT, "DE89370400440532013000"])
def test_ibans_are_masked_to_country_check_digits_and_last_four(iban):
    logger, stream = _capture()
    logger.info("mandate signed for %s by holder 12", iban)
    line = json.loads(stream.getvalue())
    compact = iban.replace(" ", "")
    assert compact not in line["message"].replace(" ", "")
    assert f"{compact[:4]}…{compact[-4:]}" in line["message"]


@pytest.mark.parametrize(
    "message",
    [
        "login password=Tournesol#Lyon2026 for x",
        '{"password": "Tournesol#Lyon2026"}',
        "GET /api/auth/handoff?code=Tournesol#Lyon2026&suite=/",
        "Authorization: Bearer Tournesol#Lyon2026xyz",
        "cookie: __Host-espace_session=Tournesol#Lyon2026; other=1",
        "token: Tournesol#Lyon2026",
    ],
)
def test_secrets_in_messages_are_masked(message):
    logger, stream = _capture()
    logger.warning(message)
    assert "Tournesol#Lyon2026" not in stream.getvalue()
    assert "[masqué]" in stream.getvalue()


def test_configured_secret_values_never_appear_even_in_tracebacks(monkeypatch):
    secret = get_settings().secret_key.get_secret_value()
    logger, stream = _capture()
    try:
        raise RuntimeError(f"bad key {secret}")
    except RuntimeError:
        logger.exception("failed with %s", secret)
    out = stream.getvalue()
    assert secret not in out
    entry = json.loads(out)
    assert "RuntimeError" in entry["exception"]


def test_json_lines_carry_the_request_id_and_extra_fields():
    logger, stream = _capture()
    token = logs.request_id.set("abc123")
    try:
        logger.info("served", extra={"status": 200, "route": "/api/documents"})
    finally:
        logs.request_id.reset(token)
    entry = json.loads(stream.getvalue())
    assert entry["request_id"] == "abc123"
    assert entry["status"] == 200 and entry["route"] == "/api/documents"
    assert entry["level"] == "info" and entry["message"] == "served"


def test_request_ids_offered_by_a_proxy_are_kept_only_when_they_look_like_ids():
    assert logs.new_request_id("0f3a9c1d2e") == "0f3a9c1d2e"
    forged = logs.new_request_id("x\n{fake json}")
    assert forged != "x\n{fake json}" and len(forged) == 32


def test_route_groups_and_handler_labels_stay_bounded():
    assert observability.route_group("/api/documents/12") == "/api/documents"
    assert observability.route_group("/_event/") == "/_event"
    assert observability.route_group("/contrats") == "page"
    assert observability.route_group("/metrics") == "/metrics"
    name = "reflex___state____state.espace___state___dashboard____dashboard_state.move_widget"
    assert metrics.handler_label(name) == "dashboard_state.move_widget"


def _client(peer: str, headers: dict | None = None) -> TestClient:
    app = Starlette(routes=observability.routes())
    client = TestClient(app, client=(peer, 50000))
    client.headers.update(headers or {})
    return client


def test_metrics_answer_loopback_only_and_not_through_a_proxy(monkeypatch):
    monkeypatch.delenv("ESPACE_METRICS_TOKEN", raising=False)
    get_settings.cache_clear()
    assert _client("127.0.0.1").get("/metrics").status_code == 200
    assert _client("203.0.113.9").get("/metrics").status_code == 404
    proxied = _client("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"})
    assert proxied.get("/metrics").status_code == 404


def test_metrics_with_a_token_need_it(monkeypatch):
    monkeypatch.setenv("ESPACE_METRICS_TOKEN", "scrape-token-0123456789")
    get_settings.cache_clear()
    try:
        assert _client("127.0.0.1").get("/metrics").status_code == 404
        wrong = _client("203.0.113.9", {"Authorization": "Bearer nope"})
        assert wrong.get("/metrics").status_code == 404
        right = _client("203.0.113.9", {"Authorization": "Bearer scrape-token-0123456789"})
        response = right.get("/metrics")
        assert response.status_code == 200
        assert "espace_event_duration_seconds" in response.text
    finally:
        monkeypatch.delenv("ESPACE_METRICS_TOKEN")
        get_settings.cache_clear()


def test_queue_hooks_show_in_metrics():
    metrics.register_queue_depth(lambda: {"default": 7})
    metrics.register_failed_deliveries(lambda: {"email": 2})
    text = _client("127.0.0.1").get("/metrics").text
    assert 'espace_queue_depth{queue="default"} 7.0' in text
    assert 'espace_failed_deliveries{channel="email"} 2.0' in text


def test_readyz_reports_failing_checks_without_their_text():
    from espace.core import health

    def broken():
        raise RuntimeError("password=hunter2 at db.internal")

    health.register_readiness_check("test_broken", broken)
    try:
        response = _client("203.0.113.9").get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["checks"]["test_broken"] == "failed"
        assert "hunter2" not in response.text and "db.internal" not in response.text
    finally:
        health._checks.pop("test_broken")
    assert _client("203.0.113.9").get("/healthz").json() == {"status": "ok"}
