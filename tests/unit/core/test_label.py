"""formatting.label: the French label of a value stored as text, from a StrEnum-keyed table."""

from enum import StrEnum

from espace.core.formatting import label


class Colour(StrEnum):
    RED = "red"


def test_label_finds_a_strenum_key_by_its_text_and_falls_back_to_the_value():
    labels = {Colour.RED: "Rouge"}
    assert label(labels, "red") == "Rouge"
    assert label(labels, "blue") == "blue"
