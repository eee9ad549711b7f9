"""Scopes given on the command line, and the signature check the integration guide tells insurers
to copy: it must accept what the worker signs and refuse anything else."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from espace.core.settings import PROJECT_ROOT
from espace.integration import clients
from espace.webhooks import delivery


def test_scopes_expand_resources_and_refuse_unknown_ones():
    assert clients.parse_scopes("holders,claims:write") == [
        "claims:write",
        "holders:read",
        "holders:write",
    ]
    assert set(clients.parse_scopes("*")) == clients.SCOPES
    with pytest.raises(clients.ClientError):
        clients.parse_scopes("holders,admin")
    with pytest.raises(clients.ClientError):
        clients.parse_scopes(" , ")


def _guide_verify():
    text = (PROJECT_ROOT / "docs" / "integration-guide.md").read_text()
    snippet = re.search(r"```python\n(import base64.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - the documented snippet itself
    return namespace["verify"]


def test_the_documented_verification_accepts_the_workers_signature_only():
    verify = _guide_verify()
    secret = delivery.new_secret()
    body = b'{"id":"evt_1","type":"claim.declared","data":{"claim_id":1}}'
    headers = delivery.signed_headers(secret, "evt_1", body, datetime.now(UTC))
    assert verify(secret, headers, body)
    assert not verify(secret, headers, body.replace(b"1}", b"2}"))
    assert not verify(delivery.new_secret(), headers, body)
    assert not verify(secret, {**headers, "webhook-id": "evt_2"}, body)
    old = delivery.signed_headers(secret, "evt_1", body, datetime.now(UTC) - timedelta(minutes=6))
    assert not verify(secret, old, body)
