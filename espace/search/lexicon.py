"""Which words are real French or English words, and how common they are (pyspellchecker's frequency
lists, shipped in its wheel): typo correction leaves a real word alone ("vient" is not a typo of
"vent", "policy" not one of "police") unless it is rare and a word of the index is one letter away
("franchisse" for "franchise")."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from espace.search import text

log = logging.getLogger(__name__)
COMMON = 1_000  # occurrences in the frequency list: above, a word is never "corrected"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    with _lock:
        found: dict[str, int] = {}
        try:
            from spellchecker import SpellChecker
        except ImportError:  # pragma: no cover - the dependency is declared; degrade to no lexicon
            log.warning("pyspellchecker missing: typo correction has no lexicon")
            return found
        for language in ("fr", "en"):
            for word, count in SpellChecker(language=language).word_frequency.dictionary.items():
                folded = text.fold(word)
                if folded.isalpha() and count > found.get(folded, 0):
                    found[folded] = count
        return found


def frequency(word: str) -> int:
    return _frequencies().get(word, 0)


def is_common(word: str) -> bool:
    return frequency(word) >= COMMON


def is_word(word: str) -> bool:
    return word in _frequencies()


def warm() -> None:
    _frequencies()
