"""Measures of the labelled sets, shared by the quality test, the bench and the calibration script:
success@3 (a relevant item in the top 3) and MRR@10 (1 / rank of the first relevant item in the top
10), per category, for the tuning set, the held-out set and both."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from tests.search_quality.heldout import HELDOUT
from tests.search_quality.queries import CATEGORIES, QUERIES, query_text, relevant

TARGET_SUCCESS = 0.95
TARGET_MRR = 0.85


@dataclass
class Outcome:
    category: str
    query: str
    relevant: set[str]
    ranked: list[str]
    seconds: float

    @property
    def first_rank(self) -> int | None:
        return next((i + 1 for i, key in enumerate(self.ranked) if key in self.relevant), None)

    @property
    def success3(self) -> float:
        rank = self.first_rank
        return 1.0 if rank is not None and rank <= 3 else 0.0

    @property
    def rr10(self) -> float:
        rank = self.first_rank
        return 1.0 / rank if rank is not None and rank <= 10 else 0.0


def success(outcomes: list[Outcome]) -> float:
    return statistics.fmean(o.success3 for o in outcomes) if outcomes else 0.0


def mrr(outcomes: list[Outcome]) -> float:
    return statistics.fmean(o.rr10 for o in outcomes) if outcomes else 0.0


def run(
    db: Session,
    holder_id: int,
    labelled: list[tuple[str, str, set[str]]],
    search: Callable[[str], list[str]],
) -> list[Outcome]:
    """``search(query) -> ranked keys`` for every labelled query."""
    outcomes = []
    for category, written, keys in labelled:
        query = query_text(db, holder_id, written)
        wanted = relevant(db, holder_id, keys)
        started = time.perf_counter()
        ranked = search(query)
        outcomes.append(Outcome(category, query, wanted, ranked, time.perf_counter() - started))
    return outcomes


def table(sets: dict[str, list[Outcome]]) -> str:
    """One line per category, a column pair (success@3, MRR@10) per set."""
    names = list(sets)
    head = f"{'category':<11}" + "".join(f" | {n:^20}" for n in names)
    sub = f"{'':<11}" + "".join(f" | {'n':>3} {'succ@3':>7} {'MRR@10':>7}" for _ in names)
    lines = [head, sub, "-" * len(sub)]
    for category in [*CATEGORIES, "ALL"]:
        cells = []
        for name in names:
            chosen = [o for o in sets[name] if category in ("ALL", o.category)]
            cells.append(f" | {len(chosen):>3} {success(chosen):>7.3f} {mrr(chosen):>7.3f}")
        if category == "ALL":
            lines.append("-" * len(sub))
        lines.append(f"{category:<11}" + "".join(cells))
    return "\n".join(lines)


def misses(outcomes: list[Outcome], titles: dict[str, str], top: int = 5) -> str:
    """The queries of a set (the tuning set only: never print the held-out set's) without a relevant
    item in the top 3, with their top results."""
    lines = []
    for o in outcomes:
        if o.success3:
            continue
        lines.append(f"- [{o.category}] {o.query!r}: first relevant at {o.first_rank or '-'}")
        for key in o.ranked[:top]:
            lines.append(
                f"    {'+' if key in o.relevant else ' '} {key:<40} {titles.get(key, '')[:70]}"
            )
    return "\n".join(lines)


def meets_targets(outcomes: list[Outcome]) -> list[str]:
    """What falls short of the targets: the whole set, and the English and negation categories."""
    failures = []
    for name in ("ALL", "english", "negation"):
        chosen = [o for o in outcomes if name in ("ALL", o.category)]
        if success(chosen) < TARGET_SUCCESS or mrr(chosen) < TARGET_MRR:
            failures.append(f"{name}: success@3 {success(chosen):.3f}, MRR@10 {mrr(chosen):.3f}")
    return failures


__all__ = ["HELDOUT", "QUERIES", "Outcome", "run", "table", "misses", "meets_targets"]
