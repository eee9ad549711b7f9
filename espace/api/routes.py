"""Starlette routes: the login hand-off that sets the HttpOnly session cookie, logout, health."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from espace import routes
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


def _not_found() -> PlainTextResponse:
    return PlainTextResponse(
        "Document introuvable.", status_code=404, headers={"Cache-Control": "no-store"}
    )


async def document(request: Request) -> Response:
    """A holder's own document, after checking the session; each download is recorded."""
    return await run_in_threadpool(_document, request)  # database and file storage block


def _document(request: Request) -> Response:
    from espace.billing import receipts
    from espace.documents import library
    from espace.identity.models import Account

    settings = get_settings()
    inline = request.query_params.get("apercu") == "1"
    with session_scope() as db:
        principal = sessions.validate(
            session=db, token=request.cookies.get(settings.session_cookie_name)
        )
        if principal is None or principal.holder_id is None:
            return PlainTextResponse(
                "Connectez-vous pour accéder à vos documents.",
                status_code=401,
                headers={"Cache-Control": "no-store"},
            )
        doc = library.owned_document(
            session=db,
            holder_id=principal.holder_id,
            document_id=request.path_params["document_id"],
        )
        if doc is None:
            return _not_found()
        try:
            data = library.content(session=db, document=doc, render_missing=receipts.render_missing)
        except FileNotFoundError:
            return _not_found()
        library.record_download(
            session=db,
            document=doc,
            account=db.get(Account, principal.account_id),
            inline=inline,
            ip=request_ip(request.scope),
        )
        filename = f"{doc.reference}.pdf" if doc.mime_type == "application/pdf" else doc.reference
        mime, kind, title = doc.mime_type, doc.kind, f"{doc.title} ({doc.reference})"
    disposition = "inline" if inline else "attachment"
    headers = {
        "Cache-Control": "no-store",
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "X-Frame-Options": "SAMEORIGIN",  # the library previews PDFs in a frame of the same site
        "Content-Security-Policy": "frame-ancestors 'self'",
    }
    if kind == "attestation":  # the service worker keeps the last attestations for offline reading
        headers["X-Espace-Offline"] = "attestation"
        headers["X-Espace-Title"] = quote(title)
    return Response(data, media_type=mime, headers=headers)


def _private_file(request: Request, for_holder, for_staff) -> tuple[object, Response | None]:
    """The record a signed-in holder or staff member may read (``for_holder(db, holder_id)`` /
    ``for_staff(db, staff_id)``), or the 401/404 response to send instead."""
    from espace.identity.staff_access import StaffForbidden

    settings = get_settings()
    with session_scope() as db:
        principal = sessions.validate(
            session=db, token=request.cookies.get(settings.session_cookie_name)
        )
        if principal is None:
            return None, PlainTextResponse(
                "Connectez-vous pour accéder à ce fichier.",
                status_code=401,
                headers={"Cache-Control": "no-store"},
            )
        try:
            record = (
                for_holder(db, principal.holder_id)
                if principal.holder_id
                else for_staff(db, principal.staff_id)
            )
        except StaffForbidden:
            record = None
        return record, (_not_found() if record is None else None)


async def _file_response(key: str, mime: str, filename: str, *, inline: bool) -> Response:
    """Stream a stored file (local folder or object storage: both block, so in a worker thread)."""
    from starlette.concurrency import iterate_in_threadpool
    from starlette.responses import StreamingResponse

    from espace.core import storage

    try:
        chunks = await run_in_threadpool(storage.chunks, key)
    except FileNotFoundError:
        return _not_found()
    return StreamingResponse(
        iterate_in_threadpool(chunks),
        media_type=mime,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": (
                f"{'inline' if inline else 'attachment'}; "
                f"filename*=UTF-8''{quote(filename.replace(chr(34), ''))}"
            ),
            "X-Frame-Options": "SAMEORIGIN",
            "Content-Security-Policy": "frame-ancestors 'self'",
        },
    )


async def claim_file(request: Request) -> Response:
    """A claim's photo or document: for its holder, or for staff allowed to see the claim."""
    from espace.claims import declaration_queries, workflow_views

    file_id = request.path_params["file_id"]
    wants_thumbnail = request.query_params.get("miniature") == "1"
    record, refusal = await run_in_threadpool(
        _private_file,
        request,
        lambda db, holder_id: declaration_queries.file_for_holder(
            session=db, holder_id=holder_id, file_id=file_id
        ),
        lambda db, staff_id: workflow_views.file_for_staff(
            session=db, staff_id=staff_id, file_id=file_id, thumbnail=wants_thumbnail
        ),
    )
    if refusal is not None:
        return refusal
    thumbnail = wants_thumbnail and bool(record.thumbnail_key)
    return await _file_response(
        record.thumbnail_key if thumbnail else record.storage_key,
        "image/jpeg" if thumbnail else record.mime_type,
        record.filename,
        inline=thumbnail or request.query_params.get("apercu") == "1",
    )


