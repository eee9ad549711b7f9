"""The dashboard's layout handlers send again only what moved (issue 18, "fast where it is hot")."""

from __future__ import annotations

import asyncio

import reflex as rx

import espace.espace  # noqa: F401  (registers every state)
from espace.core.settings import get_settings
from espace.dashboard import widgets
from espace.state.dashboard import DashboardState
from tests import factories


def _dashboard(engine):
    def setup(db):
        person = factories.holder(db)
        factories.contract(db, person)
        return factories.signed_in(db, person)

    token, _ = factories.committed(setup)
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(DashboardState.get_full_name().split("."))
    cookie = f"{get_settings().session_cookie_name}={token}"
    state._update_router_vars(
        {"headers": {"cookie": cookie}, "pathname": "/tableau-de-bord", "asPath": "/", "query": {}},
        {},
    )
    return state


def _spy(monkeypatch) -> list[set[str]]:
    asked: list[set[str]] = []
    real = widgets.collect

    def collect(**kwargs):
        asked.append(set(kwargs["wanted"]))
        return real(**kwargs)

    monkeypatch.setattr(widgets, "collect", collect)
    return asked


def test_a_move_reads_no_widget_data_and_an_added_widget_only_its_own(engine, monkeypatch):
    state = _dashboard(engine)
    asyncio.run(DashboardState.load.fn(state))
    order = [slot.id for slot in state.slots]
    asked = _spy(monkeypatch)

    asyncio.run(DashboardState.move_widget.fn(state, order[0], 1))
    assert [slot.id for slot in state.slots][:2] == [order[1], order[0]] and asked == []

    asyncio.run(DashboardState.remove_widget.fn(state, order[0]))
    assert order[0] not in {slot.id for slot in state.slots} and asked == []

    asyncio.run(DashboardState.add_widget.fn(state, order[0]))
    assert asked == [{order[0]}] and order[0] in {slot.id for slot in state.slots}
