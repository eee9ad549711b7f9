"""Hybrid search for a holder, three rankers merged by reciprocal rank fusion, each bringing one kind
of evidence once: the words of the query (FTS5, typos corrected, items with all of them first), their
synonyms from the insurance thesaurus (FTS5) and the meaning (sentence embeddings). A holder only ever
reaches public items, their formulas' guarantees and their own data."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlmodel import Session, select

from espace.contracts.models import Contract, ContractStatus, Formula
from espace.search import embeddings, sources, text
from espace.search.index import SearchIndex, get_index

# Fusion: score = sum of weight / (RRF_K + rank). Our rankings are short (a few hundred reachable items),
# so their first places carry the evidence: 60, the usual value for long web rankings, flattened them.
RRF_K = 20
KEYWORD_LIMIT = 100
DENSE_LIMIT = 30
DENSE_MIN = 0.80  # e5 cosine below this is noise for our short texts
STRICT_WEIGHT = 1.2  # the words of the query, the items with all of them first
COVERAGE_MIN = (
    0.5  # share of the best item's coverage (idf of the query words found) to be ranked there
)
WIDE_WEIGHT = 1.0  # their synonyms (the words themselves when the thesaurus knows none)
DENSE_WEIGHT = 0.8  # sentence embeddings
KINDS = {
    "guarantee": "Garanties",
    "article": "Conditions générales",
    "glossary": "Lexique",
    "faq": "Aide",
    "document": "Documents",
    "claim": "Sinistres",
    "message": "Messages",
    "payment": "Paiements",
}


@dataclass(frozen=True)
class SearchFilters:
    kinds: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    category: str = ""
    contract: str = ""


@dataclass
class Hit:
    key: str
    kind: str
    title: str
    url: str
    snippet: list[tuple[str, bool]]  # (text, highlighted)
    title_parts: list[tuple[str, bool]]
    day: date | None
    amount_cents: int | None
    category: str
    contract: str
    score: float = 0.0


@dataclass
class SearchResult:
    query: str
    did_you_mean: str = ""
    hits: list[Hit] = field(default_factory=list)
    semantic: bool = False


# ----- query understanding --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _thesaurus() -> tuple[list[tuple[str, ...]], dict[str, str], frozenset[str]]:
    from espace.search import thesaurus_data as data

    groups = [tuple(dict.fromkeys(text.fold(e) for e in group)) for group in data.SYNONYM_GROUPS]
    abbreviations = {text.fold(k): text.fold(v) for k, v in data.ABBREVIATIONS.items()}
    known = frozenset(w for group in groups for e in group for w in text.words(e)) | frozenset(
        abbreviations
    )
    return groups, abbreviations, known


@lru_cache(maxsize=1)
def _groups_by_stems() -> tuple[dict[tuple[str, ...], tuple[int, ...]], int]:
    """Each thesaurus expression as its sequence of stems (stop words out: "dégâts d'eau" and "dégât des
    eaux" meet), with the groups it belongs to; and the longest sequence."""
    groups, _abbreviations, _known = _thesaurus()
    found: dict[tuple[str, ...], list[int]] = {}
    for number, group in enumerate(groups):
        for expression in group:
            key = tuple(text.stems(expression))
            if key and number not in found.setdefault(key, []):
                found[key].append(number)
    return {k: tuple(v) for k, v in found.items()}, max(len(k) for k in found)


@lru_cache(maxsize=4)
def _stems_of(vocabulary: tuple[str, ...]) -> frozenset[str]:
    return frozenset(text.stem(w) for w in vocabulary)


def _max_edits(word: str) -> int:
    """Typos tolerated in a word: none under 5 letters ("fils" is not a typo of "fois"), one up to 8
    letters, two beyond. More would turn real words the index lacks into other words ("quitte" into
    "quittance", "envolées" into "envoyée")."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def correct(
    words: list[str], index: SearchIndex, own: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Replace words unknown to the index and the thesaurus by the closest known word (typos): the
    fewest edits (a swap of two neighbouring letters counts as one), then the most frequent word.
    Known words are those of shared items, the thesaurus, and ``own`` (the holder's own items')."""
    _groups, abbreviations, known = _thesaurus()
    shared = index.vocabulary()
    vocabulary = [*shared, *sorted(own - index.vocabulary_set())]
    vocab_set = set(vocabulary)
    # The shared stems are cached (the shared vocabulary changes rarely); the holder's own are few.
    vocab_stems = _stems_of(tuple(shared)) | {text.stem(w) for w in own}
    fixed = []
    for word in words:
        edits = _max_edits(word)
        if (
            word in vocab_set
            or word in known
            or word.isdigit()
            or not edits
            or word in text.STOP_WORDS
            or text.stem(word) in vocab_stems
        ):
            fixed.append(word)
            continue
        choices = [*vocabulary, *sorted(known - vocab_set)]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not found:
            fixed.append(word)
            continue
        fewest = min(distance for _w, distance, _i in found)
        candidates = [w for w, distance, _i in found if distance == fewest]
        counts = dict(
            index.execute(
                f"SELECT word, n FROM word WHERE word IN ({','.join('?' * len(candidates))})",
                candidates,
            )
        )
        fixed.append(max(candidates, key=lambda w: (counts.get(w, 0), w in known)))
    return fixed


def expand(phrase: str) -> list[str]:
    """Synonym expressions (folded) of the thesaurus groups the phrase mentions.

    Expressions are compared as stems, so plurals, feminines and stop words do not matter, and only
    the longest expressions found count: "prélèvement rejeté" brings the group of payment incidents,
    not every group of "prélèvement" too; "plafond de garantie" the ceilings, not the guarantees."""
    groups, abbreviations, _known = _thesaurus()
    by_stems, longest = _groups_by_stems()
    words = " ".join(abbreviations.get(w, w) for w in phrase.split())
    stems = text.stems(words)
    spans = [
        (i, j)
        for i in range(len(stems))
        for j in range(i + 1, min(len(stems), i + longest) + 1)
        if tuple(stems[i:j]) in by_stems
    ]
    kept = [
        (i, j)
        for i, j in spans
        if not any(a <= i and j <= b and (a, b) != (i, j) for a, b in spans)
    ]
    found: list[str] = []
    for i, j in kept:
        for number in by_stems[tuple(stems[i:j])]:
            found.extend(e for e in groups[number] if e not in found)
    return found


def _fts_term(stem: str, prefix: bool = False) -> str:
    return f'"{stem}"' + ("*" if prefix else "")


def _fts_phrase(expression: str) -> str | None:
    stems = text.stems(expression)
    return ('"' + " ".join(stems) + '"') if stems else None


# ----- the holder's reach ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    scopes: tuple[str, ...]
    default_contract: str
    contract_by_formula: dict[str, str]


def reach(session: Session, holder_id: int) -> Reach:
    rows = session.exec(
        select(Contract, Formula)
        .join(Formula, Formula.id == Contract.formula_id)
        .where(Contract.holder_id == holder_id)
        .order_by(Contract.status != ContractStatus.ACTIVE, Contract.number)
    ).all()
    by_formula: dict[str, str] = {}
    for contract, formula in rows:
        if contract.status == ContractStatus.ACTIVE:
            by_formula.setdefault(sources.formula_scope(formula.code), contract.number)
    scopes = (sources.PUBLIC, sources.holder_scope(holder_id), *by_formula)
    return Reach(scopes, rows[0][0].number if rows else "", by_formula)


# ----- rankers --------------------------------------------------------------------------------


def _where(reach_: Reach, filters: SearchFilters) -> tuple[str, list]:
    clauses = [f"item.scope IN ({','.join('?' * len(reach_.scopes))})"]
    params: list = list(reach_.scopes)
    if filters.kinds:
        clauses.append(f"item.kind IN ({','.join('?' * len(filters.kinds))})")
        params += list(filters.kinds)
    if filters.start:
        clauses.append("item.day >= ?")
        params.append(filters.start.isoformat())
    if filters.end:
        clauses.append("item.day <= ?")
        params.append(filters.end.isoformat())
    if filters.min_cents is not None:
        clauses.append("item.amount_cents >= ?")
        params.append(filters.min_cents)
    if filters.max_cents is not None:
        clauses.append("item.amount_cents <= ?")
        params.append(filters.max_cents)
    if filters.category:
        clauses.append("item.category = ?")
        params.append(filters.category)
    if filters.contract:
        clauses.append("(item.contract = ? OR item.scope = ?)")
        params += [filters.contract, sources.PUBLIC]
    return " AND ".join(clauses), params


_NEAREST = "abs(julianday(coalesce(item.day, date('now'))) - julianday(date('now')))"


def _keyword(index: SearchIndex, match: str, reach_: Reach, filters: SearchFilters) -> list[int]:
    scope_filter = "scope : (" + " OR ".join(f'"{s}"' for s in reach_.scopes) + ")"
    where, params = _where(reach_, filters)
    # Items that score the same (a holder's monthly payments or receipts differ only by their dates):
    # the one nearest to today first.
    sql = (
        f"SELECT item.id FROM item_fts JOIN item ON item.id = item_fts.rowid "
        f"WHERE item_fts MATCH ? AND {where} ORDER BY round(bm25(item_fts, 0.0, 3.0, 1.0), 2), {_NEAREST} "
        f"LIMIT {KEYWORD_LIMIT}"
    )
    try:
        return [row[0] for row in index.execute(sql, [f"{scope_filter} AND ({match})", *params])]
    except Exception:  # noqa: BLE001 - a malformed match (should not happen: terms are quoted) finds nothing
        return []


def _coordinated(
    index: SearchIndex, terms: list[str], reach_: Reach, filters: SearchFilters
) -> list[int]:
    """The items with every word of the query first, then those with most of them, a rare word counting
    more than a common one (idf); BM25 order among equals. A strict AND would find nothing for "ma box a
    grillé pendant l'orage" where the item about electrical damage has two of its three words."""
    terms = list(dict.fromkeys(terms))
    ranked = _keyword(index, " OR ".join(terms), reach_, filters)
    if len(terms) == 1 or not ranked:
        return ranked
    scope_filter = "scope : (" + " OR ".join(f'"{s}"' for s in reach_.scopes) + ")"
    total = index.execute(
        f"SELECT count(*) FROM item WHERE scope IN ({','.join('?' * len(reach_.scopes))})",
        list(reach_.scopes),
    )[0][0]
    coverage: dict[int, float] = dict.fromkeys(ranked, 0.0)
    for term in terms:
        found = {
            row[0]
            for row in index.execute(
                "SELECT rowid FROM item_fts WHERE item_fts MATCH ?",
                [f"{scope_filter} AND ({term})"],
            )
        }
        weight = math.log((total + 1) / (len(found) + 0.5))
        for item_id in found.intersection(coverage):
            coverage[item_id] += weight
    # An item with a minor part of the query (the common word of "mandat sepa" on every payment) is
    # left to the widened ranker: here it would vote as if it matched the query.
    best = max(coverage.values())
    position = {item_id: i for i, item_id in enumerate(ranked)}
    return sorted(
        (item_id for item_id in ranked if coverage[item_id] >= COVERAGE_MIN * best),
        key=lambda item_id: (-round(coverage[item_id], 3), position[item_id]),
    )


def _dense(index: SearchIndex, phrase: str, reach_: Reach, filters: SearchFilters) -> list[int]:
    vector = embeddings.query(phrase)
    if vector is None:
        return []
    where, params = _where(reach_, filters)
    rows = index.execute(
        f"SELECT item.id, item.vec, {_NEAREST} FROM item WHERE item.vec IS NOT NULL AND {where}",
        params,
    )
    if not rows:
        return []
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(
        len(rows), embeddings.DIM
    )
    scores = np.round(matrix.astype(np.float32) @ vector, 3)  # float16 vectors: finer is noise
    order = np.lexsort((np.array([r[2] for r in rows], dtype=np.float64), -scores))[:DENSE_LIMIT]
    return [rows[i][0] for i in order if scores[i] >= DENSE_MIN]


def _fuse(rankings: list[tuple[list[int], float]]) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, item_id in enumerate(ranking):
            scores[item_id] = scores.get(item_id, 0.0) + weight / (RRF_K + rank + 1)
    return scores


# ----- snippets -------------------------------------------------------------------------------

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


# ----- search ---------------------------------------------------------------------------------


def _understood(words: list[str], index: SearchIndex) -> bool:
    """Whether any word of the query is a word of the index or of the thesaurus."""
    _groups, _abbreviations, known = _thesaurus()
    vocabulary = index.vocabulary_set()
    stems = _stems_of(tuple(index.vocabulary()))
    return any(w in vocabulary or w in known or text.stem(w) in stems for w in words)


def search(
    *,
    session: Session,
    holder_id: int,
    query: str,
    filters: SearchFilters = SearchFilters(),
    limit: int = 40,
    index: SearchIndex | None = None,
    prefix: bool = False,
    semantic: bool = True,
) -> SearchResult:
    index = index or get_index()
    query = (query or "").strip()[:200]
    words = text.terms(query)
    result = SearchResult(query=query)
    if not words and not filters.kinds:
        return result
    reach_ = reach(session, holder_id)
    corrected = correct(words, index, index.own_words(sources.holder_scope(holder_id)))
    if corrected != words:
        result.did_you_mean = " ".join(corrected)
    phrase = " ".join(corrected)
    stems = [text.stem(w) for w in corrected]
    expansions = expand(" ".join(text.words(" ".join(corrected))))
    wanted = set(stems) | {s for e in expansions for s in text.stems(e)}
    rankings: list[tuple[list[int], float]] = []
    if stems:
        words_ = [_fts_term(s, prefix and i == len(stems) - 1) for i, s in enumerate(stems)]
        rankings.append((_coordinated(index, words_, reach_, filters), STRICT_WEIGHT))
        # The words themselves already vote in the first ranker: counted again here, a word in an
        # unrelated sense ("casse" in "votre enfant casse les lunettes" for "carreau cassé") would win.
        widened = [p for p in (_fts_phrase(e) for e in expansions) if p] or words_
        if prefix:  # a word being typed has no synonyms yet
            widened.append(words_[-1])
        rankings.append(
            (_keyword(index, " OR ".join(dict.fromkeys(widened)), reach_, filters), WIDE_WEIGHT)
        )
        keyword_found = any(ranking for ranking, _weight in rankings)
        if semantic and (keyword_found or _understood(corrected, index)):
            # Meaning helps a query made of real words; for gibberish ("zzqxw") the nearest vectors are noise.
            dense = _dense(index, query if not result.did_you_mean else phrase, reach_, filters)
            result.semantic = bool(dense) or embeddings.available()
            rankings.append((dense, DENSE_WEIGHT))
    else:  # filters only: the newest items of these kinds
        where, params = _where(reach_, filters)
        rankings.append(
            (
                [
                    r[0]
                    for r in index.execute(
                        f"SELECT item.id FROM item WHERE {where} ORDER BY item.day DESC "
                        f"LIMIT {limit}",
                        params,
                    )
                ],
                1.0,
            )
        )
    fused = sorted(_fuse(rankings).items(), key=lambda kv: -kv[1])[:limit]
    if not fused:
        return result
    ids = [item_id for item_id, _ in fused]
    rows = {
        r[0]: r
        for r in index.execute(
            f"SELECT id, key, kind, scope, title, body, url, day, amount_cents, category, contract FROM item "
            f"WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    for item_id, score in fused:
        row = rows.get(item_id)
        if row is None:
            continue
        _id, key, kind, scope, title, body, url, day, amount, category, contract = row
        contract_number = reach_.contract_by_formula.get(scope, reach_.default_contract)
        result.hits.append(
            Hit(
                key=key,
                kind=kind,
                title=title,
                url=url.replace("{contract}", contract_number),
                snippet=highlight(body, wanted, window=28),
                title_parts=highlight(title, wanted),
                day=date.fromisoformat(day) if day else None,
                amount_cents=amount,
                category=category,
                contract=contract,
                score=score,
            )
        )
    return result
