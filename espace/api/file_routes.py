"""Downloads of private files, each after checking the session and who may read it: the
holder's documents, claim photos and documents, message attachments, cancellation documents
and acknowledgements (``Cache-Control: no-store``; mounted by ``espace.api.routes``)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from espace.api.client import request_ip
from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.identity import sessions


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
