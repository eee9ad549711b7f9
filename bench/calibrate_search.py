"""Calibrate the search fusion on the TUNING set of tests/search_quality (never the held-out one).

Builds the seeded demo database and its index once (cached in --cache), then tries the fusion
weights, the meaning ranker's floor and the cut-off one at a time around the current values
(coordinate ascent), scoring success@3 + MRR@10 on the tuning queries (fewer results per query break
ties). Prints the best ``Tuning`` to paste into espace/search/tuning.py; ``--heldout`` prints, once
at the end, the held-out set's aggregated scores for the chosen values (its per-query results are
never printed).

Run: .venv/bin/python bench/calibrate_search.py [--cache /tmp/espace-calibrate] [--passes 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "espace-calibrate"))
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--show", action="store_true", help="print the tuning set's misses")
    args = parser.parse_args()
    cache = Path(args.cache)
    fresh = not (cache / "espace.db").exists()
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["ESPACE_ENV"] = "test"
    os.environ["ESPACE_DATA_DIR"] = str(cache)
    os.environ["ESPACE_DATABASE_URL"] = f"sqlite:///{cache / 'espace.db'}"

    from sqlmodel import Session, select

    from espace.core.db import get_engine, session_scope
    from espace.core.migrations import upgrade_to_head
    from espace.demo.seed import DEMO_EMAIL, seed_demo
    from espace.identity.models import Account
    from espace.search import engine, indexer
    from espace.search.sqlite import SqliteIndex
    from tests.search_quality import metrics

    if fresh:
        upgrade_to_head()
        with session_scope() as db:
            seed_demo(db)
    index = SqliteIndex(cache / "search.db")
    if fresh or not index.is_built():
        with Session(get_engine()) as db:
            indexer.rebuild(session=db, index=index)

    with Session(get_engine()) as db:
        camille = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()

        def score(tuning: engine.Tuning, labelled) -> tuple[float, list]:
            def search(query: str) -> list[str]:
                found = engine.search(
                    session=db, holder_id=camille, query=query, index=index, tuning=tuning
                )
                return [h.key for h in found.hits]

            outcomes = metrics.run(db, camille, labelled, search)
            size = sum(len(o.ranked) for o in outcomes) / len(outcomes)
            return metrics.success(outcomes) + metrics.mrr(outcomes) - size / 2000, outcomes

        grid = {
            "rrf_k": [3.0, 5.0, 8.0, 12.0, 20.0],
            "w_words": [0.5, 0.7, 1.0, 1.3],
            "w_expressions": [0.6, 0.8, 1.0, 1.3, 1.6],
            "w_meaning": [0.6, 0.8, 1.0, 1.3, 1.6],
            "w_meaning_sentence": [1.0, 1.3, 1.6, 2.0, 2.5],
            "dense_floor": [0.74, 0.76, 0.78, 0.8, 0.82],
            "dense_margin": [0.05, 0.07, 0.09, 0.12],
            "coverage_min": [0.3, 0.5, 0.7],
            "cut": [0.15, 0.2, 0.25, 0.3, 0.4],
            "own_boost": [0.0, 0.3, 0.5, 1.0, 1.5],
            "w_single": [0.3, 0.5, 0.7, 1.0],
            "w_meaning_negated": [0.0, 0.3, 0.5, 1.0],
            "definition_boost": [0.0, 0.3, 0.5, 1.0],
            "chat_meaning_only": [0.0, 0.3, 0.5, 0.7, 1.0],
        }
        best = engine.TUNING
        best_score, outcomes = score(best, metrics.QUERIES)
        print(f"start {best_score:.4f} {best}")
        for _ in range(args.passes):
            for name, values in grid.items():
                for value in values:
                    trial = dataclasses.replace(best, **{name: value})
                    trial_score, trial_outcomes = score(trial, metrics.QUERIES)
                    if trial_score > best_score + 1e-9:
                        best, best_score, outcomes = trial, trial_score, trial_outcomes
                        print(f"{name}={value}: {best_score:.4f}", flush=True)
        print(metrics.table({"tuning": outcomes}))
        print("best:", best)
        if args.show:
            print(metrics.misses(outcomes, index.titles()))
        if args.heldout:
            _s, held = score(best, metrics.HELDOUT)
            print(metrics.table({"held-out": held}))


if __name__ == "__main__":
    main()
