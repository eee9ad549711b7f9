"""One tap: today's standard attestation for one of the holder's contracts (dashboard and
assistant)."""

from __future__ import annotations

from espace import routes
from espace.core.db import session_scope
from espace.core.formatting import PARIS
from espace.core.models import utcnow


def issue_today(*, holder_id: int, contract_id) -> tuple[str, str]:
    """(download url, "") or ("", the French error); the contract must be the holder's (checked by
    the service). ``contract_id`` comes from the browser: anything but an integer is refused."""
    from espace.contracts import attestations

    try:
        contract_id = int(contract_id)
    except (TypeError, ValueError):
        return "", "Contrat introuvable."
    try:
        with session_scope() as db:
            document = attestations.issue(
                session=db,
                holder_id=holder_id,
                contract_id=contract_id,
                request=attestations.AttestationRequest(kind="standard"),
                today=utcnow().astimezone(PARIS).date(),
            )
            return routes.document_url(document.id), ""
    except (attestations.AttestationError, ValueError) as error:
        return "", getattr(error, "message", None) or str(error)
