"""Claims: time to send a declaration (validation, estimate, number, event, notice, e-mail), to
check and store a 12-megapixel phone photo with its thumbnail, and to read the staff queue with
N claims in the database (default 10 000). Prints p50/p95.

Run: .venv/bin/python bench/bench_claims.py [--claims 10000] [--n 200]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-claims-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

from PIL import Image  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.bench_documents import summary  # noqa: E402
from espace.claims import (  # noqa: E402
    declaration,
    declaration_contents,
    declaration_sending,
    uploads,
    workflow_views,
)
from espace.claims.models import Claim, ClaimEvent, ClaimStatus  # noqa: E402
from espace.contracts.models import Contract  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.core.models import utcnow  # noqa: E402
from espace.demo.generated import seed_volume  # noqa: E402
from espace.demo.seed import seed_demo  # noqa: E402
from espace.identity.models import StaffRole, StaffUser  # noqa: E402


def _draft(session: Session, contract: Contract, now) -> Claim:
    claim = declaration.start_draft(
        session=session, holder_id=contract.holder_id, account_id=None, contract_id=contract.id
    )
    declaration.set_peril(session=session, claim=claim, peril_code="glass_breakage")
    declaration.set_answers(
        session=session,
        claim=claim,
        raw={"pane": "window", "glass_cause": "accident"},
        today=now.date(),
    )
    declaration.set_when(
        session=session,
        claim=claim,
        day_text=(now - timedelta(days=1)).date().isoformat(),
        time_text="",
        description="Vitre de la cuisine fendue par un choc.",
        now=now,
    )
    declaration_contents.add_item(
        session=session,
        claim=claim,
        description="Vitre",
        category="glass",
        purchase_date="",
        purchase_price="",
        estimate_text="450",
        today=now.date(),
    )
    return claim


def _volume(session: Session, count: int) -> None:
    """Sent claims spread over a year, inserted directly (the services are measured separately)."""
    contracts = session.exec(select(Contract.id, Contract.holder_id)).all()
    now = utcnow()
    handler = session.exec(select(StaffUser).where(StaffUser.role == StaffRole.HANDLER)).first()
    statuses = [
        ClaimStatus.RECEIVED,
        ClaimStatus.EXPERT_APPOINTED,
        ClaimStatus.INDEMNITY_COMPUTED,
        ClaimStatus.CLOSED,
    ]
    for index in range(count):
        contract_id, holder_id = contracts[index % len(contracts)]
        sent = now - timedelta(hours=index % (24 * 365))
        claim = Claim(
            number=f"SIN-2000-{index:06d}",
            holder_id=holder_id,
            contract_id=contract_id,
            status=statuses[index % 4],
            peril="water_damage",
            submitted_at=sent,
            created_at=sent,
            handler_id=handler.id,
            next_step_due_at=sent + timedelta(days=3),
            declared_total_cents=50_000,
        )
        session.add(claim)
        if index % 1000 == 999:
            session.flush()
    session.flush()
    session.add_all(
        ClaimEvent(claim_id=c, kind="received") for c in session.exec(select(Claim.id)).all()
    )
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    upgrade_to_head()
    results: dict = {}
    with Session(get_engine(), expire_on_commit=False) as session:
        seed_demo(session)
        seed_volume(session, holders=2_000)
        session.commit()
        contracts = session.exec(
            select(Contract).where(Contract.status == "active").limit(args.n)
        ).all()
        now = utcnow()
        times = []
        for contract in contracts:
            claim = _draft(session, contract, now)
            start = time.perf_counter()
            declaration_sending.submit(session=session, claim=claim, now=now)
            session.commit()
            times.append(time.perf_counter() - start)
        results["send_declaration"] = summary(times)

        buffer = io.BytesIO()
        Image.effect_noise((4000, 3000), 64).convert("RGB").save(buffer, "JPEG", quality=90)
        photo = buffer.getvalue()
        times = []
        for _ in range(20):
            start = time.perf_counter()
            checked = uploads.check_upload(data=photo, filename="photo.jpg")
            uploads.thumbnail(data=photo, mime_type=checked.mime_type)
            times.append(time.perf_counter() - start)
        results["photo_12mp_check_and_thumbnail"] = {
            **summary(times),
            "photo_mb": round(len(photo) / 1e6, 1),
        }

        _volume(session, args.claims)
        total = session.exec(select(Claim.id)).all()
        handler = session.exec(select(StaffUser).where(StaffUser.role == StaffRole.MANAGER)).first()
        for name, filters in (
            ("queue_open", workflow_views.QueueFilters(status="open")),
            ("queue_late_only", workflow_views.QueueFilters(late_only=True)),
            ("queue_water_gt30", workflow_views.QueueFilters(peril="water_damage", age="gt30")),
        ):
            times = []
            for _ in range(50):
                start = time.perf_counter()
                workflow_views.queue(session=session, staff_id=handler.id, filters=filters)
                times.append(time.perf_counter() - start)
            results[name] = {**summary(times), "claims_in_db": len(total)}
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
