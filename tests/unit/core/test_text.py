"""One accent folding for names, passwords, search and anchors."""

from __future__ import annotations

import pytest

from espace.core.text import fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Dégâts des eaux", "degats des eaux"),
        ("CŒUR", "coeur"),
        ("Lætitia", "laetitia"),
        ("l’assuré", "l'assure"),
        ("Straße", "strasse"),
        ("Ñuñez-Çelik", "nunez-celik"),
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded
