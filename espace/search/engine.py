"""Hybrid search: three rankers merged by weighted reciprocal rank fusion, each bringing one kind of
evidence once, then a relevance cut-off.

1. **Words**: the query's words (typos corrected against the index's vocabulary: ``typos``),
   items holding the rarest and most of them first (FTS5 / PostgreSQL full text).
2. **Expressions**: the thesaurus groups of the expressions the query contains (longest first, with
   the words that change a sense kept: "pas couvert", "voisin inondé", "par mois"; English ones
   too), those of its phrases apart from and above those of its single words.
3. **Meaning**: the sentence embedding of the query against the items' (multilingual-e5-small, from
   a per-process vector index), always run, with a floor under which a neighbour is noise; it
   counts less where the query holds a negation (an embedding hardly reads one), and a conversation
   it alone finds counts less (short exchanges sit near every query).

The weights and the query's cues (own items, definitions) are in ``espace.search.tuning``.

A holder only ever reaches public items, their formulas' guarantees and their own data; the back
office (``espace.search.staff``) reaches what the staff member's role allows. The same code runs on
both index backends (SQLite, PostgreSQL)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from espace.contracts.models import Contract, ContractStatus, Formula
from espace.core.models import today_paris
from espace.search import embeddings, lexicon, sources, text, thesaurus, vectors
from espace.search.index import Clause, Row, SearchIndex, Where, get_index
from espace.search.snippets import highlight
from espace.search.tuning import TUNING, Tuning, asks_for_definition, asks_for_own_items
from espace.search.typos import correct

KINDS = {
    "guarantee": "Garanties",
    "article": "Conditions générales",
    "glossary": "Lexique",
    "faq": "Aide",
    "document": "Documents",
    "claim": "Sinistres",
    "message": "Messages",
    "thread": "Conversations",
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
    indexing: tuple[int, int] | None = None  # (done, total) while the index is being built


# ----- the holder's reach ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    scopes: tuple[str, ...]
    default_contract: str
    contract_by_formula: dict[str, str]


def reach(session: Session, holder_id: int) -> Reach:
    rows = session.exec(
        select(Contract, Formula)
        .join(Formula, col(Formula.id) == Contract.formula_id)
        .where(Contract.holder_id == holder_id)
        .order_by(col(Contract.status) != ContractStatus.ACTIVE, col(Contract.number))
    ).all()
    by_formula: dict[str, str] = {}
    for contract, formula in rows:
        if contract.status == ContractStatus.ACTIVE:
            by_formula.setdefault(sources.formula_scope(formula.code), contract.number)
    scopes = (sources.PUBLIC, sources.holder_scope(holder_id), *by_formula)
    return Reach(scopes, rows[0][0].number if rows else "", by_formula)


# ----- rankers --------------------------------------------------------------------------------


def _words_ranker(
    index: SearchIndex, words: list[str], where: Where, prefix: bool, tuning: Tuning
) -> list[int]:
    """Items with the query's words: those holding the rarest and the most of them first (idf
    coverage), BM25 order among equals. A strict AND would find nothing for "ma box a grillé pendant
    l'orage" where the item about electrical damage has two of its three words."""
    words = list(dict.fromkeys(words))
    clauses = [Clause((w,), prefix and i == len(words) - 1) for i, w in enumerate(words)]
    ranked = index.keyword(clauses, where, tuning.keyword_limit)
    if len(words) == 1 or not ranked:
        return ranked
    stems = [text.stem(w) for w in words]
    held = index.contained(ranked, stems)
    frequencies, total = index.doc_freq(stems)
    ambiguous = {text.stem(w) for w in words if w in thesaurus.ambiguous_words()}
    # A word with several senses ("arrêter" / "arrêté") is weak evidence alone.
    weight = {
        s: math.log((total + 1) / (frequencies.get(s, 0) + 0.5)) * (0.3 if s in ambiguous else 1)
        for s in stems
    }
    if prefix:  # the word being typed matches by its start
        held = {i: found | ({stems[-1]} if i in ranked else set()) for i, found in held.items()}
    coverage = {i: sum(weight[s] for s in held.get(i, ())) for i in ranked}
    best = max(coverage.values())
    position = {item_id: n for n, item_id in enumerate(ranked)}
    # An item with a minor part of the query (the common word of "mandat sepa" on every payment) is
    # left to the other rankers: here it would vote as if it matched the query.
    return sorted(
        (i for i in ranked if coverage[i] >= tuning.coverage_min * best),
        key=lambda i: (-round(coverage[i], 3), position[i]),
    )


