"""The insurance thesaurus (``content/search/thesaurus.txt``) as the engine uses it.

Expressions are compared as sequences of stems, with the words that change their sense kept ("pas
couvert", "par mois": see ``text.SENSE_WORDS``). A query brings the groups of the *longest*
expressions it contains, so an ambiguous stem written inside an expression ("voisin inondé", "par
mois") does not pull the groups of its other senses ("inondation", "2 mois"). The words of an
expression may come in another order and with one word between them ("inondé mon voisin")."""

from __future__ import annotations

from functools import lru_cache

from espace import content
from espace.core.text import fold
from espace.search import text

_FOLDED_LETTERS = str.maketrans({"-": " "})


def normalize(expression: str) -> str:
    """Case- and accent-insensitive key of an expression (hyphens and apostrophes folded)."""
    return " ".join(fold(expression).translate(_FOLDED_LETTERS).split())


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[tuple[str, ...], ...], dict[str, str]]:
    data = content.thesaurus()
    return data.groups, data.abbreviations


def __getattr__(name: str):
    if name == "SYNONYM_GROUPS":
        return _data()[0]
    if name == "ABBREVIATIONS":
        return _data()[1]
    raise AttributeError(name)


def reload() -> None:
    content.reload()
    _data.cache_clear()
    _folded.cache_clear()
    _by_stems.cache_clear()
    _by_member.cache_clear()
    ambiguous_words.cache_clear()
    _index.cache_clear()


@lru_cache(maxsize=1)
def _folded() -> tuple[list[tuple[str, ...]], dict[str, str], frozenset[str]]:
    """Groups and abbreviations folded; every word they contain (known words are never
    "corrected")."""
    groups_, abbreviations_ = _data()
    groups = [tuple(dict.fromkeys(text.fold(e) for e in group)) for group in groups_]
    abbreviations = {text.fold(k): text.fold(v) for k, v in abbreviations_.items()}
    known = frozenset(w for group in groups for e in group for w in text.words(e)) | frozenset(
        abbreviations
    )
    return groups, abbreviations, known


def groups() -> list[tuple[str, ...]]:
    return _folded()[0]


def abbreviations() -> dict[str, str]:
    return _folded()[1]


def known_words() -> frozenset[str]:
    return _folded()[2]


@lru_cache(maxsize=1)
def ambiguous_words() -> frozenset[str]:
    """Word forms with several senses ("inondé": the neighbour's flat or a flood; "inondation" is
    not one of them although it has the same stem)."""
    return frozenset(text.fold(w) for w in content.thesaurus().ambiguous)


def _stem(word: str) -> str:
    """A sense word stays itself, marked: "pars" (stem "par") must not meet "par" of "par mois".
    Every negation is one mark ("jamais garanti" is "pas garanti"); "plus" reaches here only from
    "ne ... plus" (``text.sense_terms``): no longer, which is not "not" ("je n'habite plus là" has
    moved, "le logement n'est pas habité" is empty)."""
    if word in text.NEGATION_WORDS:
        return "~pas"
    if word in text.SENSE_WORDS or word == "plus":
        return "~" + word
    return text.stem(word)


def expression_stems(expression: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in text.sense_terms(expression))


@lru_cache(maxsize=1)
def _by_stems() -> tuple[dict[tuple[str, ...], tuple[int, ...]], int]:
    found: dict[tuple[str, ...], list[int]] = {}
    for number, group in enumerate(groups()):
        for expression in group:
            key = expression_stems(expression)
            if key and number not in found.setdefault(key, []):
                found[key].append(number)
    return {k: tuple(v) for k, v in found.items()}, max(len(k) for k in found)


@lru_cache(maxsize=1)
def _by_member() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Expressions of two words or more, by each of their stems."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for key in _by_stems()[0]:
        if len(key) > 1:
            for member in set(key):
                found.setdefault(member, []).append(key)
    return {k: tuple(v) for k, v in found.items()}


