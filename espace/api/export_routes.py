"""The holder's exports: payments as CSV or OFX, and her own data as a ZIP (GDPR access and
portability); mounted by ``espace.api.routes``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.identity import sessions


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
