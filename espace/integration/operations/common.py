"""What every operation shares: the errors, the scope check, cursor pagination, the holder
lookup."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from sqlmodel import Session

from espace.identity.models import Policyholder
from espace.integration.clients import ApiClientAuthority

MAX_PAGE = 100


class ScopeMissing(PermissionError):
    pass


class OperationError(ValueError):
    """Bad input: French messages by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def require(authority: ApiClientAuthority, scope: str) -> None:
    if not isinstance(authority, ApiClientAuthority) or not authority.allows(scope):
        raise ScopeMissing(scope)


# ----- pagination ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise OperationError({"cursor": "Curseur de pagination invalide."}) from None


def page(session: Session, query, model, *, cursor: str | None, limit: int) -> Page:
    after = decode_cursor(cursor)
    limit = max(1, min(limit, MAX_PAGE))
    rows = list(
        session.exec(query.where(model.id > after).order_by(model.id).limit(limit + 1)).all()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)


def _field_error(error: Exception) -> OperationError:
    field = getattr(error, "field", "") or "request"
    return OperationError({field: str(error)})


def _holder(session: Session, holder_id: int) -> Policyholder:
    holder = session.get(Policyholder, holder_id)
    if holder is None:
        raise LookupError("holder")
    return holder
