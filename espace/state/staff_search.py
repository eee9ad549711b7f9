"""Back-office search: claims, holders, messages and threads within the staff member's rights (the
domain function checks them: ``espace.search.staff``)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.core.db import session_scope
from espace.identity.staff_access import StaffForbidden
from espace.search import staff as staff_search
from espace.state.staff import StaffSessionState


@dataclasses.dataclass
class StaffHitView:
    kind: str = ""
    label: str = ""
    title: str = ""
    detail: str = ""
    url: str = ""


class StaffSearchState(StaffSessionState):
    query: str = ""
    hits: list[StaffHitView] = []
    searched: bool = False
    error: str = ""

    @rx.event
    def load(self):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self._load_staff_header(staff_id)
        self.query = str(self.router.url.query_parameters.get("q", ""))[:200]
        self._run(staff_id)
        return None

    def _run(self, staff_id: int) -> None:
        self.hits, self.error, self.searched = [], "", bool(self.query.strip())
        if not self.searched:
            return
        try:
            with session_scope() as db:
                found = staff_search.search(session=db, staff_id=staff_id, query=self.query)
        except StaffForbidden as error:
            self.error = str(error)
            return
        self.hits = [
            StaffHitView(
                h.kind, staff_search.KIND_LABELS.get(h.kind, h.kind), h.title, h.detail, h.url
            )
            for h in found
        ]

    @rx.event
    def submit(self, form: dict):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self.query = str(form.get("q") or "").strip()[:200]
        self._run(staff_id)
        return None
