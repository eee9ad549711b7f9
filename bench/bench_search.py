"""Search at volume, with the semantic ranker on: query latency p50/p95 and the held-out set's
quality at 1 000, 10 000 and 100 000 items **reachable by the searching holder** (public items, her
formulas' guarantees and her own items), plus the time from a commit to the item being searchable.

The demo holder (Camille Martin) gets generated own items up to each size: mostly payments and
receipts (what a holder accumulates), on other contracts and earlier years than her real ones, and
short messages with advisers. Embedding 100 000 texts with the model would take hours on 2 cores:
a pool of generated texts is embedded for real and each generated item takes the vector of a pool
text of its kind and topic (the query cost does not depend on which vectors they are). Each query is
embedded for real (the query-vector cache is cleared before each one).

The held-out queries (tests/search_quality/heldout.py, never used for tuning) are the timed queries;
their success@3 and MRR@10 are printed next to the latency (aggregated only). The tuning set's are
printed too (untimed), and ``--misses`` lists the tuning queries the smallest size misses, then
those each larger size misses that the smallest did not. The machine's load average is printed with
the figures: other processes share its 2 cores.

Run: .venv/bin/python bench/bench_search.py [--sizes 1000 10000 100000] [--rounds 2] [--misses]

Embedding the seeded database's items takes about ten minutes of one core. With
``ESPACE_BENCH_SEARCH_DIR=folder`` the index (and its cache of vectors by text) is kept there, and
the next run embeds only the texts that changed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_KEPT = os.environ.get("ESPACE_BENCH_SEARCH_DIR")
_TMP = Path(_KEPT) if _KEPT else Path(tempfile.mkdtemp(prefix="espace-bench-search-"))
_TMP.mkdir(parents=True, exist_ok=True)
(_TMP / "bench.db").unlink(missing_ok=True)  # seeded again below; the index is rebuilt over it
os.environ.setdefault("ESPACE_ENV", "test")
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

import numpy as np  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from espace.claims.models import Claim, ClaimMessage  # noqa: E402
from espace.core import formatting as fmt  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, seed_demo  # noqa: E402
from espace.identity.models import Account  # noqa: E402
from espace.search import embeddings, engine, indexer, sources, vectors  # noqa: E402
from espace.search.index import SearchDoc  # noqa: E402
from espace.search.sqlite import SqliteIndex  # noqa: E402
from tests.search_quality import metrics  # noqa: E402

TOWNS = ["Annecy", "Brest", "Dijon", "Metz", "Nîmes", "Pau", "Tours", "Vannes"]
MESSAGES = [
    "Bonjour, pouvez-vous me rappeler demain matin ? Merci.",
    "Merci pour votre retour rapide, bonne journée.",
    "Je vous transmets le document demandé en pièce jointe.",
    "Bonjour, j'ai bien reçu votre courrier, je reviens vers vous.",
    "Pouvez-vous confirmer la bonne réception de mon dossier ?",
    "Je serai absente la semaine prochaine, merci de me joindre par e-mail.",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def generated(holder_id: int, n: int, start: int, rng: random.Random) -> list[SearchDoc]:
    scope = sources.holder_scope(holder_id)
    docs = []
    for i in range(start, start + n):
        kind = rng.choice(["payment"] * 5 + ["document"] * 4 + ["message"])
        day = date(1995, 1, 5) + timedelta(days=30 * rng.randrange(260))
        town, number = rng.choice(TOWNS), f"MRH09{rng.randrange(10**5):05d}"
        amount = rng.randrange(1_500, 9_000)
        period = fmt.month_fr(day)
        if kind == "payment":
            title = f"Échéance du {day:%d/%m/%Y} — {amount / 100:.2f} € (payé)".replace(".", ",")
            body = (
                f"Cotisation mensuelle du contrat {number} ({town}), période de {period}. "
                f"Échéance de {period}. Prélèvement SEPA. Payé."
            )
        elif kind == "document":
            title = f"Reçu de cotisation — {number}"
            body = (
                f"Reçu de cotisation. REC-{day.year}-{i:06d}. Contrat {number} ({town}). {period}."
            )
        else:
            title, body = "Message — conseiller", rng.choice(MESSAGES)
        docs.append(
            SearchDoc(
                key=f"{kind}:bench-{i}",
                kind=kind,
                scope=scope,
                title=title,
                body=body,
                url="/",
                day=day,
                amount_cents=amount,
            )
        )
    return docs


def fill(index: SqliteIndex, holder_id: int, size: int, rng: random.Random, pool: dict) -> float:
    """Camille's reachable items up to ``size``; returns the seconds spent."""
    started = time.perf_counter()
    scope = sources.holder_scope(holder_id)
    reachable = index.execute(
        "SELECT count(*) FROM item WHERE scope IN ('pub', ?) OR scope LIKE 'f%'", (scope,)
    )[0][0]
    start = index.count()
    missing = size - reachable
    while missing > 0:
        docs = generated(holder_id, min(2_000, missing), start, rng)
        for doc in docs:
            doc.vector = rng.choice(pool[doc.kind])
        index.upsert(docs)
        start += len(docs)
        missing -= len(docs)
    return time.perf_counter() - started


