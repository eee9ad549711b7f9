"""Assistant Espace: answer time for the five common questions and for help-article questions, on
the demo holder (two contracts), and the share of a set of everyday questions it answers or admits
not knowing. Prints p50/p95.

Run: .venv/bin/python bench/bench_assistant.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="espace-bench-assistant-"))
os.environ.setdefault("ESPACE_DATA_DIR", str(_TMP))
os.environ.setdefault("ESPACE_DATABASE_URL", f"sqlite:///{_TMP / 'bench.db'}")

from sqlmodel import Session, select  # noqa: E402

from bench.bench_documents import summary  # noqa: E402
from espace.core.db import get_engine  # noqa: E402
from espace.core.migrations import upgrade_to_head  # noqa: E402
from espace.demo.seed import DEMO_EMAIL, seed_demo  # noqa: E402
from espace.identity.models import Account  # noqa: E402
from espace.support import assistant  # noqa: E402

FAQ_QUESTIONS = (
    "comment résilier mon contrat ?",
    "mon prélèvement a été rejeté",
    "je déménage",
    "comment supprimer mes données ?",
    "qui appeler en urgence ?",
    "mon compte est bloqué",
    "c'est quoi un avenant ?",
    "comment changer la date de mon prélèvement ?",
)
OUT_OF_SCOPE = (
    "quel temps fera-t-il demain ?",
    "recette de la tarte tatin",
    "qui a gagné le match hier ?",
)


def timed(fn, questions, n: int) -> dict:
    times = []
    for i in range(n):
        start = time.perf_counter()
        fn(questions[i % len(questions)])
        times.append(time.perf_counter() - start)
    return summary(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    upgrade_to_head()
    today = date.today()
    with Session(get_engine(), expire_on_commit=False) as db:
        seed_demo(db)
        db.commit()
        holder_id = db.exec(select(Account).where(Account.email == DEMO_EMAIL)).one().holder_id

        def ask(question):
            return assistant.answer(session=db, holder_id=holder_id, question=question, today=today)

        ask("bonjour")  # warm-up: article stems, thesaurus
        results = {
            "five_common_questions": timed(ask, assistant.SUGGESTIONS, args.n),
            "help_article_questions": timed(ask, FAQ_QUESTIONS, args.n),
            "faq_questions_answered": (
                f"{sum(ask(q).understood for q in FAQ_QUESTIONS)}/{len(FAQ_QUESTIONS)}"
            ),
            "out_of_scope_admitted": (
                f"{sum(not ask(q).understood for q in OUT_OF_SCOPE)}/{len(OUT_OF_SCOPE)}"
            ),
        }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
