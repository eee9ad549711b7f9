"""Search quality: the labelled French queries of ``tests/search_quality`` run as the demo holder against
an index of the seeded database, with recall@5 and MRR per category.

Run it alone, with the table printed:

    .venv/bin/pytest -m search_quality -s tests/integration/search/test_search_quality.py

The table is also written to ``test-results/search_quality.txt``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import Session, select

from espace.demo.seed import DEMO_EMAIL
from espace.identity.models import Account
from espace.search import engine as search_engine
from espace.search.index import SearchIndex
from tests.search_quality.queries import CATEGORIES, QUERIES, query_text, relevant

pytestmark = pytest.mark.search_quality

TOP = 5
MIN_HIT_RECALL = 0.9
MIN_MRR = 0.8
REPORT = Path(__file__).resolve().parents[3] / "test-results" / "search_quality.txt"


@dataclass
class Outcome:
    category: str
    query: str
    relevant: set[str]
    ranked: list[str]
    seconds: float

    @property
    def first_rank(self) -> int | None:
        """1-based rank of the first relevant item (in the whole result list), None when absent."""
        return next((i + 1 for i, key in enumerate(self.ranked) if key in self.relevant), None)

    @property
    def hit(self) -> float:
        """1 when at least one relevant item is in the top 5."""
        return 1.0 if any(key in self.relevant for key in self.ranked[:TOP]) else 0.0

    @property
    def full(self) -> float:
        """Share of the relevant items found in the top 5, out of what the top 5 can hold."""
        return len(self.relevant & set(self.ranked[:TOP])) / min(TOP, len(self.relevant))

    @property
    def reciprocal_rank(self) -> float:
        rank = self.first_rank
        return 1.0 / rank if rank else 0.0


@dataclass
class Scores:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def hit_recall(self) -> float:
        # recall@5 as "hit rate": the fraction of queries with at least one relevant item in the top 5.
        return statistics.fmean(o.hit for o in self.outcomes)

    @property
    def full_recall(self) -> float:
        # full recall@5: mean over queries of |relevant ∩ top 5| / min(5, |relevant|).
        return statistics.fmean(o.full for o in self.outcomes)

    @property
    def mrr(self) -> float:
        # mean reciprocal rank of the first relevant item (0 when none is returned).
        return statistics.fmean(o.reciprocal_rank for o in self.outcomes)


def run_queries(db: Session, holder_id: int, index: SearchIndex) -> list[Outcome]:
    outcomes = []
    search_engine.search(
        session=db, holder_id=holder_id, query="échauffement", index=index
    )  # loads the model
    for category, labelled, keys in QUERIES:
        query = query_text(db, holder_id, labelled)
        wanted = relevant(db, holder_id, keys)
        started = time.perf_counter()
        result = search_engine.search(session=db, holder_id=holder_id, query=query, index=index)
        elapsed = time.perf_counter() - started
        outcomes.append(Outcome(category, query, wanted, [hit.key for hit in result.hits], elapsed))
    return outcomes


def report(outcomes: list[Outcome], titles: dict[str, str]) -> str:
    lines = [f"{'category':<12} {'n':>3} {'recall@5 hit':>13} {'recall@5 full':>14} {'MRR':>6}"]
    groups = [(c, Scores([o for o in outcomes if o.category == c])) for c in CATEGORIES]
    for name, scores in [*groups, ("ALL", Scores(outcomes))]:
        if name == "ALL":
            lines.append("-" * len(lines[0]))
        lines.append(
            f"{name:<12} {len(scores.outcomes):>3} {scores.hit_recall:>13.3f} {scores.full_recall:>14.3f} "
            f"{scores.mrr:>6.3f}"
        )
    times = sorted(o.seconds * 1000 for o in outcomes)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    lines.append(
        f"latency: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
    )
    misses = [o for o in outcomes if o.full < 1.0]
    if misses:
        lines += [
            "",
            "Queries with relevant items missing from the top 5 (rank of the first relevant item; top 5):",
        ]
        for o in misses:
            lines.append(
                f"- [{o.category}] {o.query!r}: first relevant at {o.first_rank or '-'}, "
                f"found {len(o.relevant & set(o.ranked[:TOP]))}/{min(TOP, len(o.relevant))}"
            )
            for key in o.ranked[:TOP]:
                lines.append(
                    f"    {'+' if key in o.relevant else ' '} {key:<40} {titles.get(key, '')[:70]}"
                )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def quality_index(search_index: SearchIndex) -> Iterator[SearchIndex]:
    yield search_index  # built once from the seeded database (tests/integration/conftest.py)


def test_search_quality(engine, quality_index: SearchIndex) -> None:
    assert len(QUERIES) >= 70
    for category in CATEGORIES:
        assert sum(1 for c, _q, _k in QUERIES if c == category) >= 8, category
    with Session(engine) as db:
        camille = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
        indexed = {row[0]: row[1] for row in quality_index.execute("SELECT key, title FROM item")}
        for _category, query, keys in QUERIES:  # a label that names no item would be a silent miss
            missing = relevant(db, camille, keys) - set(indexed)
            assert not missing, f"{query!r}: {sorted(missing)} not in the index"
        outcomes = run_queries(db, camille, quality_index)
    table = report(outcomes, indexed)
    print("\n" + table)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(table + "\n", encoding="utf-8")
    scores = Scores(outcomes)
    assert scores.hit_recall >= MIN_HIT_RECALL, table
    assert scores.mrr >= MIN_MRR, table
