"""Routes the service worker's page calls to subscribe the browser to Web Push, or to stop.

Both changes need the holder's session cookie and a same-origin request; the answers are JSON
with ``Cache-Control: no-store``."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.notifications import push

KEY_PATH = "/api/push/cle"
SUBSCRIPTION_PATH = "/api/push/abonnement"
MAX_BODY_BYTES = 4096


def _json(content: dict, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers={"Cache-Control": "no-store"})


def _error(message: str, status_code: int) -> JSONResponse:
    return _json({"error": message}, status_code)


async def public_key(_request: Request) -> JSONResponse:
    if not push.configured():
        return _error("Les notifications sur l'appareil ne sont pas disponibles.", 404)
    return _json({"publicKey": push.public_key()})


async def _body(request: Request) -> dict | None:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _refused(request: Request) -> JSONResponse | None:
    """A cross-site request, or one without JSON, is refused before the session is looked at."""
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin" or (
        origin is not None and origin not in get_settings().allowed_origins
    ):
        return _error("Requête refusée : elle doit venir de votre espace client.", 403)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _error("Requête invalide : contenu JSON attendu.", 400)
    return None


async def subscription(request: Request) -> JSONResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    data = await _body(request)
    settings = get_settings()
    with session_scope() as db:
        principal = sessions.validate(
            session=db, token=request.cookies.get(settings.session_cookie_name)
        )
        if principal is None or principal.holder_id is None:
            return _error("Connectez-vous pour gérer les notifications sur cet appareil.", 401)
        if data is None:
            return _error("Requête invalide : contenu JSON attendu.", 400)
        if request.method == "DELETE":
            endpoint = data.get("endpoint")
            if not isinstance(endpoint, str) or not endpoint:
                return _error("Indiquez l'abonnement à supprimer.", 400)
            removed = push.unsubscribe(session=db, holder_id=principal.holder_id, endpoint=endpoint)
            return _json({"removed": removed})
        if not push.configured():
            return _error("Les notifications sur l'appareil ne sont pas disponibles.", 404)
        try:
            push.subscribe(
                session=db,
                holder_id=principal.holder_id,
                subscription=data,
                user_agent=request.headers.get("user-agent", ""),
            )
        except push.PushError as error:
            return _error(str(error), 400)
    return _json({"subscribed": True}, 201)


def routes() -> list[Route]:
    return [
        Route(KEY_PATH, public_key, methods=["GET"]),
        Route(SUBSCRIPTION_PATH, subscription, methods=["POST", "DELETE"]),
    ]