def _expressions_ranker(
    index: SearchIndex, expressions: list[str], where: Where, tuning: Tuning
) -> list[int]:
    # An expression whose sense rests on a word the index does not keep ("pas couvert": "pas" is a
    # stop word) would match its opposite: only the others are searched.
    clauses = [
        Clause(tuple(text.canonical(w) for w in text.terms(e)))
        for e in expressions
        if not (set(text.sense_terms(e)) & text.STOP_WORDS)
    ]
    clauses = [c for c in clauses if c.words]
    return index.keyword(clauses, where, tuning.keyword_limit) if clauses else []


def _means_something(words: list[str], index: SearchIndex) -> bool:
    """At least one word of the query is a word (French or English, the thesaurus, the shared
    items' vocabulary) or a number: for "zzqxw" every neighbour of the embedding is noise, however
    close (its cosine to a message was 0.80, the floor)."""
    known = thesaurus.known_words()
    shared = index.vocabulary_set()
    return any(
        w.isdigit() or w in known or w in shared or lexicon.is_word(w) or len(w) < 3 for w in words
    )


def _meaning_ranker(
    index: SearchIndex, phrase: str, where: Where, tuning: Tuning
) -> tuple[list[int], bool, set[int]]:
    """The nearest items, whether the model ran, and which of them are conversations."""
    if where.scopes is None or not embeddings.available():
        return [], False, set()
    vector = embeddings.query(phrase)
    if vector is None:
        return [], False, set()
    found = vectors.store(index).nearest(
        where.scopes, vector, tuning.dense_k * (1 if where.only_scopes else 4)
    )
    if not found:
        return [], True, set()
    floor = max(tuning.dense_floor, found[0][1] - tuning.dense_margin)
    found = [(item_id, score) for item_id, score in found if score >= floor]
    # Near-identical items (a holder's monthly payments differ only by their dates): the one nearest
    # to today first: their cosines differ by the noise of float16 vectors.
    rows = index.rows([i for i, _ in found])
    days = {i: r.day for i, r in rows.items()}
    today = today_paris()

    def distance(day: date | None) -> int:
        return abs((day - today).days) if day else 10**6

    found.sort(key=lambda pair: (-round(pair[1], 2), distance(days.get(pair[0]))))
    ranked = [item_id for item_id, _score in found]
    if not where.only_scopes:
        allowed = index.filter_ids(ranked, where)
        ranked = [i for i in ranked if i in allowed]
    ranked = ranked[: tuning.dense_k]
    return ranked, True, {i for i in ranked if i in rows and rows[i].kind in CHAT_KINDS}


def _fuse(rankings: list[tuple[list[int], float]], k: float) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, item_id in enumerate(ranking):
            scores[item_id] = scores.get(item_id, 0.0) + weight / (k + rank + 1)
    return scores


def _boost(
    index: SearchIndex, scores: dict[int, float], chosen: Callable[[Row], bool], boost: float
) -> dict[int, float]:
    """The scores of the items ``chosen`` picks, raised by ``boost`` (a share of their score)."""
    picked = {i for i, row in index.rows(list(scores)).items() if chosen(row)}
    return {i: s * (1 + boost) if i in picked else s for i, s in scores.items()}


# Conversations: short exchanges ("Merci pour votre retour, bonne journée") whose embeddings sit
# near every query (hubs): the meaning ranker alone is weak evidence for them.
CHAT_KINDS = frozenset({"message", "thread"})


def _demote_chat_without_words(
    scores: dict[int, float], chats: set[int], lexical: list[tuple[list[int], float]], factor: float
) -> dict[int, float]:
    """The conversations that only the meaning ranker found, counted ``factor`` as much."""
    alone = chats - {i for ranking, _weight in lexical for i in ranking}
    return {i: s * factor if i in alone else s for i, s in scores.items()}


@dataclass
class Ranked:
    ids: list[tuple[int, float]]
    did_you_mean: str
    wanted: set[str]
    semantic: bool


