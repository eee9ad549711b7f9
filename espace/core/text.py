"""Accent folding, written once: names, passwords, search terms and anchors compare through it."""

from __future__ import annotations

import unicodedata


def _accent_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code).lower()
        if len(char) != 1:
            continue
        bare = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if bare != char:
            table[ord(char)] = bare
    return table


_ACCENTS = {
    **_accent_table(),
    **{ord(k): v for k, v in {"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ß": "ss"}.items()},
}


def fold(text: str) -> str:
    """Lowercase without accents: "Dégâts des eaux" -> "degats des eaux", "Cœur" -> "coeur",
    typographic apostrophes as "'"."""
    text = (text or "").lower().translate(_ACCENTS)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
