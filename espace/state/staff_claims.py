"""The staff claims back office: the queue (/gestion/sinistres) and one claim
(/gestion/sinistre?n=…).

Thin: every handler re-checks the staff session, then calls ``claims.workflow`` which re-checks the
role and (for experts) that the claim is theirs. Public vars hold display strings only; the claim's
id stays on the server (``_claim_id``). ``StaffClaimState`` mixes in ``StaffClaimFill``
(``staff_claim_fill.py``: the claim read into its vars) and ``StaffClaimActions``
(``staff_claim_actions.py``: the action panel's handlers)."""

from __future__ import annotations

import reflex as rx

from espace.claims import workflow_views
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import flag as _flag
from espace.state.form_values import text as _text
from espace.state.handlers import staff_event
from espace.state.staff import StaffSessionState
from espace.state.staff_claim_actions import StaffClaimActions
from espace.state.staff_claim_fill import StaffClaimFill
from espace.state.staff_claim_rows import (
    AGE_FILTERS,
    PERIL_FILTERS,
    STATUS_FILTERS,
    AnswerItem,
    AuditRow,
    EventRow,
    FileRow,
    ItemRow,
    MessageRow,
    QueueItem,
    ReadRow,
    to_queue_item,
)

_STATUS_VALUES = {value for value, _ in STATUS_FILTERS}
_PERIL_VALUES = {value for value, _ in PERIL_FILTERS}
_AGE_VALUES = {value for value, _ in AGE_FILTERS}


# ----- the queue -------------------------------------------------------------------------------


class StaffClaimsState(StaffSessionState):
    loaded: bool = False
    rows: list[QueueItem] = []
    error: str = ""
    f_status: str = "open"
    f_peril: str = ""
    f_age: str = ""
    f_late: bool = False
    f_mine: bool = False

    @rx.var
    def active_filters(self) -> int:
        """How many filters narrow the default view (shown on the folded filters of a phone)."""
        return sum(
            (
                self.f_status != "open",
                self.f_peril != "",
                self.f_age != "",
                self.f_late,
                self.f_mine,
            )
        )

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _filters(self) -> workflow_views.QueueFilters:
        return workflow_views.QueueFilters(
            status=self.f_status,
            peril=self.f_peril,
            age=self.f_age,
            late_only=self.f_late,
            mine_only=self.f_mine,
        )

    def _refresh(self, staff_id: int) -> None:
        try:
            with session_scope() as db:
                found = workflow_views.queue(session=db, staff_id=staff_id, filters=self._filters())
        except StaffForbidden as error:
            self.rows, self.error = [], str(error)
            return
        self.error = ""
        self.rows = [to_queue_item(row) for row in found]

    def _set_filters(self, *, status=None, peril=None, age=None, late=None, mine=None) -> None:
        if status is not None:
            self.f_status = status if status in _STATUS_VALUES else "open"
        if peril is not None:
            self.f_peril = peril if peril in _PERIL_VALUES else ""
        if age is not None:
            self.f_age = age if age in _AGE_VALUES else ""
        if late is not None:
            self.f_late = bool(late)
        if mine is not None:
            self.f_mine = bool(mine)

    def _apply(self, **changes):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self._set_filters(**changes)
        self._refresh(staff_id)
        return None

    @staff_event
    def apply_filters(self, me: Principal, form: dict):
        """The filters form, submitted as a whole."""
        return self._apply(
            status=_text(form, "status", 40),
            peril=_text(form, "peril", 40),
            age=_text(form, "age", 10),
            late=_flag(form.get("late")),
            mine=_flag(form.get("mine")),
        )

    @staff_event
    def filter_status(self, me: Principal, value: str):
        return self._apply(status=str(value)[:40])

    @staff_event
    def filter_peril(self, me: Principal, value: str):
        return self._apply(peril=str(value)[:40])

    @staff_event
    def filter_age(self, me: Principal, value: str):
        return self._apply(age=str(value)[:10])

    @staff_event
    def filter_late(self, me: Principal, checked: bool):
        return self._apply(late=_flag(checked))

    @staff_event
    def filter_mine(self, me: Principal, checked: bool):
        return self._apply(mine=_flag(checked))

    @staff_event
    def clear_filters(self, me: Principal):
        return self._apply(status="open", peril="", age="", late=False, mine=False)


