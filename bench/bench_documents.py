"""Attestation generation time: p50/p95 over N (default 500), for the renderer alone and for the
whole service (database rows, PDF, QR code, text extraction, private storage). Target p95 < 100 ms.

Run: .venv/bin/python bench/bench_documents.py [--n 500]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-docs-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

from sqlmodel import Session, select  # noqa: E402

from espace.contracts import attestations  # noqa: E402
from espace.contracts.attestations import AttestationRequest  # noqa: E402
from espace.contracts.certificates import attestation_data  # noqa: E402
from espace.contracts.models import Contract  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, seed_demo  # noqa: E402
from espace.documents.pdf.attestation import render_attestation  # noqa: E402
from espace.identity.models import Account  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(times: list[float]) -> dict:
    ms = [t * 1000 for t in times]
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 50), 1),
        "p95_ms": round(pct(ms, 95), 1),
        "mean_ms": round(statistics.mean(ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    upgrade_to_head()
    with Session(get_engine()) as session:
        seed_demo(session)
        session.commit()
        holder_id = session.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
        contract = session.exec(select(Contract).where(Contract.holder_id == holder_id)).first()
        from datetime import date

        data = attestation_data(
            session=session,
            contract=contract,
            kind="detailed",
            title="Attestation détaillée",
            reference="ATT-BENCH",
            verify_url="https://espace.example/verifier?ref=x.y",
            valid_from=date.today(),
            valid_until=date.today(),
            purpose="",
            issued_on=date.today(),
        )
        render_attestation(data)  # warm caches (fonts)
        render_times = []
        for _ in range(args.n):
            start = time.perf_counter()
            render_attestation(data)
            render_times.append(time.perf_counter() - start)
        service_times = []
        kinds = ["standard", "detailed"]
        for i in range(args.n):
            start = time.perf_counter()
            attestations.issue(
                session=session,
                holder_id=holder_id,
                contract_id=contract.id,
                request=AttestationRequest(kind=kinds[i % 2]),
            )
            session.commit()
            service_times.append(time.perf_counter() - start)
    results = {
        "render_detailed_attestation": summary(render_times),
        "issue_attestation_service": summary(service_times),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "documents.json").write_text(json.dumps(results, indent=2))
    for key, value in results.items():
        print(f"{key:<30} {value}")


if __name__ == "__main__":
    main()
