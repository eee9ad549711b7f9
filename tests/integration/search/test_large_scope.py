"""A holder with decades of items (a scope over LARGE_SCOPE items): common words are searched among
the scope's latest items, or within the query's dates, and an ordinary scope is searched whole."""

from __future__ import annotations

from datetime import date

import pytest

from espace.search import sqlite_layout
from espace.search.index import Clause, SearchDoc, Where
from espace.search.sqlite import SqliteIndex


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_layout, "LARGE_SCOPE", 40)
    monkeypatch.setattr(sqlite_layout, "RECENT_ITEMS", 10)
    built = SqliteIndex(tmp_path / "search.db")
    yield built
    built.close()


def payments(scope: str, months: int, last: date = date(2026, 11, 5)) -> list[SearchDoc]:
    docs = []
    for back in range(months):
        month = (last.year * 12 + last.month - 1) - back
        day = date(month // 12, month % 12 + 1, 5)
        docs.append(
            SearchDoc(
                key=f"payment:{scope}-{back}",
                kind="payment",
                scope=scope,
                title=f"Échéance du {day:%d/%m/%Y}",
                body="Prélèvement de la cotisation",
                url="/",
                day=day,
            )
        )
    return docs


def found_days(index: SqliteIndex, scope: str, **where) -> set[date]:
    ids = index.keyword([Clause(("cotisation",))], Where(scopes=(scope,), **where), limit=500)
    return {row.day for row in index.rows(ids).values() if row.day}


def test_a_large_scope_is_searched_among_its_latest_items(index):
    index.upsert(payments("h1", 120))  # ten years of monthly payments

    days = found_days(index, "h1")

    assert 10 <= len(days) < 24  # the latest months, not ten years
    assert max(days) == date(2026, 11, 5)
    assert min(days) >= date(2025, 1, 1)


def test_a_large_scope_is_searched_within_the_dates_of_the_query(index):
    index.upsert(payments("h1", 120))

    days = found_days(index, "h1", start=date(2018, 1, 1), end=date(2018, 12, 31))
    assert days == {date(2018, month, 5) for month in range(1, 13)}  # all of them: a small set

    days = found_days(index, "h1", start=date(2017, 1, 1), end=date(2021, 12, 31))
    assert 10 <= len(days) < 24 and max(days) == date(2021, 12, 5)  # the latest of a large one


def test_items_without_a_date_are_always_searched(index):
    index.upsert(payments("h1", 120))
    message = SearchDoc(
        key="message:1", kind="message", scope="h1", title="Cotisation", body="", url="/"
    )
    index.upsert([message])
    ids = index.keyword([Clause(("cotisation",))], Where(scopes=("h1",)), limit=500)
    assert "message:1" in {row.key for row in index.rows(ids).values()}


def test_an_ordinary_scope_is_searched_whole(index):
    index.upsert(payments("h2", 36))  # under LARGE_SCOPE

    assert len(found_days(index, "h2")) == 36


def test_an_index_written_before_the_period_tokens_is_built_again(index):
    index.mark_built()
    assert index.is_built()
    index.set_meta("fts_format", "1")
    assert not index.is_built()  # the app's start rebuilds it (espace reindex --if-needed)


def test_an_index_written_with_the_words_of_another_version_is_built_again(index):
    """``text.TEXT_FORMAT``: the stems an index holds change with the code (English "flooded" is
    stored as "flood" since format 2): an index written before would miss those items."""
    index.mark_built()
    index.set_meta("text_format", "1")
    assert not index.is_built()


def hot_rows(index: SqliteIndex, scope: str) -> int:
    return index.execute(
        "SELECT count(*) FROM item_hot WHERE rowid IN (SELECT id FROM item WHERE scope = ?)",
        (scope,),
    )[0][0]


def test_the_old_items_of_a_large_scope_leave_the_hot_index_and_come_back_when_it_shrinks(index):
    """The full-text table a query without dates walks (``item_hot``) holds a large scope's latest
    2 x RECENT_ITEMS items only, so its posting lists stay short; a query with dates still finds
    the old ones, and a scope that shrinks is searched whole again."""
    index.upsert(payments("h1", 120))  # ten years of monthly payments
    index.upsert(payments("h2", 30))  # an ordinary scope

    assert hot_rows(index, "h1") == 20  # 2 x RECENT_ITEMS (10)
    assert hot_rows(index, "h2") == 30
    assert min(found_days(index, "h1")) >= date(2025, 1, 1)
    old = found_days(index, "h1", start=date(2017, 1, 1), end=date(2017, 12, 31))
    assert old == {date(2017, month, 5) for month in range(1, 13)}

    late = payments("h1", 1, last=date(2016, 3, 5))[0]
    late.key = "payment:late"
    index.upsert([late])  # an old one written late: cold at once
    assert hot_rows(index, "h1") == 20

    index.delete([f"payment:h1-{back}" for back in range(100)])  # the latest 100 erased: 21 left
    assert hot_rows(index, "h1") == 21
    assert min(found_days(index, "h1")) == date(2016, 3, 5)  # the whole scope again
