"""Search at volume: query latency p50/p95, index throughput and memory at 1 000, 10 000 and 100 000
indexed items. Target: p95 < 50 ms at 100 000 items on this 2-core machine.

The items are the demo's public content (FAQ, conditions, guarantees) plus generated holders' own
items (payments, documents, claims, messages) written like the real ones. Embedding 100 000 texts
with the model would take hours on 2 cores, so the throughput of the real embedding is measured on
a sample, and the bulk items reuse vectors of real sample texts (the query cost does not depend on
which vectors they are).

Run: .venv/bin/python bench/bench_search.py [--sizes 1000 10000 100000] [--queries 200]
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
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-search-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

from sqlmodel import Session, select  # noqa: E402

from bench.bench_documents import pct  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, seed_demo  # noqa: E402
from espace.identity.models import Account  # noqa: E402
from espace.search import engine, indexer, sources  # noqa: E402
from espace.search.index import SearchDoc, SearchIndex  # noqa: E402

QUERIES = [
    "fuite",
    "cambriolage",
    "vitre cassée",
    "inondation",
    "attestation",
    "franchise dégât des eaux",
    "cambriolge",
    "prélèvement rejeté",
    "combien je paie par mois",
    "échéance novembre",
    "expert visite",
    "mandat sepa",
    "résilier",
    "plafond vol bijoux",
    "tempête toiture",
    "mot de passe oublié",
    "reçu cotisation",
    "rib",
]
_PERILS = [
    "dégât des eaux, fuite sous l'évier",
    "vol avec effraction de la porte",
    "bris de la baie vitrée",
    "tempête, tuiles arrachées",
    "incendie dans la cuisine",
    "inondation du sous-sol",
]


def synthetic(holder: int, n: int, rng: random.Random) -> list[SearchDoc]:
    docs = []
    scope = sources.holder_scope(holder)
    for i in range(n):
        kind = rng.choice(["payment", "payment", "payment", "document", "claim", "message"])
        day = date(2017, 1, 1) + timedelta(days=rng.randrange(3600))
        amount = rng.randrange(1_500, 90_000)
        if kind == "payment":
            title, body = (
                f"Échéance du {day:%d/%m/%Y} — {amount / 100:.2f} € (payé)",
                "Cotisation du contrat, prélèvement SEPA.",
            )
        elif kind == "document":
            title, body = (
                "Reçu de cotisation",
                f"Reçu REC-{holder}-{i} période {day:%m/%Y} montant {amount / 100:.2f} €",
            )
        elif kind == "claim":
            title, body = (
                f"Sinistre SIN-{day.year}-{holder:06d} — {rng.choice(_PERILS)}",
                rng.choice(_PERILS),
            )
        else:
            title, body = (
                "Message — sinistre",
                f"Bonjour, l'expert passe le {day:%d/%m}. {rng.choice(_PERILS)}",
            )
        docs.append(
            SearchDoc(
                key=f"{kind}:{holder}-{i}",
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    upgrade_to_head()
    rng = random.Random(2026)
    results: dict = {}
    with Session(get_engine()) as db:
        seed_demo(db)
        db.commit()
        camille = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
        index = SearchIndex(_TMP / "search.db")
        start = time.perf_counter()
        real = indexer.rebuild(session=db, index=index)
        results["real_items_with_embeddings"] = {
            "items": real,
            "items_per_s": round(real / (time.perf_counter() - start), 1),
        }
        sample_vectors = [
            row[0] for row in index.execute("SELECT vec FROM item WHERE vec IS NOT NULL LIMIT 200")
        ]
        holder = 100_000
        for size in sorted(args.sizes):
            missing = size - index.count()
            started = time.perf_counter()
            while missing > 0:
                docs = synthetic(holder, min(100, missing), rng)
                for doc in docs:
                    import numpy as np

                    doc.vector = np.frombuffer(rng.choice(sample_vectors), dtype=np.float16).astype(
                        np.float32
                    )
                index.upsert(docs)
                missing -= len(docs)
                holder += 1
            added_s = time.perf_counter() - started
            times = []
            for i in range(args.queries):
                query = QUERIES[i % len(QUERIES)]
                t = time.perf_counter()
                engine.search(session=db, holder_id=camille, query=query, index=index)
                times.append((time.perf_counter() - t) * 1000)
            suggest = []
            for i in range(args.queries):
                t = time.perf_counter()
                engine.search(
                    session=db,
                    holder_id=camille,
                    query=QUERIES[i % len(QUERIES)][:4],
                    index=index,
                    limit=6,
                    prefix=True,
                    semantic=False,
                )
                suggest.append((time.perf_counter() - t) * 1000)
            results[f"items_{index.count()}"] = {
                "query_p50_ms": round(pct(times, 50), 1),
                "query_p95_ms": round(pct(times, 95), 1),
                "suggest_p50_ms": round(pct(suggest, 50), 1),
                "suggest_p95_ms": round(pct(suggest, 95), 1),
                "bulk_index_items_per_s": round(max(1, size - real) / max(added_s, 1e-6))
                if added_s > 0.01
                else None,
                "index_file_mb": round(
                    sum(p.stat().st_size for p in _TMP.glob("search.db*")) / 1e6, 1
                ),
                "rss_mb": round(rss_mb()),
            }
            print(
                json.dumps(
                    {f"items_{index.count()}": results[f"items_{index.count()}"]},
                    ensure_ascii=False,
                ),
                flush=True,
            )
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
