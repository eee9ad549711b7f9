"""The frontend build holds every State's initial values (``.web`` context, compiled once): a value
computed from the date at build time is wrong the next day, until each page's load replaces it,
and two builds made either side of midnight differ (tests/stack: a second build must be byte for
byte the first)."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine


def test_the_built_initial_state_does_not_depend_on_the_day():
    import reflex as rx
    from reflex.compiler.utils import compile_state

    import espace.espace  # noqa: F401 - every page and its State, as the build imports them

    states = {}
    for moment in (datetime(2026, 12, 7, 22, 59, tzinfo=UTC), datetime(2027, 3, 1, 9, tzinfo=UTC)):
        with time_machine.travel(moment, tick=False):
            states[moment] = compile_state(rx.State)
    first, second = states.values()
    changed = sorted(
        f"{substate}.{name}"
        for substate, values in first.items()
        if isinstance(values, dict)
        for name, value in values.items()
        if second.get(substate, {}).get(name) != value
    )
    assert first and not changed, f"initial values that depend on the day: {changed}"
