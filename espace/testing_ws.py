"""A client of Reflex 0.10.1's event socket, for attack tests and load benchmarks.

A browser talks to the app over Socket.IO: it connects to ``/_event`` (namespace and path) with
``?token=<tab id>`` and its cookies, sends ``event`` messages ``{"name": "<state path>.<handler>",
"payload": {...}, "router_data": {"pathname", "asPath", "query"}}`` and receives ``event`` messages
``{"delta": {state path: {var + "_rx_state_": value}}, "events": [...]}`` (``events`` are the
frontend's: ``_redirect``, ``_call_script``…). Nothing stops a hostile client from naming any
handler of any State with any payload, which is what this client does.

Reflex 0.10 sends no "done" marker: the server runs a tab's events one after another, so after an
event the client sends a probe (``OnLoadInternalState.set_is_hydrated`` false then true) and the
probe's answer means every event queued before it has finished. Events that a handler chains on
the server are queued behind it; ``call(..., rounds=2)`` (the default) waits for one level of those.
``open_page`` waits for the page's on_load chain, which ends by setting ``is_hydrated``.

    from espace.testing_ws import ReflexSocket
    with ReflexSocket(app.url, cookies={"espace_session": token}) as ws:
        ws.open_page("/sinistre?n=12")              # what a page load sends (hydrate + on_load)
        reply = ws.call(ClaimState, "load")          # or
        ws.call("reflex___state____state.<…>.load") reply.state(ClaimState)["number"],
        reply.redirects, reply.scripts

``ReflexSocket`` runs its own event loop in a thread, so it works from synchronous tests (next to
Playwright's sync API) and benchmarks; ``AsyncReflexSocket`` is the same client for asyncio code
(many sockets in one loop for a load test).
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import socketio

ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
_PROBE = f"{ROOT_STATE}.reflex___state____on_load_internal_state.set_is_hydrated"
_VAR_SUFFIX = "_rx_state_"
EVENT_PATH = "/_event"


def handler_name(state: type | str, handler: str | None = None) -> str:
    """``"<full state path>.<handler>"`` from a State class (or its full name) and a handler name;
    a single string that already names the handler is returned as is."""
    if handler is None:
        return str(state)
    path = state if isinstance(state, str) else state.get_full_name()
    return f"{path}.{handler}"


def state_path(state: type | str) -> str:
    return state if isinstance(state, str) else state.get_full_name()


@dataclass
class Reply:
    """What the server sent back for one call, in arrival order."""

    deltas: list[dict[str, dict[str, Any]]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def state(self, state: type | str) -> dict[str, Any]:
        """The vars of one substate the server changed (merged, in order), names without Reflex's
        suffix."""
        path, merged = state_path(state), {}
        for delta in self.deltas:
            for name, value in delta.get(path, {}).items():
                merged[name.removesuffix(_VAR_SUFFIX)] = value
        return merged

    def changed(self) -> dict[str, dict[str, Any]]:
        """Every substate the server changed, as ``state()`` gives them (the probe's flag left
        out)."""
        paths = {path for delta in self.deltas for path in delta}
        found = {path: self.state(path) for path in paths}
        root = found.get(ROOT_STATE, {})
        root.pop("is_hydrated", None)
        return {path: values for path, values in found.items() if values}

    @property
    def redirects(self) -> list[str]:
        return [
            e.get("payload", {}).get("path", "")
            for e in self.events
            if e.get("name") == "_redirect"
        ]

    @property
    def scripts(self) -> list[str]:
        return [
            e.get("payload", {}).get("javascript_code", "")
            for e in self.events
            if e.get("name") == "_call_script"
        ]


class AsyncReflexSocket:
    """One browser tab's socket. ``cookies`` are sent in the handshake, as the browser would."""

    def __init__(
        self,
        base_url: str,
        *,
        cookies: Mapping[str, str] | None = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token or str(uuid.uuid4())
        self.timeout = timeout
        self.page = "/"
        self._cookies = dict(cookies or {})
        self._headers = {
            "Origin": self.base_url,
            "User-Agent": "espace-testing-ws",
            **(headers or {}),
        }
        self._client = socketio.AsyncClient(reconnection=False)
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._client.on("event", self._received, namespace=EVENT_PATH)

    async def _received(self, update: Any) -> None:
        await self._inbox.put(json.loads(update) if isinstance(update, str) else update)

    async def connect(self) -> None:
        headers = dict(self._headers)
        if self._cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self._cookies.items())
        await self._client.connect(
            f"{self.base_url}?{urlencode({'token': self.token})}",
            headers=headers,
            transports=["websocket"],
            namespaces=[EVENT_PATH],
            socketio_path=EVENT_PATH,
            wait_timeout=self.timeout,
        )

    async def close(self) -> None:
        await self._client.disconnect()

    def _router_data(self, page: str) -> dict[str, Any]:
        parts = urlsplit(page)
        data: dict[str, Any] = {"pathname": parts.path or "/", "asPath": page}
        if parts.query:
            data["query"] = dict(parse_qsl(parts.query))
        return data

    async def send(
        self, name: str, payload: Mapping[str, Any] | None = None, *, page: str | None = None
    ) -> None:
        """Send one event without waiting: ``name`` is ``"<state path>.<handler>"``."""
        await self._client.emit(
            "event",
            {
                "name": name,
                "payload": dict(payload or {}),
                "router_data": self._router_data(page or self.page),
            },
            namespace=EVENT_PATH,
        )

    async def call(
        self,
        state: type | str,
        handler: str | None = None,
        payload: Mapping[str, Any] | None = None,
        *,
        page: str | None = None,
        rounds: int = 2,
    ) -> Reply:
        """Run one handler as the browser would and return what came back once it (and, with
        ``rounds=2``, what it chained on the server) has finished."""
        await self.send(handler_name(state, handler), payload, page=page)
        return await self._settle(rounds)

    async def open_page(self, page: str, *, rounds: int = 1) -> Reply:
        """What a page load sends: the hydrate event, which resets the tab's state and runs the
        page's on_load handlers; returns once the page is hydrated (and ``rounds`` probes have gone
        through)."""
        self.page = page
        reply = Reply()
        await self.send(HYDRATE, {}, page=page)
        await self._collect(reply)  # the on_load chain ends with is_hydrated = true
        for _ in range(rounds):
            await self._probe(reply)
        return reply

    async def _settle(self, rounds: int) -> Reply:
        reply = Reply()
        for _ in range(max(1, rounds)):
            await self._probe(reply)
        return reply

    async def _probe(self, reply: Reply) -> None:
        """Everything queued for this tab before the probe has run once ``is_hydrated`` comes back
        true."""
        await self.send(_PROBE, {"value": False})
        await self.send(_PROBE, {"value": True})
        await self._collect(reply)

    async def _collect(self, reply: Reply) -> None:
        """Gather updates until one sets ``is_hydrated`` to true."""
        while True:
            update = await asyncio.wait_for(self._inbox.get(), self.timeout)
            delta = update.get("delta") or {}
            if delta:
                reply.deltas.append(delta)
            reply.events.extend(update.get("events") or [])
            if delta.get(ROOT_STATE, {}).get("is_hydrated" + _VAR_SUFFIX) is True:
                return


