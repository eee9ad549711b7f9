"""Normalising what people type as a login identifier."""

from __future__ import annotations

import re

CONTRACT_NUMBER_RE = re.compile(r"^MRH\d{7}$")


def normalise_contract_number(raw: str) -> str | None:
    """'mrh 123 4567' -> 'MRH1234567'; None when it is not a contract number."""
    compact = re.sub(r"[\s.\-]", "", raw or "").upper()
    return compact if CONTRACT_NUMBER_RE.match(compact) else None


def normalise_email(raw: str) -> str:
    return (raw or "").strip().lower()
