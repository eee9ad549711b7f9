"""The items holding each stem (the rarity weights of both rankers) are counted once and kept until
this process writes to the index: one search used to count them twice on PostgreSQL."""

from __future__ import annotations

from espace.search import index as index_module
from espace.search.index import SearchIndex


class CountingIndex(SearchIndex):
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.asked: list[list[str]] = []

    def _count_stems(self, stems: list[str]) -> dict[str, int]:
        self.asked.append(list(stems))
        return {s: self.counts[s] for s in stems if s in self.counts}

    def _count_items(self) -> int:
        return 100


def test_a_stem_is_counted_once_then_read_from_memory():
    index = CountingIndex({"degat": 7, "eau": 30})
    assert index.doc_freq(["degat", "eau", "zorglub"]) == ({"degat": 7, "eau": 30}, 100)
    assert index.doc_freq(["eau", "vol"]) == ({"eau": 30}, 100)
    assert index.asked == [["degat", "eau", "zorglub"], ["vol"]]  # only the stems not held


def test_a_write_of_this_process_makes_the_counts_read_again():
    index = CountingIndex({"degat": 7})
    index.doc_freq(["degat"])
    index.counts["degat"] = 8
    index._forget_counts()  # what upsert, delete and clear call
    assert index.doc_freq(["degat"]) == ({"degat": 8}, 100)
    assert index.asked == [["degat"], ["degat"]]


def test_counts_another_process_may_have_changed_are_read_again_after_a_while(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(index_module.time, "monotonic", lambda: clock[0])
    index = CountingIndex({"degat": 7})
    index.doc_freq(["degat"])
    clock[0] += index_module.DOC_FREQ_SECONDS - 1
    index.doc_freq(["degat"])
    assert len(index.asked) == 1
    clock[0] += 2
    index.doc_freq(["degat"])
    assert len(index.asked) == 2
