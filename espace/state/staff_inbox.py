"""The staff inbox of secure messages (/gestion/messages; one conversation:
``state/staff_thread.py``).

Thin: every handler re-checks the staff session, then calls ``support.threads``, which re-checks the
role (handlers and managers; experts have no inbox)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import routes
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import flag as _flag
from espace.state.form_values import text as _text
from espace.state.handlers import staff_event
from espace.state.messages import STATUS_BADGE
from espace.state.staff import StaffSessionState
from espace.support import help_feedback, thread_inbox, thread_rules
from espace.support.models import ThreadCategory

STATUS_FILTERS: list[list[str]] = [
    ["active", "À traiter ou en attente"],
    ["open", "À traiter"],
    ["waiting", "En attente de l'assuré"],
    ["resolved", "Résolues"],
    ["", "Toutes"],
]
CATEGORY_FILTERS: list[list[str]] = [["", "Tous les sujets"]] + [
    [c.value, thread_rules.CATEGORY_LABELS[c]] for c in ThreadCategory
]
ASSIGNED_FILTERS: list[list[str]] = [
    ["all", "Toutes"],
    ["mine", "Les miennes"],
    ["unassigned", "Non attribuées"],
]
_VALUES = {
    "status": {v for v, _ in STATUS_FILTERS},
    "category": {v for v, _ in CATEGORY_FILTERS},
    "assigned": {v for v, _ in ASSIGNED_FILTERS},
}


# ----- the inbox ---------------------------------------------------------------------------------


@dataclasses.dataclass
class InboxItem:
    url: str = ""
    subject: str = ""
    holder: str = ""
    category: str = ""
    status: str = ""
    badge: str = ""
    last: str = ""
    due: str = ""
    left: str = ""
    late: bool = False
    assignee: str = ""
    unread: bool = False
    from_assistant: bool = False


def to_item(row: thread_inbox.InboxRow) -> InboxItem:
    return InboxItem(
        url=f"{routes.STAFF_THREAD}?n={row.id}",
        subject=row.subject,
        holder=row.holder_name,
        category=thread_rules.CATEGORY_LABELS.get(row.category, row.category),
        status=thread_rules.STAFF_STATUS_LABELS.get(row.status, row.status),
        badge=STATUS_BADGE.get(row.status, ""),
        last=fmt.datetime_fr(row.last_message_at),
        due=fmt.datetime_fr(row.due_at) or "—",
        left=row.time_left,
        late=row.late,
        assignee=row.assignee or "—",
        unread=row.unread,
        from_assistant=row.origin == "assistant",
    )


def figures_text(found: thread_inbox.InboxFigures) -> list[list[str]]:
    share = (
        "—" if found.within_target_share is None else f"{round(found.within_target_share * 100)} %"
    )
    return [
        ["À traiter", str(found.open_count)],
        ["En retard", str(found.late_count)],
        [
            f"Délai médian de première réponse ({thread_rules.FIGURES_DAYS} jours)",
            thread_rules.duration_text(found.median_first_reply),
        ],
        ["Premières réponses dans les délais", share],
    ]


def help_articles_text(counts: dict[str, tuple[int, int]], limit: int = 5) -> list[list[str]]:
    """The help articles holders found least helpful: [title, slug, "n oui", "n non"], worst
    first."""
    from espace import content

    ranked = sorted(
        ((slug, yes, no) for slug, (yes, no) in counts.items() if no and content.article(slug)),
        key=lambda row: (-row[2], row[1], row[0]),
    )[:limit]
    return [
        [content.article(slug).title, slug, f"{yes} oui", f"{no} non"] for slug, yes, no in ranked
    ]


class StaffInboxState(StaffSessionState):
    loaded: bool = False
    rows: list[InboxItem] = []
    figures: list[list[str]] = []
    unhelpful_articles: list[list[str]] = []
    error: str = ""
    f_status: str = "active"
    f_category: str = ""
    f_assigned: str = "all"
    f_late: bool = False

    @rx.var
    def active_filters(self) -> int:
        """How many filters narrow the default view (shown on the folded filters of a phone)."""
        return sum(
            (
                self.f_status != "active",
                self.f_category != "",
                self.f_assigned != "all",
                self.f_late,
            )
        )

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int) -> None:
        filters = thread_inbox.InboxFilters(
            status=self.f_status,
            category=self.f_category,
            assigned=self.f_assigned,
            late_only=self.f_late,
        )
        try:
            with session_scope() as db:
                found = thread_inbox.inbox(session=db, staff_id=staff_id, filters=filters)
                numbers = thread_inbox.figures(session=db, staff_id=staff_id)
                self.unhelpful_articles = help_articles_text(help_feedback.tally(session=db))
        except StaffForbidden as error:
            self.rows, self.figures, self.error, self.unhelpful_articles = [], [], str(error), []
            return
        self.error = ""
        self.rows, self.figures = [to_item(row) for row in found], figures_text(numbers)

    def _apply(self, **changes):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        for name, value in changes.items():
            if name == "late":
                self.f_late = _flag(value)
            elif value in _VALUES[name]:
                setattr(self, f"f_{name}", value)
        self._refresh(staff_id)
        return None

    @staff_event
    def filter_status(self, me: Principal, value: str):
        return self._apply(status=str(value)[:12])

    @staff_event
    def filter_category(self, me: Principal, value: str):
        return self._apply(category=str(value)[:12])

    @staff_event
    def filter_assigned(self, me: Principal, value: str):
        return self._apply(assigned=str(value)[:12])

    @staff_event
    def filter_late(self, me: Principal, checked: bool):
        return self._apply(late=checked)

    @staff_event
    def apply_filters(self, me: Principal, form: dict):
        return self._apply(
            status=_text(form, "status", 12),
            category=_text(form, "category", 12),
            assigned=_text(form, "assigned", 12),
            late=form.get("late"),
        )
