"""Reading submitted form values: every field arrives from the browser and may be missing or of any
type."""

from __future__ import annotations


def text(form: dict | None, name: str, limit: int = 4000) -> str:
    """A submitted field as text ('' when absent: fields hidden by a condition arrive as None)."""
    value = (form or {}).get(name)
    return "" if value is None else str(value)[:limit]


def flag(value) -> bool:
    """A checkbox or boolean sent by the browser."""
    return value is True or str(value).lower() in ("on", "true", "1", "yes")