class ReflexSocket:
    """``AsyncReflexSocket`` for synchronous code: its own event loop runs in a daemon thread."""

    def __init__(self, base_url: str, **options: Any):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="reflex-socket", daemon=True
        )
        self._thread.start()
        self._socket: AsyncReflexSocket = self._run(self._make(base_url, options))

    async def _make(self, base_url: str, options: dict[str, Any]) -> AsyncReflexSocket:
        return AsyncReflexSocket(base_url, **options)  # the queue and client belong to this loop

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    @property
    def token(self) -> str:
        return self._socket.token

    def connect(self) -> ReflexSocket:
        self._run(self._socket.connect())
        return self

    def close(self) -> None:
        try:
            self._run(self._socket.close())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def send(
        self, name: str, payload: Mapping[str, Any] | None = None, *, page: str | None = None
    ) -> None:
        self._run(self._socket.send(name, payload, page=page))

    def call(
        self,
        state: type | str,
        handler: str | None = None,
        payload: Mapping[str, Any] | None = None,
        *,
        page: str | None = None,
        rounds: int = 2,
    ) -> Reply:
        return self._run(self._socket.call(state, handler, payload, page=page, rounds=rounds))

    def open_page(self, page: str, *, rounds: int = 1) -> Reply:
        return self._run(self._socket.open_page(page, rounds=rounds))

    def __enter__(self) -> ReflexSocket:
        return self.connect()

    def __exit__(self, *exc_info) -> None:
        self.close()
