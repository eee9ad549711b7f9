"""The one rule for State event handlers: nothing slow on the event loop, the session checked once.

Reflex 0.10 calls a synchronous handler directly on the asyncio loop, so one holder's SQL query,
argon2 hash or PDF render used to delay every other user of the process. Every handler that does
I/O is declared with one of these decorators instead of ``@rx.event``:

- ``@holder_event``: a signed-in holder's handler. ``fn(self, me, *args)`` receives the holder's
  ``Principal`` (validated once per event, in the pool); a signed-out caller is sent to the login
  page and ``fn`` never runs.
- ``@staff_event``: the same for the back office (``me.staff_id`` set; otherwise the staff login).
- ``@blocking_event``: a public handler that does I/O (sign-in, sign-up...): no principal.

The decorated body runs in a bounded thread pool (``off_loop``) while Reflex holds this tab's
state lock: the tab's own events still run one at a time (the per-token queue and the lock wait for
the await), other tabs are served meanwhile, and Reflex computes the delta on the loop after the
body returns, so nothing reads this state while the body writes it. A body must therefore not
``await`` Reflex APIs (``get_state``) and must not be a generator (none is). ``async def`` bodies
(uploads read their files on the loop) are awaited on the loop and call ``off_loop`` themselves for
their blocking part.

Inside the body, ``self._principal()`` (and the ``_me``/``_holder_id``/``_staff_id`` helpers built
on it) return the principal already validated for this event instead of querying again.

``errors_to="flash"``: a domain error escaping the body (``DomainError`` subclasses, the French
message of which is shown as is; ``LookupError``: something unknown or not yours) is written to
that State var instead of failing the event; nothing was changed (the session rolled back).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

import reflex as rx

from espace.core.db import session_scope
from espace.identity import sessions

P = ParamSpec("P")
T = TypeVar("T")

# At or below the database pool (core/db.py: 10 + overflow) so that a burst of slow handlers waits
# for a thread (on the loop, without blocking it) instead of starving the pool.
POOL_THREADS = 8
_POOL = ThreadPoolExecutor(max_workers=POOL_THREADS, thread_name_prefix="espace-blocking")


def _new_pool_in_child() -> None:
    """A forked process (a server that forks its workers after import, mutmut's run per mutant)
    does not inherit the pool's threads: work queued to the parent's pool would wait forever."""
    global _POOL
    _POOL = ThreadPoolExecutor(max_workers=POOL_THREADS, thread_name_prefix="espace-blocking")


os.register_at_fork(after_in_child=_new_pool_in_child)

NOT_FOUND_MESSAGE = "Cet élément est introuvable."

_CURRENT: contextvars.ContextVar[sessions.Principal | None] = contextvars.ContextVar(
    "espace_event_principal", default=None
)


class DomainError(Exception):
    """Base for errors a domain raises with a French message fit for the person who acted."""


async def off_loop(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking work (SQL, argon2, PDF, embeddings, HTTP) in the shared pool; the loop stays
    free."""
    ctx = contextvars.copy_context()
    call = functools.partial(ctx.run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_POOL, call)


def current_principal() -> sessions.Principal | None:
    """The principal validated for the event being handled (None outside a decorated handler)."""
    return _CURRENT.get()


def validate_token(token: str | None) -> sessions.Principal | None:
    """The live session behind ``token``, or None (blocking: call it off the loop)."""
    if not token:
        return None
    with session_scope() as db:
        return sessions.validate(session=db, token=token)


def _without_principal(fn: Callable) -> inspect.Signature:
    signature = inspect.signature(fn)
    params = list(signature.parameters.values())
    return signature.replace(parameters=[params[0], *params[2:]])


def _mapped(self, errors_to: str | None, error: Exception) -> bool:
    if errors_to is None:
        return False
    if isinstance(error, DomainError):
        setattr(self, errors_to, str(error))
        return True
    if isinstance(error, LookupError):
        setattr(self, errors_to, NOT_FOUND_MESSAGE)
        return True
    return False


def _signed_in(kind: str, errors_to: str | None):
    def decorate(fn: Callable) -> Any:
        is_async = inspect.iscoroutinefunction(fn)
        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            raise TypeError(f"{fn.__qualname__}: generators run on the loop, not supported here")

        def accepted(principal: sessions.Principal | None) -> bool:
            if principal is None:
                return False
            return bool(principal.holder_id if kind == "holder" else principal.staff_id)

        def refuse(self):
            return self._to_login() if kind == "holder" else self._to_staff_login()

        def run_sync(self, token, args, kwargs):
            principal = validate_token(token)
            if not accepted(principal):
                return refuse(self)
            _CURRENT.set(principal)
            try:
                return fn(self, principal, *args, **kwargs)
            except Exception as error:
                if _mapped(self, errors_to, error):
                    return None
                raise

        @functools.wraps(fn)
        async def handler(self, *args, **kwargs):
            token = self._token()
            if not is_async:
                return await off_loop(run_sync, self, token, args, kwargs)
            principal = await off_loop(validate_token, token)
            if not accepted(principal):
                return refuse(self)
            reset = _CURRENT.set(principal)
            try:
                return await fn(self, principal, *args, **kwargs)
            except Exception as error:
                if _mapped(self, errors_to, error):
                    return None
                raise
            finally:
                _CURRENT.reset(reset)

        handler.__signature__ = _without_principal(fn)  # type: ignore[attr-defined]
        handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "me"}
        handler.blocking_kind = kind  # type: ignore[attr-defined]
        return rx.event(handler)

    return decorate


def holder_event(fn: Callable | None = None, *, errors_to: str | None = None) -> Any:
    """A signed-in holder's handler: ``fn(self, me, ...)`` off the loop (see the module doc)."""
    decorate = _signed_in("holder", errors_to)
    return decorate(fn) if fn is not None else decorate


def staff_event(fn: Callable | None = None, *, errors_to: str | None = None) -> Any:
    """A signed-in staff member's handler: ``fn(self, me, ...)`` off the loop."""
    decorate = _signed_in("staff", errors_to)
    return decorate(fn) if fn is not None else decorate


def blocking_event(fn: Callable) -> Any:
    """A public handler doing I/O: its body runs off the loop (no principal, no redirect)."""
    if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
        raise TypeError(f"{fn.__qualname__}: generators run on the loop, not supported here")
    if inspect.iscoroutinefunction(fn):
        return rx.event(fn)  # async already: it calls off_loop for its blocking part

    @functools.wraps(fn)
    async def handler(self, *args, **kwargs):
        return await off_loop(fn, self, *args, **kwargs)

    handler.blocking_kind = "public"  # type: ignore[attr-defined]
    return rx.event(handler)
