"""The signed-in holder, re-checked against the server-side session on every private handler."""

from __future__ import annotations

import json
from http.cookies import CookieError, SimpleCookie
from urllib.parse import quote

import reflex as rx

from espace import routes
from espace.contracts.portfolio import holder as load_holder
from espace.core.client_address import client_address, is_loopback_client
from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.notifications import notices
from espace.state.handlers import blocking_event, current_principal, validate_token


def read_cookie(cookie_header: str, name: str) -> str | None:
    """One cookie's value from a raw Cookie header (None if absent or malformed)."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def read_session_cookie(cookie_header: str) -> str | None:
    return read_cookie(cookie_header, get_settings().session_cookie_name)


def _forwarded_for(router) -> str:
    raw_headers = getattr(getattr(router, "headers", None), "raw_headers", None) or {}
    return raw_headers.get("x-forwarded-for", "")


def client_ip(router) -> str:
    """The address of the browser behind this socket (``self.router``), past trusted proxies
    only."""
    return client_address(peer=router.session.client_ip, forwarded_for=_forwarded_for(router))


def client_is_local(router) -> bool:
    """True when the browser behind this socket runs on this machine (see
    ``is_loopback_client``)."""
    return is_loopback_client(peer=router.session.client_ip, forwarded_for=_forwarded_for(router))


def full_navigation(path: str, *, clear_client_state: bool = False) -> rx.event.EventSpec:
    """Leave the single-page app: the next page load opens a new socket with fresh cookies."""
    target = json.dumps(path)
    if not clear_client_state:
        return rx.call_script(f"window.location.replace({target})")
    # Logging out also forgets the attestations kept on this device for offline reading
    # (assets/pwa.js), waiting for that at most a second.
    return rx.call_script(
        "sessionStorage.clear();"
        "Promise.race([Promise.resolve(window.espaceLogoutCleanup && window.espaceLogoutCleanup()),"
        " new Promise(function(r){setTimeout(r, 1000)})])"
        f".catch(function(){{}}).then(function(){{window.location.replace({target})}})"
    )


def handoff_navigation(code: str, binding: str, next_page: str) -> rx.event.EventSpec:
    """Sign in through the hand-off route, from this tab only: ``binding`` (see
    ``sessions.begin_login``) reaches this tab alone, over its socket, and goes into a short-lived
    SameSite=Strict cookie (``__Host-`` in production) that the hand-off requires with the code."""
    settings = get_settings()
    cookie = (
        f"{settings.handoff_cookie_name}={binding}; Path=/; "
        f"Max-Age={settings.login_handoff_seconds}; SameSite=Strict"
        + ("; Secure" if settings.secure_cookies else "")
    )
    target = json.dumps(f"{routes.HANDOFF}?code={quote(code)}&suite={quote(next_page)}")
    return rx.call_script(f"document.cookie={json.dumps(cookie)};window.location.replace({target})")


class SessionState(rx.State):
    """Base of every private page's state."""

    holder_name: str = ""
    unread_notifications: int = 0

    def _token(self) -> str | None:
        return read_session_cookie(self.router.headers.cookie)

    def _principal(self) -> sessions.Principal | None:
        """The principal validated for this event by ``holder_event`` (validated here otherwise)."""
        return current_principal() or validate_token(self._token())

    def _holder_principal(self) -> sessions.Principal | None:
        """The signed-in holder's principal (with account and session ids), or None."""
        principal = self._principal()
        return principal if principal and principal.holder_id else None

    def _holder_id(self) -> int | None:
        """The signed-in holder's id, or None. Call at the start of every private handler."""
        principal = self._principal()
        return principal.holder_id if principal and principal.holder_id else None

    def _to_login(self) -> rx.event.EventSpec:
        """Forget everything shown and go to the login page, coming back here afterwards."""
        self.reset()
        path, query = self.router.page.path, self.router.url.query
        wanted = f"{path}?{query}" if query else path
        target = routes.LOGIN + (
            f"?suite={quote(wanted, safe='')}" if path in routes.PRIVATE_PAGES else ""
        )
        return rx.redirect(target, replace=True)

    def _load_header(self, holder_id: int) -> None:
        with session_scope() as db:
            person = load_holder(session=db, holder_id=holder_id)
            self.holder_name = person.display_name if person else ""
            self.unread_notifications = notices.unread_count(session=db, holder_id=holder_id)

    @blocking_event
    def route_home(self):
        """``/``: the portal for a signed-in holder, the login page otherwise."""
        if self._holder_id() is None:
            return rx.redirect(routes.LOGIN, replace=True)
        return rx.redirect(routes.AFTER_LOGIN, replace=True)

    @blocking_event
    def logout(self):
        with session_scope() as db:
            sessions.revoke(session=db, token=self._token(), reason="logout")
        self.reset()
        return full_navigation(routes.LOGOUT, clear_client_state=True)
