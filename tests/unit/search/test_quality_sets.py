"""The labelled search sets (tests/search_quality) stay honest: the held-out set measures queries
the engine was never tuned on, so none of them may also be in the tuning set (17 were, typed
identically, until 7 December 2026), and no query is counted twice."""

from __future__ import annotations

import pytest

from tests.search_quality.heldout import HELDOUT
from tests.search_quality.queries import QUERIES

pytestmark = pytest.mark.data_lint


def test_no_held_out_query_is_in_the_tuning_set() -> None:
    tuning = {query.casefold() for _category, query, _keys in QUERIES}
    assert sorted(q for _c, q, _k in HELDOUT if q.casefold() in tuning) == []


@pytest.mark.parametrize(("name", "labelled"), [("tuning", QUERIES), ("held-out", HELDOUT)])
def test_no_query_is_written_twice(name: str, labelled: list) -> None:
    queries = [query.casefold() for _category, query, _keys in labelled]
    assert sorted({q for q in queries if queries.count(q) > 1}) == [], name
