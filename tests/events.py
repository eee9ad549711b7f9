"""Call a State event handler as Reflex would, from a synchronous test.

Handlers declared with ``holder_event``/``staff_event``/``blocking_event`` are coroutines that
validate the session once (``self._token()``, then ``handlers.validate_token``) and run their body
in the pool: ``run_handler`` awaits them; a plain synchronous handler is simply called.

A real state (``rx.State`` with a cookie in its router) goes through the real session check. A
stand-in ``self`` (SimpleNamespace) without ``_token`` names its caller the way the handlers used
to ask for it (``_me``, ``_holder_principal``, ``_holder_id`` or ``_staff_id``): that answer is
what the session check returns for this call, so "holder B sends A's id" and "signed out" tests
keep testing the handler's own code with B's (or nobody's) principal.
"""

from __future__ import annotations

import asyncio
import inspect
from unittest import mock

from espace.identity.sessions import Principal


def _stand_in_principal(state, kind: str):
    if kind == "staff" and callable(getattr(state, "_staff_id", None)):
        staff_id = state._staff_id()
        return Principal(session_id=0, staff_id=staff_id) if staff_id else None
    for name in ("_me", "_holder_principal", "_principal"):
        source = getattr(state, name, None)
        if callable(source):
            return source()
    if callable(getattr(state, "_holder_id", None)):
        holder_id = state._holder_id()
        return Principal(session_id=0, holder_id=holder_id) if holder_id else None
    if callable(getattr(state, "_staff_id", None)):
        staff_id = state._staff_id()
        return Principal(session_id=0, staff_id=staff_id) if staff_id else None
    return None


def run_handler(handler, state, *args, **kwargs):
    """``handler``: ``SomeState.some_handler`` (the EventHandler); ``state``: a real state or a
    stand-in (see the module doc)."""
    fn = handler.fn
    kind = getattr(fn, "blocking_kind", "public")
    if kind != "public" and not hasattr(state, "_token"):
        principal = _stand_in_principal(state, kind)
        state._token = lambda: "stand-in"
        try:
            with mock.patch("espace.state.handlers.validate_token", lambda token: principal):
                return _run(fn(state, *args, **kwargs))
        finally:
            del state._token
    return _run(fn(state, *args, **kwargs))


def _run(result):
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    return result
