""" "Cet article vous a-t-il aidé ?": one answer per holder and article, unknown articles
refused."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from espace.core.db import get_engine
from espace.state.help import HelpState
from espace.support import help_feedback
from espace.support.models import ArticleFeedback
from tests import factories
from tests.events import run_handler


def test_the_latest_answer_counts_and_the_tally_adds_holders_up(db):
    alice, bob = factories.holder(db), factories.holder(db)
    help_feedback.record(session=db, holder_id=alice.id, slug="franchise", helpful=False)
    help_feedback.record(session=db, holder_id=alice.id, slug="franchise", helpful=True)
    help_feedback.record(session=db, holder_id=bob.id, slug="franchise", helpful=False)
    assert help_feedback.answers(session=db, holder_id=alice.id) == {"franchise": True}
    assert help_feedback.answers(session=db, holder_id=bob.id) == {"franchise": False}
    assert help_feedback.tally(session=db)["franchise"][0] >= 1
    rows = db.exec(select(ArticleFeedback).where(ArticleFeedback.holder_id == alice.id)).all()
    assert len(rows) == 1


def test_unknown_articles_are_refused(db):
    person = factories.holder(db)
    with pytest.raises(ValueError):
        help_feedback.record(session=db, holder_id=person.id, slug="n-existe-pas", helpful=True)


def test_rate_handler_records_for_the_signed_in_holder_only(engine):
    with Session(get_engine(), expire_on_commit=False) as db:
        person = factories.holder(db)
        db.commit()
    me = SimpleNamespace(feedback={}, _holder_id=lambda: person.id, _to_login=lambda: "login")
    run_handler(HelpState.rate, me, "declarer-sinistre", False)
    run_handler(HelpState.rate, me, "<img src=x>", True)
    assert me.feedback == {"declarer-sinistre": "no"}
    with Session(get_engine()) as db:
        assert help_feedback.answers(session=db, holder_id=person.id) == {
            "declarer-sinistre": False
        }
    nobody = SimpleNamespace(_holder_id=lambda: None, _to_login=lambda: "login")
    assert run_handler(HelpState.rate, nobody, "franchise", True) == "login"


def test_staff_see_the_least_helpful_articles_first():
    from espace.state.staff_inbox import help_articles_text

    rows = help_articles_text(
        {"franchise": (5, 1), "declarer-sinistre": (0, 3), "formules": (4, 0), "inconnu": (0, 9)}
    )
    assert [row[1] for row in rows] == ["declarer-sinistre", "franchise"]
    assert rows[0][2:] == ["0 oui", "3 non"]