async def message_file(request: Request) -> Response:
    """A file joined to a secure message: for the holder of the thread, or staff with the inbox."""
    from espace.support import thread_inbox, thread_views

    attachment_id = request.path_params["attachment_id"]
    record, refusal = await run_in_threadpool(
        _private_file,
        request,
        lambda db, holder_id: thread_views.attachment_for_holder(
            session=db, holder_id=holder_id, attachment_id=attachment_id
        ),
        lambda db, staff_id: thread_inbox.attachment_for_staff(
            session=db, staff_id=staff_id, attachment_id=attachment_id
        ),
    )
    if refusal is not None:
        return refusal
    return await _file_response(record.storage_key, record.mime_type, record.filename, inline=False)


async def cancellation_file(request: Request) -> Response:
    """A cancellation's supporting document: for its holder, or handlers and managers (the role is
    checked and the download traced by ``lifecycle.cancellation_staff``)."""
    from espace.lifecycle import cancellation_staff, cancellation_views

    file_id = request.path_params["file_id"]
    record, refusal = await run_in_threadpool(
        _private_file,
        request,
        lambda db, holder_id: cancellation_views.file_for_holder(
            session=db, holder_id=holder_id, file_id=file_id
        ),
        lambda db, staff_id: cancellation_staff.file_for_staff(
            session=db, staff_id=staff_id, file_id=file_id
        ),
    )
    if refusal is not None:
        return refusal
    return await _file_response(
        record.storage_key,
        record.mime_type,
        record.filename,
        inline=request.query_params.get("apercu") == "1",
    )


async def cancellation_acknowledgement(request: Request) -> Response:
    """The acknowledgement PDF of a cancellation, for handlers and managers (holders have it in
    "Mes documents")."""
    return await run_in_threadpool(_cancellation_acknowledgement, request)


def _cancellation_acknowledgement(request: Request) -> Response:
    from espace.billing import receipts
    from espace.documents import library
    from espace.lifecycle import cancellation_staff

    cancellation_id = request.path_params["cancellation_id"]

    def for_staff(db, staff_id):
        document = cancellation_staff.acknowledgement_for_staff(
            session=db, staff_id=staff_id, cancellation_id=cancellation_id
        )
        if document is None:
            return None
        try:
            data = library.content(
                session=db, document=document, render_missing=receipts.render_missing
            )
        except FileNotFoundError:
            return None
        return document.reference, data

    found, refusal = _private_file(request, lambda db, holder_id: None, for_staff)
    if refusal is not None:
        return refusal
    reference, data = found
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{reference}.pdf"',
            "X-Frame-Options": "SAMEORIGIN",
            "Content-Security-Policy": "frame-ancestors 'self'",
        },
    )


async def payments_export(request: Request) -> Response:
    """The holder's payments over a period, as CSV (spreadsheet) or OFX (personal finance
    software)."""
    from datetime import date

    from espace.billing import exports

    settings = get_settings()
    kind = request.query_params.get("format", "csv")
    try:
        start = date.fromisoformat(request.query_params.get("du", ""))
        end = date.fromisoformat(request.query_params.get("au", ""))
    except ValueError:
        return PlainTextResponse(
            "Indiquez une période valide (du … au …).",
            status_code=400,
            headers={"Cache-Control": "no-store"},
        )
    if kind not in ("csv", "ofx"):
        return PlainTextResponse(
            "Format inconnu : csv ou ofx.", status_code=400, headers={"Cache-Control": "no-store"}
        )
    with session_scope() as db:
        principal = sessions.validate(
            session=db, token=request.cookies.get(settings.session_cookie_name)
        )
        if principal is None or principal.holder_id is None:
            return PlainTextResponse(
                "Connectez-vous pour exporter vos paiements.",
                status_code=401,
                headers={"Cache-Control": "no-store"},
            )
        build = exports.export_csv if kind == "csv" else exports.export_ofx
        try:
            data = build(session=db, holder_id=principal.holder_id, start=start, end=end)
        except exports.ExportError as error:
            return PlainTextResponse(
                str(error), status_code=400, headers={"Cache-Control": "no-store"}
            )
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ofx"
    filename = f"espace-paiements-{start.isoformat()}-{end.isoformat()}.{kind}"
    return Response(
        data,
        media_type=media,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


async def data_export(request: Request) -> Response:
    """The holder's own data, as JSON and CSV files in a ZIP (GDPR access and portability)."""
    from espace.privacy import export

    settings = get_settings()
    with session_scope() as db:
        principal = sessions.validate(
            session=db, token=request.cookies.get(settings.session_cookie_name)
        )
        if principal is None or principal.holder_id is None:
            return PlainTextResponse(
                "Connectez-vous pour exporter vos données.",
                status_code=401,
                headers={"Cache-Control": "no-store"},
            )
        data = export.export_zip(session=db, holder_id=principal.holder_id)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": 'attachment; filename="mes-donnees-espace.zip"',
        },
    )


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
            Route(routes.DOCUMENT_FILE, document, methods=["GET"]),
            Route(routes.CLAIM_FILE, claim_file, methods=["GET"]),
            Route(routes.MESSAGE_FILE, message_file, methods=["GET"]),
            Route(routes.CANCELLATION_FILE, cancellation_file, methods=["GET"]),
            Route(routes.CANCELLATION_ACK, cancellation_acknowledgement, methods=["GET"]),
            Route(routes.PAYMENTS_EXPORT, payments_export, methods=["GET"]),
            Route(routes.DATA_EXPORT, data_export, methods=["GET"]),
            Mount(routes.API_V1, app=asgi_app()),  # the insurer's API (espace/integration)
        ]
    )
