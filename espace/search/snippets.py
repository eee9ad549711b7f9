"""Snippets of search results: the words of the query highlighted in a title or an excerpt of the
body."""

from __future__ import annotations

import re
from functools import lru_cache

from espace.search import text

_TOKEN = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=100_000)
def _token_stem(token: str) -> str:
    return text.stem(text.fold(token))


def highlight(original: str, wanted: set[str], *, window: int = 0) -> list[tuple[str, bool]]:
    """Split ``original`` into (text, highlighted) parts; with ``window``, keep the words around the
    first match (an excerpt)."""
    tokens = list(_TOKEN.finditer(original))
    marks = [_token_stem(t.group()) in wanted for t in tokens]
    start_char, end_char = 0, len(original)
    if window and tokens:
        first = next((i for i, m in enumerate(marks) if m), 0)
        lo, hi = max(0, first - window // 3), min(len(tokens) - 1, first + window)
        start_char, end_char = tokens[lo].start(), tokens[hi].end()
    parts: list[tuple[str, bool]] = [("… ", False)] if start_char > 0 else []
    position = start_char
    for token, marked in zip(tokens, marks, strict=True):
        if token.start() < start_char or token.end() > end_char or not marked:
            continue
        if token.start() > position:
            parts.append((original[position : token.start()], False))
        parts.append((token.group(), True))
        position = token.end()
    if position < end_char:
        parts.append((original[position:end_char], False))
    if end_char < len(original):
        parts.append((" …", False))
    return [(t.replace("\n", " "), h) for t, h in parts if t]
