"""The client address of an HTTP request (ASGI scope), through ``core.client_address``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from espace.core.client_address import client_address, is_loopback_client


def _peer_and_forwarded(scope: Mapping[str, Any]) -> tuple[str, str]:
    client = scope.get("client") or ("", 0)
    forwarded = [
        value.decode("latin-1")
        for key, value in scope.get("headers", [])
        if key.lower() == b"x-forwarded-for"
    ]
    return str(client[0] or ""), ", ".join(forwarded)


def request_ip(scope: Mapping[str, Any]) -> str:
    """The client's address for a Starlette request (``request.scope``) or a raw ASGI scope."""
    peer, forwarded = _peer_and_forwarded(scope)
    return client_address(peer=peer, forwarded_for=forwarded)


def request_is_local(scope: Mapping[str, Any]) -> bool:
    peer, forwarded = _peer_and_forwarded(scope)
    return is_loopback_client(peer=peer, forwarded_for=forwarded)
