"""The staff queue of complaints (/gestion/reclamations) and one complaint
(/gestion/reclamation?n=<id>).

Thin: every handler re-checks the staff session, then calls ``support.complaints``, which re-checks
the role (handlers and managers), logs reads and audits every action. The complaint's id stays on
the server (``_complaint_id``)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import routes
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.complaints import ComplaintRow, ExchangeRow, to_row
from espace.state.form_values import flag as _flag
from espace.state.form_values import text as _text
from espace.state.handlers import staff_event
from espace.state.staff import StaffSessionState
from espace.support import complaint_rules, complaint_staff
from espace.support.complaint_rules import ComplaintError

STATUS_FILTERS: list[list[str]] = [
    ["open", "En cours (réponse due)"],
    ["answered", "Répondues"],
    ["", "Toutes"],
]
ASSIGNED_FILTERS: list[list[str]] = [
    ["all", "Toutes"],
    ["mine", "Les miennes"],
    ["unassigned", "Non attribuées"],
]
_VALUES = {"status": {v for v, _ in STATUS_FILTERS}, "assigned": {v for v, _ in ASSIGNED_FILTERS}}


@dataclasses.dataclass
class QueueItem:
    url: str = ""
    reference: str = ""
    holder: str = ""
    topic: str = ""
    subject: str = ""
    status: str = ""
    filed: str = ""
    acknowledgement_due: str = ""
    answer_due: str = ""
    left: str = ""
    late: bool = False
    assignee: str = ""
    disputed_offer: bool = False


def figures_text(found: complaint_staff.Figures) -> list[list[str]]:
    share = (
        "—"
        if found.within_deadline_share is None
        else f"{round(found.within_deadline_share * 100)} %"
    )
    return [
        ["Réclamations en cours", str(found.open_count)],
        ["Réclamations en retard (plus de 2 mois)", str(found.late_count)],
        [f"Répondues ({complaint_rules.FIGURES_DAYS} jours)", str(found.answered_recently)],
        ["Répondues dans les 2 mois", share],
    ]


class StaffComplaintsState(StaffSessionState):
    loaded: bool = False
    rows: list[QueueItem] = []
    figures: list[list[str]] = []
    error: str = ""
    f_status: str = "open"
    f_assigned: str = "all"
    f_late: bool = False

    @rx.var
    def active_filters(self) -> int:
        """How many filters narrow the default view (shown on the folded filters of a phone)."""
        return sum((self.f_status != "open", self.f_assigned != "all", self.f_late))

    @staff_event
    def load(self, me: Principal):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self._load_staff_header(staff_id)
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int) -> None:
        filters = complaint_staff.QueueFilters(
            status=self.f_status, assigned=self.f_assigned, late_only=self.f_late
        )
        try:
            with session_scope() as db:
                found = complaint_staff.queue(session=db, staff_id=staff_id, filters=filters)
                numbers = complaint_staff.figures(session=db, staff_id=staff_id)
        except StaffForbidden as error:
            self.rows, self.figures, self.error = [], [], str(error)
            return
        self.error = ""
        self.figures = figures_text(numbers)
        self.rows = [
            QueueItem(
                url=f"{routes.STAFF_COMPLAINT}?n={row.id}",
                reference=row.reference,
                holder=row.holder_name,
                topic=row.topic,
                subject=row.subject,
                status=row.status,
                filed=row.filed,
                acknowledgement_due=row.acknowledgement_due,
                answer_due=row.answer_due,
                left=row.left or "—",
                late=row.late,
                assignee=row.assignee or "—",
                disputed_offer=row.disputed_offer,
            )
            for row in found
        ]

    @staff_event
    def apply_filters(self, me: Principal, form: dict):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        status, assigned = _text(form, "status", 12), _text(form, "assigned", 12)
        if status in _VALUES["status"]:
            self.f_status = status
        if assigned in _VALUES["assigned"]:
            self.f_assigned = assigned
        self.f_late = _flag(form.get("late"))
        self._refresh(staff_id)
        return None


class StaffComplaintState(StaffSessionState):
    loaded: bool = False
    found: bool = False
    flash: str = ""
    errors: dict[str, str] = {}
    complaint: ComplaintRow = ComplaintRow()
    holder: str = ""
    assignee: str = ""
    assignee_id: str = ""
    assignable: list[list[str]] = []
    exchange: list[ExchangeRow] = []
    audit: list[list[str]] = []
    answered: str = ""
    is_manager: bool = False
    form_version: int = 0

    _complaint_id: int = 0

    @staff_event
    def load(self, me: Principal):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self._load_staff_header(staff_id)
        param = self.router.url.query_parameters.get("n", "")[:12]
        self._complaint_id = int(param) if param.isdigit() else 0
        self.errors, self.flash = {}, ""
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int) -> None:
        try:
            with session_scope() as db:
                detail = complaint_staff.staff_detail(
                    session=db,
                    staff_id=staff_id,
                    complaint_id=self._complaint_id,
                    today=today_paris(),
                )
        except StaffForbidden as error:
            self.found, self.errors = False, {"form": str(error)}
            return
        self.found = detail is not None
        if detail is None:
            self.complaint, self.exchange, self.audit = ComplaintRow(), [], []
            return
        self.complaint = to_row(detail.complaint)
        self.answered = detail.complaint.answered
        self.holder, self.assignee = detail.holder_name, detail.assignee or "—"
        self.assignee_id = str(detail.assignee_id or "")
        self.assignable = [[str(i), name] for i, name in detail.assignable]
        self.exchange = [ExchangeRow(e.kind, e.title, e.at, e.body) for e in detail.exchange]
        self.audit = [list(row) for row in detail.audit]
        self.is_manager = self.staff_role == "Responsable"

    def _act(self, call, success: str):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self.flash = ""
        try:
            with session_scope() as db:
                call(db, staff_id, self._complaint_id)
        except (ComplaintError, StaffForbidden) as error:
            self.errors = {getattr(error, "field", "") or "form": str(error)}
            return None
        self.errors, self.flash = {}, success
        self.form_version += 1
        self._refresh(staff_id)
        return None

    @staff_event
    def take(self, me: Principal):
        return self._act(
            lambda db, me, cid: complaint_staff.assign(
                session=db, staff_id=me, complaint_id=cid, assignee_id=me
            ),
            "La réclamation vous est attribuée.",
        )

    @staff_event
    def assign(self, me: Principal, form: dict):
        wanted = _text(form, "assignee", 12)
        return self._act(
            lambda db, me, cid: complaint_staff.assign(
                session=db,
                staff_id=me,
                complaint_id=cid,
                assignee_id=int(wanted) if wanted.isdigit() else 0,
            ),
            "Réclamation attribuée.",
        )

    @staff_event
    def answer(self, me: Principal, form: dict):
        body = _text(form, "body", complaint_rules.BODY_MAX + 1)
        return self._act(
            lambda db, me, cid: complaint_staff.answer(
                session=db, staff_id=me, complaint_id=cid, body=body
            ),
            "Réponse envoyée : la réclamation est close et l'assuré est prévenu.",
        )
