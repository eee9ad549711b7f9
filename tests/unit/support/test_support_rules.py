"""Secure-messaging rules without a database: response-time targets in French working days, the
time left shown in the inbox, the response-time figures and the checks on what a holder types."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from espace.core.formatting import PARIS
from espace.support import thread_rules
from espace.support.models import SupportThread, ThreadCategory
from espace.support.thread_inbox import first_reply_stats
from espace.support.thread_rules import SupportError, duration_text, reply_due, time_left


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_every_category_has_a_target_and_claims_are_the_fastest():
    assert set(thread_rules.REPLY_TARGET_WORKING_DAYS) == set(ThreadCategory)
    assert thread_rules.REPLY_TARGET_WORKING_DAYS[ThreadCategory.CLAIM] == 1
    assert all(
        days == 2
        for category, days in thread_rules.REPLY_TARGET_WORKING_DAYS.items()
        if category != "claim"
    )


@pytest.mark.parametrize(
    "category, written, due",
    [
        (
            "claim",
            paris(2026, 6, 10, 9, 0),
            paris(2026, 6, 11, 18, 0),
        ),  # Wednesday -> Thursday evening
        ("contract", paris(2026, 6, 10, 9, 0), paris(2026, 6, 12, 18, 0)),  # -> Friday evening
        ("claim", paris(2026, 6, 12, 20, 30), paris(2026, 6, 15, 18, 0)),  # Friday night -> Monday
        ("payment", paris(2026, 6, 13, 11, 0), paris(2026, 6, 16, 18, 0)),  # Saturday -> Tuesday
        (
            "claim",
            paris(2026, 12, 24, 10, 0),
            paris(2026, 12, 28, 18, 0),
        ),  # Christmas and the weekend skipped
        ("other", paris(2026, 7, 13, 10, 0), paris(2026, 7, 16, 18, 0)),  # 14 July skipped
    ],
)
def test_reply_due_counts_french_working_days(category, written, due):
    assert reply_due(category, written.astimezone(PARIS)) == due


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(hours=5, minutes=10), "Reste 5 h"),
        (timedelta(days=1, hours=4), "Reste 1 j 4 h"),
        (timedelta(minutes=20), "Reste 20 min"),
        (timedelta(hours=-2, minutes=-30), "En retard de 2 h"),
        (timedelta(days=-3, hours=-1), "En retard de 3 j 1 h"),
        (timedelta(seconds=-5), "En retard de 1 min"),
    ],
)
def test_time_left(delta, text):
    now = paris(2026, 6, 10, 9, 0)
    assert time_left(now + delta, now) == text


def test_no_target_no_time_left():
    assert time_left(None, paris(2026, 6, 10)) == ""


@pytest.mark.parametrize(
    "delta, text",
    [
        (None, "—"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=2, minutes=5), "2 h 05 min"),
        (timedelta(days=1, hours=3, minutes=59), "1 j 3 h"),
    ],
)
def test_duration_text(delta, text):
    assert duration_text(delta) == text


def _thread(category: str, created: datetime, first_reply: timedelta | None) -> SupportThread:
    return SupportThread(
        holder_id=1,
        subject="x",
        category=category,
        created_at=created,
        first_reply_at=created + first_reply if first_reply is not None else None,
    )


def test_first_reply_figures_count_overdue_unanswered_threads_as_missed():
    monday = paris(2026, 6, 8, 10, 0)
    now = paris(2026, 6, 19, 12, 0)
    threads = [
        _thread("claim", monday, timedelta(hours=2)),  # within the 1-day target
        _thread("contract", monday, timedelta(hours=4)),  # within
        _thread("claim", monday, timedelta(days=3)),  # Thursday: after Tuesday 18:00, missed
        _thread("other", monday, None),  # never answered, target long passed: missed
        _thread(
            "other", paris(2026, 6, 19, 9, 0), None
        ),  # still within its target: not counted yet
    ]
    delay, share = first_reply_stats(threads, now)
    assert delay == timedelta(hours=4)  # median of 2 h, 4 h, 3 days
    assert share == 2 / 4


def test_first_reply_figures_without_data():
    assert first_reply_stats([], paris(2026, 6, 19)) == (None, None)


@pytest.mark.parametrize(
    "subject, field_ok",
    [("ab", False), ("abc", True), ("x" * 120, True), ("x" * 121, False), ("   a  ", False)],
)
def test_subject_length(subject, field_ok):
    if field_ok:
        assert thread_rules.clean_subject(subject) == subject.strip()
    else:
        with pytest.raises(SupportError) as error:
            thread_rules.clean_subject(subject)
        assert error.value.field == "subject"


def test_body_and_category_errors_are_french_and_name_their_field():
    with pytest.raises(SupportError) as empty:
        thread_rules.clean_body("   ")
    assert empty.value.field == "body" and "Écrivez votre message" in str(empty.value)
    with pytest.raises(SupportError) as long:
        thread_rules.clean_body("x" * 5001)
    assert long.value.field == "body" and "trop long" in str(long.value)
    assert thread_rules.clean_body("x" * 5000) == "x" * 5000
    with pytest.raises(SupportError) as category:
        thread_rules.clean_category("complaint")
    assert category.value.field == "category" and "Choisissez" in str(category.value)
    assert isinstance(category.value, ValueError)