def vector_pool(rng: random.Random, holder_id: int) -> dict:
    pool: dict[str, list[np.ndarray]] = {}
    sample = generated(holder_id, 240, 10**7, rng)
    vectors_ = embeddings.passages([d.indexed_text for d in sample])
    for doc, vector in zip(sample, vectors_, strict=True):
        pool.setdefault(doc.kind, []).append(vector)
    return pool


def freshness(db_engine, holder_id: int, index: SqliteIndex) -> float:
    """Seconds from the commit of a claim message to its search hit (the commit hook indexes it)."""
    from espace.core.db import session_scope

    indexer.install()
    try:
        with Session(db_engine) as db:
            claim_id = db.exec(select(Claim.id).where(Claim.holder_id == holder_id)).first()
        started = time.perf_counter()
        with session_scope() as db:
            db.add(ClaimMessage(claim_id=claim_id, body="Le couvreur Théodulfe passe samedi."))
        with Session(db_engine) as db:
            found = engine.search(
                session=db, holder_id=holder_id, query="couvreur théodulfe", index=index
            )
        elapsed = time.perf_counter() - started
        assert any(h.kind == "message" for h in found.hits), "not indexed after the commit"
        return elapsed
    finally:
        indexer.uninstall()


def _ranked_keys(db: Session, holder_id: int, query: str, index: SqliteIndex) -> list[str]:
    found = engine.search(session=db, holder_id=holder_id, query=query, index=index)
    return [h.key for h in found.hits]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the held-out queries")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile of the last size's queries"
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="print the tuning set's misses at the smallest size, then the new ones at each size",
    )
    args = parser.parse_args()
    upgrade_to_head()
    rng = random.Random(2026)
    db_engine = get_engine()
    with Session(db_engine) as db:
        seed_demo(db)
        db.commit()
    index = SqliteIndex(_TMP / "search.db")
    started = time.perf_counter()
    with Session(db_engine) as db:
        real = indexer.rebuild(session=db, index=index)
    build_s = time.perf_counter() - started
    from espace.search import index as index_module

    index_module._shared[str(index_module.default_path())] = index  # the commit hook's index
    results: dict = {"real_items": real, "real_build_s": round(build_s, 1)}
    from espace.search import lexicon

    lexicon.warm()  # the app warms it at start
    with Session(db_engine) as db:
        camille = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
        results["freshness_commit_to_hit_ms"] = round(
            1000 * freshness(db_engine, camille, index), 1
        )
        pool = vector_pool(rng, camille)
        first_misses: set[str] | None = None  # the smallest size's misses
        for size in sorted(args.sizes):
            added_s = fill(index, camille, size, rng, pool)
            store = vectors.store(index)
            warm = time.perf_counter()
            store.warm(list(engine.reach(db, camille).scopes))
            warm_s = time.perf_counter() - warm
            times: list[float] = []
            outcomes = []
            for _round in range(args.rounds):

                def search(query: str, times: list[float] = times) -> list[str]:
                    embeddings.clear_cache()  # every query embedded for real
                    t = time.perf_counter()
                    keys = _ranked_keys(db, camille, query, index)
                    times.append((time.perf_counter() - t) * 1000)
                    return keys

                outcomes = metrics.run(db, camille, metrics.HELDOUT, search)
            # read while the latency was timed, before the untimed run below adds its own work
            load_average = [round(x, 2) for x in os.getloadavg()]
            rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            # The tuning set too (untimed, so its queries' vectors may come from the cache: the
            # ranking is the same): what the volume changes there can be looked at query by query
            # (--misses), where the held-out set is only ever aggregated.
            tuned = metrics.run(
                db, camille, metrics.QUERIES, lambda q: _ranked_keys(db, camille, q, index)
            )
            if args.misses:
                earlier = first_misses or set()
                missed = [o for o in tuned if not o.success3 and o.query not in earlier]
                print(
                    f"tuning-set misses at {size} items"
                    + (", not at the smallest size:" if first_misses is not None else ":")
                )
                print(metrics.misses(missed, index.titles()) or "(none)", flush=True)
                if first_misses is None:
                    first_misses = {o.query for o in tuned if not o.success3}
            reachable = index.execute(
                "SELECT count(*) FROM item WHERE scope IN ('pub', ?) OR scope LIKE 'f%'",
                (sources.holder_scope(camille),),
            )[0][0]
            row = {
                "reachable_items": reachable,
                "query_p50_ms": round(pct(times, 50), 1),
                "query_p95_ms": round(pct(times, 95), 1),
                "query_max_ms": round(max(times), 1),
                "heldout_success3": round(metrics.success(outcomes), 3),
                "heldout_mrr10": round(metrics.mrr(outcomes), 3),
                "tuning_success3": round(metrics.success(tuned), 3),
                "tuning_mrr10": round(metrics.mrr(tuned), 3),
                "vector_index_load_s": round(warm_s, 1),
                "fill_s": round(added_s, 1),
                "load_average": load_average,
                "rss_mb": rss_mb,
            }
            results[f"reachable_{reachable}"] = row
            print(json.dumps({f"reachable_{reachable}": row}, ensure_ascii=False), flush=True)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _category, query, _keys in metrics.HELDOUT:
                embeddings.clear_cache()
                engine.search(session=db, holder_id=camille, query=query, index=index)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
