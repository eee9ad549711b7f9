"""Text helpers for counts only the browser knows (a Var): French plurals as babel decides them."""

from __future__ import annotations

import reflex as rx

from espace.core.formatting import plural_threshold

_THRESHOLD = plural_threshold()  # 2 in French: "0 document", "1 document", "2 documents"


def plural(count: rx.Var, one: str, other: str) -> rx.Var:
    """``count`` followed by the singular or the plural form (``formatting.plural`` in Python)."""
    return count.to_string() + rx.cond(count < _THRESHOLD, " " + one, " " + other)
