"""Typo correction of a query's words against what the index and the thesaurus know (the words
ranker of ``espace.search.engine`` searches the corrected words)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from espace.search import lexicon, text, thesaurus
from espace.search.index import SearchIndex


def _max_edits(word: str) -> int:
    """Typos tolerated in a word: one from 3 letters ("eaus", "bri"), two from 9. A real word
    (French or English, pyspellchecker's lists) is left alone when it is common ("vient", "policy"),
    and short words are only corrected when they are no word at all."""
    if len(word) < 3 or word.isdigit():
        return 0
    frequency = lexicon.frequency(word)
    if frequency >= lexicon.COMMON or (len(word) < 5 and frequency):
        return 0
    return 1 if len(word) < 9 else 2


@lru_cache(maxsize=4)
def _stems_of(vocabulary: tuple[str, ...]) -> frozenset[str]:
    return frozenset(text.stem(w) for w in vocabulary)


def correct(
    words: list[str],
    index: SearchIndex,
    own: set[str] | frozenset[str] | Callable[[], set[str]] = frozenset(),
    *,
    keep_last: bool = False,
) -> list[str]:
    """Replace words unknown to the index and the thesaurus by the closest known word (typos): the
    fewest edits (a swap of two neighbouring letters counts as one), then the most frequent word.
    Known words are those of shared items, the thesaurus and ``own`` (the holder's own items': a
    function, called only when a word is unknown to the rest)."""
    known = thesaurus.known_words()
    shared = index.vocabulary()
    shared_set = index.vocabulary_set()
    shared_stems = _stems_of(tuple(shared))
    fixed = []
    own_words: set[str] | None = None
    for position, word in enumerate(words):
        edits = _max_edits(word)
        if (
            not edits
            or (keep_last and position == len(words) - 1)
            or word in shared_set
            or word in known
            or text.stem(word) in shared_stems
        ):
            fixed.append(word)
            continue
        if own_words is None:
            own_words = set(own() if callable(own) else own)
        if word in own_words or text.stem(word) in {text.stem(w) for w in own_words}:
            fixed.append(word)
            continue
        choices = [*shared, *sorted(own_words - shared_set), *sorted(known - shared_set)]
        if len(word) < 5:  # a short word's typo rarely hits its first letter
            choices = [c for c in choices if c[:1] == word[:1]]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not found:
            fixed.append(word)
            continue
        fewest = min(distance for _w, distance, _i in found)
        candidates = sorted({w for w, distance, _i in found if distance == fewest})
        counts = index.word_counts(candidates)
        fixed.append(
            max(candidates, key=lambda w: (counts.get(w, 0), w in known, lexicon.frequency(w)))
        )
    return fixed
