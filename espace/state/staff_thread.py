"""One conversation of the staff inbox (/gestion/message?n=<id>).

Thin: every handler re-checks the staff session, then calls ``support.threads``, which re-checks the
role (handlers and managers; experts have no inbox). The thread's id stays on the server
(``_thread_id``)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.claims import stages
from espace.claims.workflow_permissions import ROLE_LABELS
from espace.claims.workflow_views import staff_of_role
from espace.contracts import portfolio
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.models import utcnow
from espace.identity.models import StaffRole
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import text as _text
from espace.state.handlers import off_loop, staff_event
from espace.state.messages import (
    REPLY_UPLOAD_ID,
    STATUS_BADGE,
    MessageView,
    message_views,
    read_files,
)
from espace.state.staff import StaffSessionState
from espace.support import thread_handling, thread_inbox, thread_rules, thread_views
from espace.support.models import SupportThread

STAFF_REPLY_UPLOAD_ID = "staff-" + REPLY_UPLOAD_ID


@dataclasses.dataclass
class AuditItem:
    who: str = ""
    action: str = ""
    at: str = ""
    detail: str = ""


class StaffThreadState(StaffSessionState):
    loaded: bool = False
    found: bool = False
    flash: str = ""
    errors: dict[str, str] = {}
    form_version: int = 0
    subject: str = ""
    status: str = ""
    status_label: str = ""
    badge: str = ""
    category: str = ""
    origin: str = ""
    created: str = ""
    due: str = ""
    left: str = ""
    late: bool = False
    holder_name: str = ""
    holder_email: str = ""
    contract_numbers: str = ""
    linked: str = ""
    assignee: str = ""
    rating: str = ""
    transcript: list[MessageView] = []
    conversation: list[MessageView] = []
    audit: list[AuditItem] = []
    reads: list[AuditItem] = []  # who opened the conversation and its files (managers only)
    can_take: bool = False
    can_assign: bool = False
    assignee_options: list[list[str]] = []

    _thread_id: int = 0

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        param = self.router.url.query_parameters.get("n", "")[:12]
        self._thread_id = int(param) if param.isdigit() else 0
        self.flash, self.errors = "", {}
        self._refresh(staff_id, mark_read=True)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int, *, mark_read: bool = False) -> None:
        try:
            with session_scope() as db:
                thread = thread_inbox.staff_thread(
                    session=db, staff_id=staff_id, thread_id=self._thread_id
                )
                if thread is not None:
                    if mark_read:
                        thread_handling.mark_staff_read(
                            session=db, staff_id=staff_id, thread_id=thread.id
                        )
                    self._fill(db, staff_id, thread)
        except StaffForbidden as error:
            thread = None
            self.errors = {"form": str(error)}
        self.found = thread is not None
        if thread is None:
            self.transcript, self.conversation, self.audit, self.assignee_options = [], [], [], []
            self.reads = []

    def _fill(self, db, staff_id: int, thread: SupportThread) -> None:
        from espace.claims.workflow_views import staff_names

        staff = thread_inbox.inbox_staff(db, staff_id)
        holder = portfolio.holder(session=db, holder_id=thread.holder_id)
        now = utcnow()
        self.subject, self.status, self.badge = (
            thread.subject,
            thread.status,
            STATUS_BADGE.get(thread.status, ""),
        )
        self.status_label = thread_rules.STAFF_STATUS_LABELS.get(thread.status, thread.status)
        self.category = thread_rules.CATEGORY_LABELS.get(thread.category, thread.category)
        self.origin = "Escalade de l'assistant" if thread.origin == "assistant" else "Espace client"
        self.created = fmt.datetime_fr(thread.created_at)
        self.due, self.left = (
            fmt.datetime_fr(thread.reply_due_at),
            thread_rules.time_left(thread.reply_due_at, now),
        )
        self.late = stages.is_late(thread.reply_due_at, now)
        self.holder_name = f"{holder.civility} {holder.first_name} {holder.last_name}"
        self.holder_email = holder.email
        self.contract_numbers = (
            ", ".join(portfolio.contract_numbers(session=db, holder_id=holder.id)) or "—"
        )
        self.linked = thread_views.linked_label(session=db, thread=thread)
        self.assignee = staff_names(session=db).get(thread.assigned_staff_id, "")
        self.rating = (
            f"{thread.rating} sur 5"
            + (f" — {thread.rating_comment}" if thread.rating_comment else "")
            if thread.rating
            else ""
        )
        self.transcript, self.conversation = message_views(db, thread, viewer="staff")
        self.audit = [
            AuditItem(
                who,
                thread_rules.AUDIT_LABELS.get(log.action, log.action),
                fmt.datetime_fr(log.at),
                log.detail,
            )
            for log, who in thread_inbox.audit_log(
                session=db, staff_id=staff_id, thread_id=thread.id
            )
        ]
        self.reads = [
            AuditItem(who, "Consultation", fmt.datetime_fr(at), what)
            for who, at, what in thread_inbox.read_log(
                session=db, staff_id=staff_id, thread_id=thread.id
            )
        ]
        self.can_take = staff.role == StaffRole.HANDLER and thread.assigned_staff_id != staff.id
        self.can_assign = staff.role == StaffRole.MANAGER
        self.assignee_options = (
            [
                [str(s.id), f"{s.full_name} ({ROLE_LABELS.get(s.role, s.role)})"]
                for role in thread_rules.INBOX_ROLES
                for s in staff_of_role(session=db, role=role)
            ]
            if self.can_assign
            else []
        )

    def _act(self, call, success: str):
        """Re-check the session, run ``call(db, staff_id, thread_id)`` in one transaction, show the
        outcome."""
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self.flash = ""
        try:
            with session_scope() as db:
                call(db, staff_id, self._thread_id)
        except thread_rules.SupportError as error:
            self.errors = {error.field or "form": str(error)}
            return None
        except StaffForbidden as error:
            self.errors = {"form": str(error)}
            return None
        self.errors, self.flash = {}, success
        self.form_version += 1
        self._refresh(staff_id)
        return None

    @staff_event
    def take(self, me: Principal):
        return self._act(
            lambda db, me, tid: thread_handling.take(session=db, staff_id=me, thread_id=tid),
            "Vous traitez cette conversation.",
        )

    @staff_event
    def assign(self, me: Principal, form: dict):
        text = _text(form, "assignee", 12)
        assignee_id = int(text) if text.isdigit() else 0
        return self._act(
            lambda db, me, tid: thread_handling.assign(
                session=db, staff_id=me, thread_id=tid, assignee_id=assignee_id
            ),
            "Conversation attribuée.",
        )

    @staff_event
    async def reply(self, me: Principal, files: list[rx.UploadFile], form: dict):
        body, attachments = _text(form, "body", thread_rules.BODY_MAX + 1), await read_files(files)
        return await off_loop(self._reply, body, attachments)

    def _reply(self, body: str, attachments: list):
        outcome = self._act(
            lambda db, me, tid: thread_handling.staff_reply(
                session=db, staff_id=me, thread_id=tid, body=body, attachments=attachments
            ),
            "Réponse envoyée : l'assuré est prévenu par e-mail.",
        )
        if outcome is None and not self.errors:
            return rx.clear_selected_files(STAFF_REPLY_UPLOAD_ID)
        return outcome

    @staff_event
    def resolve(self, me: Principal):
        return self._act(
            lambda db, me, tid: thread_handling.resolve(session=db, staff_id=me, thread_id=tid),
            "Conversation résolue : l'assuré est invité à noter la réponse.",
        )

    @staff_event
    def reopen(self, me: Principal):
        return self._act(
            lambda db, me, tid: thread_handling.reopen(session=db, staff_id=me, thread_id=tid),
            "Conversation rouverte.",
        )
