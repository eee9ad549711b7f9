"""Nothing slow on the event loop (issue 18): one session's slow handler leaves the others served.

Holder A's click is made deliberately slow for real: the test holds SQLite's write lock, so A's
widget move waits for the database. Meanwhile holder B's dashboard reload (reads only) must answer,
over the real websocket of the running app. When handlers ran on the loop, A's wait froze the whole
process and B's reload could not answer until the lock was released (which this test only does
after B's answer: B timed out). The assertion is an ordering, not a wall-clock bound.
"""

from __future__ import annotations

import sqlite3

from sqlmodel import Session, select

from espace.dashboard.models import DashboardLayout
from espace.state.dashboard import DashboardState
from espace.testing_ws import ReflexSocket
from tests import factories
from tests.e2e.conftest import new_holder

PAGE = "/tableau-de-bord"


def _cookie(engine, holder_id: int) -> dict[str, str]:
    from espace.identity.models import Policyholder

    with Session(engine, expire_on_commit=False) as db:
        token, _ = factories.signed_in(db, db.get(Policyholder, holder_id))
        db.commit()
    return {"espace_session": token}


def _layout(engine, holder_id: int) -> str:
    with Session(engine) as db:
        row = db.exec(select(DashboardLayout).where(DashboardLayout.holder_id == holder_id)).first()
        return str(row.widgets if row else "")


def _drain(socket: ReflexSocket) -> int:
    """Forget what this tab received so far; return how many updates that was."""

    async def drain() -> int:
        count = 0
        while not socket._socket._inbox.empty():
            socket._socket._inbox.get_nowait()
            count += 1
        return count

    return socket._run(drain())


def test_a_slow_click_in_one_session_leaves_another_sessions_click_answered(
    live_app, app_engine, app_db_url
):
    alice, bob = new_holder(app_engine), new_holder(app_engine)
    slow = ReflexSocket(live_app.url, cookies=_cookie(app_engine, alice["id"]), timeout=60)
    other = ReflexSocket(live_app.url, cookies=_cookie(app_engine, bob["id"]), timeout=15)
    with slow, other:
        first = slow.open_page(PAGE).state(DashboardState)["slots"][0]["id"]
        other.open_page(PAGE)
        slow.call(DashboardState, "move_widget", {"widget_id": first, "delta": 1})  # layout saved
        before = _layout(app_engine, alice["id"])

        _drain(slow)
        lock = sqlite3.connect(app_db_url.split("///", 1)[1], timeout=30)
        lock.execute("BEGIN IMMEDIATE")  # the write lock: A's next save waits for it
        try:
            move = f"{DashboardState.get_full_name()}.move_widget"
            slow.send(move, {"widget_id": first, "delta": -1})
            answer = other.call(DashboardState, "load", page=PAGE)  # reads only
            assert answer.state(DashboardState).get("loaded") is not False
            # B was served while A's click was still waiting for the database
            assert _drain(slow) == 0
            assert _layout(app_engine, alice["id"]) == before
        finally:
            lock.rollback()
            lock.close()
        slow.call(DashboardState, "load", page=PAGE)  # queued behind A's move: it has finished
        assert _layout(app_engine, alice["id"]) != before
