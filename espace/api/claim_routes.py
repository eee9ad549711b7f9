"""Routes of the offline claim declaration (``assets/declaration-hors-ligne.html``).

- ``GET /api/sinistres/hors-ligne/formulaire``: what the page keeps on the device to fill a
  declaration without network (the holder's own contracts, the perils and their questions).
- ``POST /api/sinistres/hors-ligne``: a declaration sent once the connection returns (multipart:
  fields and photos), with the key the device generated in the ``Idempotency-Key`` header.

Both need the holder's session cookie; the POST must come from one of our pages (``Sec-Fetch-Site``
and ``Origin``; the custom header cannot be sent cross-site without a CORS preflight we never
grant), and is refused before its body is read when anonymous, cross-site or too large. Answers are
JSON with ``Cache-Control: no-store``; errors are ``{"error": "…"}`` or ``{"errors": {field: "…"}}``
in French."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from espace.claims import offline
from espace.claims.declaration import ClaimInputError
from espace.core.db import session_scope
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import sessions

FORM_PATH = "/api/sinistres/hors-ligne/formulaire"
SUBMIT_PATH = "/api/sinistres/hors-ligne"
KEY_HEADER = "idempotency-key"
SIGN_IN = "Connectez-vous pour envoyer votre déclaration."
TOO_LARGE = (
    "Votre déclaration est trop volumineuse : joignez au plus "
    f"{offline.MAX_PHOTOS} photos de 10 Mo chacune."
)


def _json(content: dict, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers={"Cache-Control": "no-store"})


def _error(message: str, status_code: int) -> JSONResponse:
    return _json({"error": message}, status_code)


def _principal(request: Request):
    with session_scope() as db:
        principal = sessions.validate(
            session=db, token=request.cookies.get(get_settings().session_cookie_name)
        )
    return principal if principal is not None and principal.holder_id is not None else None


def _tag(holder_id: int) -> str:
    return offline.holder_tag(holder_id, get_settings().secret_key.get_secret_value())


async def offline_form(request: Request) -> JSONResponse:
    def load():
        principal = _principal(request)
        if principal is None:
            return None
        with session_scope() as db:
            return offline.form(
                session=db, holder_id=principal.holder_id, tag=_tag(principal.holder_id)
            )

    data = await run_in_threadpool(load)
    if data is None:
        return _error(SIGN_IN, 401)
    return _json(data)


def _cross_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    return request.headers.get("sec-fetch-site", "same-origin") != "same-origin" or (
        origin is not None and origin not in get_settings().allowed_origins
    )


async def _limited_body(request: Request) -> bool:
    """Read the body, refusing it past ``offline.MAX_REQUEST_BYTES`` (whatever Content-Length
    said); the form parser then reads what was kept."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > offline.MAX_REQUEST_BYTES:
        return False
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > offline.MAX_REQUEST_BYTES:
            return False
        chunks.append(chunk)
    request._body = b"".join(chunks)  # Request.stream()/form() read it from here
    return True


def _text(form, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


async def _declaration(form) -> offline.OfflineDeclaration:
    contract = _text(form, "contract", 20).strip()
    photos = []
    for upload in form.getlist("photos"):
        if isinstance(upload, str):
            continue
        photos.append((await upload.read(), upload.filename or "photo"))
    return offline.OfflineDeclaration(
        contract_id=int(contract) if contract.isdigit() else None,
        peril=_text(form, "peril", 40),
        answers={
            name[len(offline.ANSWER_PREFIX) :]: _text(form, name, 600)
            for name in form.keys()
            if name.startswith(offline.ANSWER_PREFIX)
        },
        occurred_date=_text(form, "occurred_date", 20),
        occurred_time=_text(form, "occurred_time", 10),
        description=_text(form, "description", 5000),
        item_description=_text(form, "item_description", 300),
        item_category=_text(form, "item_category", 40),
        item_estimate=_text(form, "item_estimate", 30),
        photos=photos,
    )


async def submit(request: Request) -> JSONResponse:
    if _cross_site(request):
        return _error("Requête refusée : elle doit venir de votre espace client.", 403)
    key = request.headers.get(KEY_HEADER, "").strip()
    if not offline.KEY_PATTERN.match(key):
        return _error("Requête invalide : identifiant de la déclaration manquant.", 400)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        return _error("Requête invalide : formulaire attendu.", 400)
    principal = await run_in_threadpool(_principal, request)
    if principal is None:  # before the body is read: an anonymous request costs nothing
        return _error(SIGN_IN, 401)
    if not await _limited_body(request):
        return _error(TOO_LARGE, 413)
    try:
        form = await request.form(max_files=offline.MAX_PHOTOS + 1, max_fields=60)
        data = await _declaration(form)
    except Exception:  # noqa: BLE001 - a malformed multipart body, whatever the parser's error
        return _error("Requête invalide : le formulaire n'a pas pu être lu.", 400)

    def send():
        with session_scope() as db:
            return offline.submit_offline(
                session=db,
                holder_id=principal.holder_id,
                account_id=principal.account_id,
                key=key,
                data=data,
                now=utcnow(),
            )

    try:
        result = await run_in_threadpool(send)  # rolled back on error: nothing kept
    except ClaimInputError as error:
        return _json({"errors": dict(error.errors)}, 422)
    return _json(
        {"number": result.number, "next_step": result.next_step, "duplicate": result.duplicate},
        200 if result.duplicate else 201,
    )


def routes() -> list[Route]:
    return [
        Route(FORM_PATH, offline_form, methods=["GET"]),
        Route(SUBMIT_PATH, submit, methods=["POST"]),
    ]