def _spans(stems: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, expression) of every thesaurus expression found in the stems: in its order, or
    in any order with at most one other word between its words ("inondé mon voisin" for "voisin
    inondé")."""
    by_stems, longest = _by_stems()
    by_member = _by_member()
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for i in range(len(stems)):
        if (stems[i],) in by_stems:
            found.append((i, i + 1, (stems[i],)))
        for j in range(i + 2, min(len(stems), i + longest + 1) + 1):
            window = stems[i:j]
            members = set(window)
            for key in by_member.get(stems[i], ()):
                if (
                    len(key) in (j - i, j - i - 1)
                    and stems[j - 1] in key
                    and set(key) <= members
                    and (i, j, key) not in found
                ):
                    found.append((i, j, key))
    return found


def matched_expressions(words: list[str]) -> list[tuple[str, ...]]:
    """The longest thesaurus expressions (as stems) found in the folded words of a query."""
    stems = [_stem(w) for w in words]
    found = _spans(stems)
    # "pas propriétaire, suis-je couvert": the negation belongs to the word right after it, not to
    # a word further on ("pas [...] couvert"). Of two expressions as long that share words, the one
    # with a word between its words gives way.
    spans = [
        (i, j, key)
        for i, j, key in found
        if not any(
            a < j and i < b and len(k) >= len(key) and b - a - len(k) < j - i - len(key)
            for a, b, k in found
        )
    ]
    kept = []
    ambiguous_forms = ambiguous_words()
    for i, j, key in spans:
        longer = any(
            a <= i and j <= b and (b - a, len(k)) > (j - i, len(key)) for a, b, k in spans
        ) or any(len(k) > len(key) and set(key) < set(k) for _a, _b, k in spans)
        ambiguous = j - i == 1 and words[i] in ambiguous_forms
        if not longer and not ambiguous and key not in kept:
            kept.append(key)
    return kept


NEGATIONS = frozenset({"~pas", "~plus"})


def _spelled(words: list[str]) -> list[str]:
    """The sense terms of a query (``text.sense_terms``), abbreviations written out."""
    abbreviations_ = abbreviations()
    return [
        t
        for w in words
        for t in (text.sense_terms(abbreviations_[w]) if w in abbreviations_ else [w])
    ]


def negated_stems(words: list[str]) -> set[str]:
    """The stems a negation turns into their opposite ("pas couvert": "couvert"): counted as plain
    words, they would find what the query excludes. A negation denies the words after it and the
    one right before it ("ne ferme plus"): in "la serrure ne ferme plus", the lock is still what the
    query is about; in "pas pris en charge", "charge" is denied too."""
    spelled = _spelled(words)
    return {
        s
        for key in matched_expressions(spelled)
        if NEGATIONS & set(key)
        for i, s in enumerate(key)
        if not s.startswith("~") and NEGATIONS & {*key[:i], *key[i + 1 : i + 2]}
    }


def expand_words(words: list[str]) -> list[str]:
    """The expressions (folded) of the thesaurus groups that the query's words mention."""
    phrases, single = expand_by_span(words)
    return [*phrases, *(e for e in single if e not in phrases)]


def expand_by_span(words: list[str]) -> tuple[list[str], list[str]]:
    """The expressions (folded) of the groups that the query mentions, in two parts: those of the
    expressions of several words it holds ("pas habité", "voisin inondé": a precise sense), and
    those of its single words ("logement")."""
    spelled = _spelled(words)
    by_stems, _longest = _by_stems()
    phrases: list[str] = []
    single: list[str] = []
    for key in matched_expressions(spelled):
        found = phrases if len(key) > 1 else single
        for number in by_stems[key]:
            found.extend(e for e in groups()[number] if e not in found)
    return phrases, single


def expand(phrase: str) -> list[str]:
    return expand_words(text.sense_terms(phrase))


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for group in _data()[0]:
        for key in dict.fromkeys(normalize(expression) for expression in group):
            index.setdefault(key, []).append(group)
    return {key: tuple(found) for key, found in index.items()}


def groups_for(expression: str) -> list[tuple[str, ...]]:
    """The groups containing ``expression`` as written (case- and accent-insensitive)."""
    return list(_index().get(normalize(expression), ()))


def synonyms_of(expression: str) -> list[str]:
    """Every expression sharing a group with ``expression`` (itself excluded), in order."""
    key = normalize(expression)
    related = (other for group in groups_for(expression) for other in group)
    return [other for other in dict.fromkeys(related) if normalize(other) != key]


def expand_abbreviation(word: str) -> str | None:
    """The expansion of an abbreviation ("rc" -> "responsabilité civile"), else None."""
    return _data()[1].get(normalize(word))
