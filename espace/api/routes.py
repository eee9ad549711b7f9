"""Starlette routes: the login hand-off that sets the HttpOnly session cookie, logout, health;
``build_api`` mounts them with the downloads of private files (``file_routes``), the holder's
exports (``export_routes``), the other routes of ``espace.api`` and the insurer's API."""

from __future__ import annotations

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Mount, Route

from espace import routes
from espace.api import export_routes, file_routes
from espace.api.client import request_ip
from espace.core.db import get_engine, session_scope
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.identity.signin import finish_login

DEVICE_COOKIE_SECONDS = 400 * 24 * 3600  # browsers cap cookie lifetime at 400 days


def _redirect(location: str) -> RedirectResponse:
    response = RedirectResponse(location, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def _from_another_site(request: Request) -> bool:
    """A request another site (or anything but one of our pages) started: a ``Sec-Fetch-Site`` other
    than same-origin, or an ``Origin`` that is not ours. Browsers without these headers are covered
    by the hand-off cookie (SameSite=Strict) all the same."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return True
    origin = request.headers.get("origin")
    return origin is not None and origin not in get_settings().allowed_origins


async def handoff(request: Request) -> RedirectResponse:
    """Exchange the one-time code from a successful sign-in for a session cookie.

    The code is redeemed only by the browser that typed the password: its tab set the hand-off
    cookie just before coming here (see ``state.session.handoff_navigation``), and a navigation
    started by another site is refused. Otherwise an attacker could send his own code to a victim,
    whose browser would then be signed in to the attacker's account (login CSRF)."""
    settings = get_settings()
    cookie_name = settings.session_cookie_name
    finished = None
    if not _from_another_site(request):
        with session_scope() as db:
            finished = finish_login(
                session=db,
                code=request.query_params.get("code", ""),
                binding=request.cookies.get(settings.handoff_cookie_name, ""),
                previous_token=request.cookies.get(cookie_name),
                device_token=request.cookies.get(settings.device_cookie_name),
                ip=request_ip(request.scope),
                user_agent=request.headers.get("user-agent", ""),
            )
    secure = settings.secure_cookies
    response = _redirect(
        f"{routes.LOGIN}?info=expire"
        if finished is None
        else routes.safe_next(request.query_params.get("suite"))
    )
    response.delete_cookie(settings.handoff_cookie_name, path="/", secure=secure, samesite="strict")
    if finished is None:
        return response
    response.set_cookie(
        cookie_name, finished.session_token, httponly=True, secure=secure, samesite="lax", path="/"
    )
    response.set_cookie(
        settings.device_cookie_name,
        finished.device_token,
        max_age=DEVICE_COOKIE_SECONDS,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )
    return response


async def logout(request: Request) -> RedirectResponse:
    """End the session server-side and delete the cookie.

    Only a same-origin navigation (or one typed by the user) may end a session, so that
    another site cannot log people out by linking here.
    """
    settings = get_settings()
    cookie_name = settings.session_cookie_name
    if request.headers.get("sec-fetch-site", "none") in ("same-origin", "none"):
        with session_scope() as db:
            sessions.revoke(session=db, token=request.cookies.get(cookie_name), reason="logout")
    reason = "supprime" if request.query_params.get("motif") == "supprime" else "deconnecte"
    after = (
        routes.STAFF_LOGIN
        if request.query_params.get("vers") == "gestion"
        else f"{routes.LOGIN}?info={reason}"
    )
    response = _redirect(after)
    response.delete_cookie(
        cookie_name, path="/", secure=settings.secure_cookies, httponly=True, samesite="lax"
    )
    return response


async def health(_request: Request) -> JSONResponse:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def build_api() -> Starlette:
    from espace.api.claim_routes import routes as offline_claim_routes
    from espace.api.observability import routes as ops_routes
    from espace.api.push_routes import routes as push_routes
    from espace.integration.app import asgi_app

    return Starlette(
        routes=[
            *ops_routes(),
            *push_routes(),
            *offline_claim_routes(),
            Route(routes.HANDOFF, handoff, methods=["GET"]),
            Route(routes.LOGOUT, logout, methods=["GET"]),
            Route(routes.HEALTH, health, methods=["GET"]),
            Route(routes.DOCUMENT_FILE, file_routes.document, methods=["GET"]),
            Route(routes.CLAIM_FILE, file_routes.claim_file, methods=["GET"]),
            Route(routes.MESSAGE_FILE, file_routes.message_file, methods=["GET"]),
            Route(routes.CANCELLATION_FILE, file_routes.cancellation_file, methods=["GET"]),
            Route(
                routes.CANCELLATION_ACK, file_routes.cancellation_acknowledgement, methods=["GET"]
            ),
            Route(routes.PAYMENTS_EXPORT, export_routes.payments_export, methods=["GET"]),
            Route(routes.DATA_EXPORT, export_routes.data_export, methods=["GET"]),
            Mount(routes.API_V1, app=asgi_app()),  # the insurer's API (espace/integration)
        ]
    )