# ----- one claim -------------------------------------------------------------------------------


# Display fields reset when the claim is not found (and before each fill).
_EMPTY = dict(
    number="",
    status="",
    status_label="",
    late=False,
    express=False,
    express_reason="",
    holder_name="",
    holder_email="",
    holder_phone="",
    holder_address="",
    contract_number="",
    formula="",
    property_address="",
    peril="",
    peril_label="",
    answers=[],
    occurred="",
    submitted="",
    description="",
    location="",
    deadline="",
    late_declaration=False,
    items=[],
    declared_total="",
    estimate_lines=[],
    estimate_explanation="",
    files=[],
    timeline=[],
    messages=[],
    audit=[],
    reads=[],
    handler_name="",
    expert_name="",
    visit="",
    next_due="",
    assessed_damage="",
    ceiling="",
    deductible="",
    indemnity="",
    indemnity_detail="",
    guarantee_category="",
    payment="",
    refusal_reason="",
    requested_documents="",
    allowed={},
    handler_options=[],
    expert_options=[],
)


class StaffClaimState(StaffSessionState, StaffClaimFill, StaffClaimActions):
    loaded: bool = False
    found: bool = False
    flash: str = ""
    errors: dict[str, str] = {}
    form_versions: dict[str, int] = {}  # bumped after a success: the form is drawn again, empty
    report_summary: str = ""  # typed before the report is dropped
    document_kind: str = ""

    number: str = ""
    status: str = ""
    status_label: str = ""
    late: bool = False
    express: bool = False
    express_reason: str = ""
    holder_name: str = ""
    holder_email: str = ""
    holder_phone: str = ""
    holder_address: str = ""
    contract_number: str = ""
    formula: str = ""
    property_address: str = ""
    peril: str = ""
    peril_label: str = ""
    answers: list[AnswerItem] = []
    occurred: str = ""
    submitted: str = ""
    description: str = ""
    location: str = ""
    deadline: str = ""
    late_declaration: bool = False
    items: list[ItemRow] = []
    declared_total: str = ""
    estimate_lines: list[AnswerItem] = []
    estimate_explanation: str = ""
    files: list[FileRow] = []
    timeline: list[EventRow] = []
    messages: list[MessageRow] = []
    audit: list[AuditRow] = []
    reads: list[ReadRow] = []  # who opened the claim and its files (managers only)
    handler_name: str = ""
    expert_name: str = ""
    visit: str = ""
    next_due: str = ""
    assessed_damage: str = ""
    ceiling: str = ""
    deductible: str = ""
    indemnity: str = ""
    indemnity_detail: str = ""
    guarantee_category: str = ""
    payment: str = ""
    refusal_reason: str = ""
    requested_documents: str = ""
    allowed: dict[str, bool] = {}
    handler_options: list[list[str]] = []
    expert_options: list[list[str]] = []

    _claim_id: int = 0

    # ----- loading ---------------------------------------------------------------------------

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        self.flash, self.errors, self.report_summary, self.document_kind = "", {}, "", ""
        number = self.router.url.query_parameters.get("n", "")[:20]
        self._claim_id = 0
        try:
            with session_scope() as db:
                claim = workflow_views.visible_claim(session=db, staff_id=staff_id, number=number)
                if claim is not None:
                    self._claim_id = claim.id
                    self._fill(db, staff_id, claim)
        except StaffForbidden:
            claim = None
        if claim is None:
            self._clear()
        self.loaded = True
        return None

    def _clear(self) -> None:
        self._claim_id = 0
        self.found = False
        for name, value in _EMPTY.items():
            setattr(self, name, type(value)())

    def _refresh(self, staff_id: int) -> None:
        """Read the claim again (by its server-side id, visibility re-checked)."""
        visible = False
        try:
            with session_scope() as db:
                claim = workflow_views.visible_claim_by_id(
                    session=db, staff_id=staff_id, claim_id=self._claim_id
                )
                visible = claim is not None
                if visible:
                    self._fill(db, staff_id, claim)
        except StaffForbidden:
            visible = False
        if not visible:
            self._clear()
