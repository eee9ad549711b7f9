"""The tables of the SQLite search index, and how its full-text search keeps to a window of a large
scope (see below): the tokens of the scope column, the part of a large scope kept in ``item_hot``,
and the tokens a query searches under."""

from __future__ import annotations

import sqlite3
from datetime import date

from espace.search.index import Where

SCHEMA = """
CREATE TABLE IF NOT EXISTS item (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    day TEXT,
    amount_cents INTEGER,
    category TEXT NOT NULL DEFAULT '',
    contract TEXT NOT NULL DEFAULT '',
    vec BLOB
);
CREATE INDEX IF NOT EXISTS item_scope ON item(scope);
CREATE INDEX IF NOT EXISTS item_scope_day ON item(scope, day);
CREATE VIRTUAL TABLE IF NOT EXISTS item_fts
    USING fts5(scope, title, body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS item_hot
    USING fts5(scope, title, body, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS hot_cut (scope TEXT PRIMARY KEY, month TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS item_vocab USING fts5vocab(item_fts, 'row');
CREATE TABLE IF NOT EXISTS word (word TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vector_cache (digest TEXT PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL, scope TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS change_log_scope ON change_log(scope, seq);
"""

# The full-text "scope" column holds the scope, and the scope's year and month of the item
# ("h12 h12y2025 h12m202511"; "h12 h12y0" without a date). In a scope of more than LARGE_SCOPE
# items (decades of a holder's payments and receipts), words as common as "cotisation" or
# "prélèvement" match tens of thousands of items, and ranking them all took 100 to 350 ms a query
# at 100 000 items. There, the words are searched among the scope's latest years (or months)
# holding RECENT_ITEMS items, within the query's dates when it names some; older items are still
# found by meaning, by their dates and by rarer words.
# Even so, FTS5 walked the posting lists of the whole table (a common word's 90 000 entries, and
# again for bm25's statistics of each of an expression's thirty variants). So the full-text index
# is kept twice: ``item_fts`` holds every item, ``item_hot`` all but the items of a large scope
# older than its latest 2 x RECENT_ITEMS (the month where that scope's "cold" part ends is in
# ``hot_cut``). A query without dates searches ``item_hot`` (its window is inside the hot part),
# one with dates ``item_fts``. Without any large scope, both hold the same items.
FTS_FORMAT = "3"  # an index written before (no hot table) is built again at start
LARGE_SCOPE = 5_000
RECENT_ITEMS = 500


def year_token(scope: str, year: str | int) -> str:
    return f"{scope}y{year}"  # year 0: the scope's items without a date


def month_token(scope: str, month: str) -> str:
    return f"{scope}m{month.replace('-', '')}"  # month: "YYYY-MM"


def hot_cut(cur: sqlite3.Cursor, scope: str) -> str | None:
    """The month ("YYYY-MM") before which the scope's items are not in ``item_hot`` (None: all
    are)."""
    row = cur.execute("SELECT month FROM hot_cut WHERE scope = ?", (scope,)).fetchone()
    return row[0] if row else None


def move_hot_cut(cur: sqlite3.Cursor, scope: str) -> None:
    """Keep in ``item_hot`` the scope's latest 2 x RECENT_ITEMS dated items (from the month of the
    last of them) when it has more than LARGE_SCOPE, else all its items; only the items between
    the old and the new cut move."""
    wanted = None
    large = cur.execute(
        "SELECT 1 FROM item WHERE scope = ? AND day IS NOT NULL LIMIT 1 OFFSET ?",
        (scope, LARGE_SCOPE),
    ).fetchone()
    if large:
        last_hot = cur.execute(
            "SELECT day FROM item WHERE scope = ? AND day IS NOT NULL "
            "ORDER BY day DESC LIMIT 1 OFFSET ?",
            (scope, 2 * RECENT_ITEMS - 1),
        ).fetchone()
        wanted = str(last_hot[0])[:7]
    current = hot_cut(cur, scope)
    if wanted == current:
        return
    # Between the two cuts: older than the later one, not older than the earlier one.
    later, earlier = sorted([wanted or "", current or ""], reverse=True)
    between = (
        "SELECT id FROM item WHERE scope = ? AND day IS NOT NULL AND day < ? AND day >= ?",
        (scope, f"{later}-01", f"{earlier or '0000-00'}-01"),
    )
    if current is None or (wanted is not None and wanted > current):  # more items are cold
        cur.execute(f"DELETE FROM item_hot WHERE rowid IN ({between[0]})", between[1])
    else:  # fewer: they are hot again
        cur.execute(
            "INSERT INTO item_hot(rowid, scope, title, body) SELECT rowid, scope, title, body "
            f"FROM item_fts WHERE rowid IN ({between[0]})",
            between[1],
        )
    if wanted is None:
        cur.execute("DELETE FROM hot_cut WHERE scope = ?", (scope,))
    else:
        cur.execute("INSERT OR REPLACE INTO hot_cut(scope, month) VALUES (?, ?)", (scope, wanted))


def scope_column(scope: str, day: date | None) -> str:
    """The full-text "scope" column of an item: its scope, and the scope's year and month of it."""
    if day is None:
        return f"{scope} {year_token(scope, 0)}"
    return f"{scope} {year_token(scope, day.year)} {month_token(scope, f'{day:%Y-%m}')}"


def scope_tokens(scope: str, months: list[tuple[str, int]], where: Where) -> list[str]:
    """The tokens a query's words are searched under in a scope: the scope's own token, or for a
    large scope those of its latest years, or months of a year too full to take whole. ``months``:
    ("YYYY-MM", items) of the scope, latest first."""
    first = where.start.strftime("%Y-%m") if where.start else "0000-00"
    last = where.end.strftime("%Y-%m") if where.end else "9999-99"
    months = [(m, n) for m, n in months if first <= m <= last]
    if sum(n for _m, n in months) <= LARGE_SCOPE:
        return [scope]  # the query's dates are applied to the item table
    by_year: dict[str, list[tuple[str, int]]] = {}
    for month, count in months:  # latest first
        by_year.setdefault(month[:4], []).append((month, count))
    tokens, held = [year_token(scope, 0)], 0
    for year, year_months in by_year.items():
        total = sum(n for _m, n in year_months)
        if held + total <= RECENT_ITEMS:
            tokens.append(year_token(scope, year))
            held += total
            continue
        for month, count in year_months:
            tokens.append(month_token(scope, month))
            held += count
            if held >= RECENT_ITEMS:
                return tokens
    return tokens