def rank(
    *,
    index: SearchIndex,
    query: str,
    where: Where,
    own_scope: str | None = None,
    limit: int = 40,
    prefix: bool = False,
    semantic: bool = True,
    tuning: Tuning | None = None,
) -> Ranked:
    """The items of ``where`` that answer ``query``, best first, with their fused scores."""
    tuning = tuning or TUNING
    query = (query or "").strip()[:200]
    words = text.terms(query)
    if not words:
        if where.kinds:  # filters only: the newest items of these kinds
            recent = index.recent(where, limit)
            return Ranked([(i, 1.0) for i in recent], "", set(), False)
        return Ranked([], "", set(), False)
    corrected = correct(
        words, index, lambda: index.own_words(own_scope) if own_scope else set(), keep_last=prefix
    )
    fixes = dict(zip(words, corrected, strict=True))
    did_you_mean = " ".join(corrected) if corrected != words else ""
    sense = [fixes.get(w, w) for w in text.sense_terms(query)]
    phrases, single = ([], []) if prefix else thesaurus.expand_by_span(sense)
    expressions = [*phrases, *(e for e in single if e not in phrases)]
    # Words a negation turns into their opposite ("pas couvert") are left to the expressions ranker.
    negated = thesaurus.negated_stems(sense) if not prefix else set()
    literal = [w for w in corrected if text.stem(w) not in negated]
    if negated and not literal and not expressions:
        literal = corrected  # nothing else would answer
    canonical = [text.canonical(w) for w in literal]
    rankings: list[tuple[list[int], float]] = []
    if canonical:
        rankings.append((_words_ranker(index, canonical, where, prefix, tuning), tuning.w_words))
    if phrases and single and tuning.w_single < 1:
        # A sense the query spells out in several words ("pas habité") outweighs the groups of its
        # other words ("logement"): merged, the common words' groups drown it.
        rankings.append((_expressions_ranker(index, phrases, where, tuning), tuning.w_expressions))
        weight = tuning.w_expressions * tuning.w_single
        rankings.append((_expressions_ranker(index, single, where, tuning), weight))
    elif expressions:
        ranked = _expressions_ranker(index, expressions, where, tuning)
        rankings.append((ranked, tuning.w_expressions))
    lexical, chats, used_meaning = list(rankings), set[int](), False
    if semantic and not prefix and _means_something(corrected, index):
        dense, used_meaning, chats = _meaning_ranker(
            index, " ".join(corrected) if did_you_mean else query, where, tuning
        )
        weight = tuning.w_meaning_sentence if len(sense) >= 4 else tuning.w_meaning
        # A sentence embedding hardly tells "covered" from "not covered": where the thesaurus read a
        # negation, the meaning ranker counts less.
        rankings.append((dense, weight * (tuning.w_meaning_negated if negated else 1.0)))
    scores = _fuse(rankings, tuning.rrf_k)
    if chats and tuning.chat_meaning_only < 1:
        scores = _demote_chat_without_words(scores, chats, lexical, tuning.chat_meaning_only)
    if own_scope and tuning.own_boost and asks_for_own_items(query):
        scores = _boost(index, scores, lambda r: r.scope == own_scope, tuning.own_boost)
    if tuning.definition_boost and asks_for_definition(query):
        scores = _boost(index, scores, lambda r: r.kind == "glossary", tuning.definition_boost)
    fused = sorted(scores.items(), key=lambda kv: -kv[1])
    if fused and not prefix:
        best = fused[0][1]
        fused = [(i, s) for i, s in fused if s >= tuning.cut * best]
    wanted = {text.stem(w) for w in corrected} | {s for e in expressions for s in text.stems(e)}
    return Ranked(fused[:limit], did_you_mean, wanted, used_meaning)


# ----- search ---------------------------------------------------------------------------------


def holder_where(reach_: Reach, filters: SearchFilters) -> Where:
    return Where(
        scopes=reach_.scopes,
        kinds=filters.kinds,
        start=filters.start,
        end=filters.end,
        min_cents=filters.min_cents,
        max_cents=filters.max_cents,
        category=filters.category,
        contract=filters.contract,
        public_scope=sources.PUBLIC,
    )


def hits(
    index: SearchIndex, ranked: Ranked, reach_: Reach | None = None, *, snippet_window: int = 28
) -> list[Hit]:
    rows = index.rows([item_id for item_id, _ in ranked.ids])
    found: list[Hit] = []
    for item_id, score in ranked.ids:
        row = rows.get(item_id)
        if row is None:
            continue
        url = row.url
        if reach_ is not None:
            url = url.replace(
                "{contract}", reach_.contract_by_formula.get(row.scope, reach_.default_contract)
            )
        found.append(
            Hit(
                key=row.key,
                kind=row.kind,
                title=row.title,
                url=url,
                snippet=highlight(row.body, ranked.wanted, window=snippet_window),
                title_parts=highlight(row.title, ranked.wanted),
                day=row.day,
                amount_cents=row.amount_cents,
                category=row.category,
                contract=row.contract,
                score=round(score, 4),
            )
        )
    return found


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
    tuning: Tuning | None = None,
) -> SearchResult:
    """What a holder finds: public items, their formulas' guarantees, their own data."""
    index = index or get_index()
    query = (query or "").strip()[:200]
    result = SearchResult(query=query)
    if not index.is_built():
        result.indexing = index.progress() or (0, 0)
    if not text.terms(query) and not filters.kinds:
        return result
    reach_ = reach(session, holder_id)
    ranked = rank(
        index=index,
        query=query,
        where=holder_where(reach_, filters),
        own_scope=sources.holder_scope(holder_id),
        limit=limit,
        prefix=prefix,
        semantic=semantic,
        tuning=tuning,
    )
    result.did_you_mean = ranked.did_you_mean
    result.semantic = ranked.semantic
    result.hits = hits(index, ranked, reach_)
    return result
