"""/contrat/modifier: what the page shows of each formula and of each saved simulation."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class FormulaColumn:
    code: str = ""
    name: str = ""
    premium: str = ""
    current: bool = False
    error: str = ""
    cells: list[str] = dataclasses.field(default_factory=list)  # one per guarantee category


@dataclasses.dataclass
class SimItem:
    id: int = 0
    name: str = ""
    premium: str = ""
    summary: str = ""
    lines: list[list[str]] = dataclasses.field(default_factory=list)
    selected: bool = False
