"""Staff area: sign-in and the access-recovery requests (the back office grows from here)."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import reflex as rx

from espace import routes
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.tokens import new_token
from espace.identity import auth, one_time_codes, second_factor, sessions, staff_access
from espace.identity.models import LoginResult
from espace.identity.sessions import Principal
from espace.state.handlers import (
    blocking_event,
    current_principal,
    off_loop,
    staff_event,
    validate_token,
)
from espace.state.session import client_ip, full_navigation, handoff_navigation, read_session_cookie


class StaffLoginState(rx.State):
    """Password, then a code sent to the professional e-mail: the back office always asks for
    both."""

    form_error: str = ""
    code_error: str = ""
    sent_hint: str = ""
    second_step: bool = False
    _pending_staff_id: int = 0
    _pending_since: float = 0.0  # wall-clock seconds (time.time): workers behind Redis share it

    @rx.event
    def on_load(self):
        self.reset()

    @rx.event
    async def submit(self, form: dict):
        email, password = (
            str(form.get("email", "")).strip()[:254],
            str(form.get("password", ""))[:512],
        )
        ip, user_agent = client_ip(self.router), self.router.headers.user_agent
        staff, failures = await off_loop(self._check_password, email, password, ip, user_agent)
        if staff is None:
            await asyncio.sleep(auth.ip_delay(failures))
            self.form_error = auth.LOGIN_FAILED_MESSAGE
            return None
        self.form_error, self.code_error, self.second_step = "", "", True
        return None

    def _check_password(self, email: str, password: str, ip: str, user_agent: str):
        """Blocking (argon2, SQL, the code by e-mail): runs in the pool."""
        with session_scope() as db:
            failures = auth.recent_failures_from(session=db, ip=ip)
            staff = (
                None
                if auth.ip_blocked(failures)
                else auth.authenticate_staff(session=db, email=email, password=password)
            )
            if staff is None:
                auth.record_event(
                    session=db, result=LoginResult.BAD_CREDENTIALS, ip=ip, user_agent=user_agent
                )
                return None, failures
            try:
                one_time_codes.send_staff_code(session=db, staff=staff)
                self.sent_hint = (
                    "Un code à 6 chiffres vient d'être envoyé à votre adresse e-mail "
                    "professionnelle."
                )
            except one_time_codes.CodeThrottled as error:
                self.sent_hint = str(error)
            self._pending_staff_id, self._pending_since = staff.id, time.time()
            return staff.id, failures

    def _pending_valid(self) -> bool:
        if self._pending_staff_id and 0 <= time.time() - self._pending_since <= PENDING_SECONDS:
            return True
        self.reset()
        self.form_error = "Connexion expirée : saisissez à nouveau votre mot de passe."
        return False

    @blocking_event
    def verify(self, form: dict):
        staff_id = self._pending_staff_id
        if not self._pending_valid():
            return None
        ip, user_agent = client_ip(self.router), self.router.headers.user_agent
        with session_scope() as db:
            try:
                auth.verify_staff_code(
                    session=db, staff_id=staff_id, code=str(form.get("code") or "")[:12]
                )
            except second_factor.SecondFactorError as error:
                self.code_error = str(error)
                return None  # the attempt is counted (committed by the service) all the same
            binding = new_token()
            handoff = sessions.begin_login(
                session=db, staff_id=staff_id, ip_address=ip, user_agent=user_agent, binding=binding
            )
        self.reset()
        return handoff_navigation(handoff, binding, routes.STAFF_CLAIMS)

    @blocking_event
    def resend(self):
        if not self._pending_valid():
            return None
        with session_scope() as db:
            staff = staff_access.staff_member(session=db, staff_id=self._pending_staff_id)
            if staff is None or not staff.is_active:
                self.reset()
                self.form_error = auth.LOGIN_FAILED_MESSAGE
                return None
            try:
                one_time_codes.send_staff_code(session=db, staff=staff)
                self.sent_hint, self.code_error = "Un nouveau code vient d'être envoyé.", ""
            except one_time_codes.CodeThrottled as error:
                self.code_error = str(error)
        return None


PENDING_SECONDS = 10 * 60


@dataclasses.dataclass
class RequestItem:
    id: int = 0
    holder: str = ""
    contract: str = ""
    contact: str = ""
    phone: str = ""
    created: str = ""
    due: str = ""
    status: str = ""
    late: bool = False
    note: str = ""


class StaffSessionState(rx.State):
    """Base of every staff page's state: the signed-in staff member, re-checked on every handler."""

    staff_name: str = ""
    staff_role: str = ""

    def _token(self) -> str | None:
        return read_session_cookie(self.router.headers.cookie)

    def _staff_id(self) -> int | None:
        """The signed-in staff member's id, or None (no session, expired, or a holder's session)."""
        principal = current_principal() or validate_token(self._token())
        return principal.staff_id if principal and principal.staff_id else None

    def _to_staff_login(self) -> rx.event.EventSpec:
        """Forget everything shown and go to the staff sign-in page."""
        self.reset()
        return rx.redirect(routes.STAFF_LOGIN, replace=True)

    def _load_staff_header(self, staff_id: int) -> None:
        from espace.claims.workflow_permissions import ROLE_LABELS

        with session_scope() as db:
            staff = staff_access.staff_member(session=db, staff_id=staff_id)
            self.staff_name = staff.full_name if staff else ""
            self.staff_role = ROLE_LABELS.get(staff.role, "") if staff else ""

    @blocking_event
    def logout(self):
        with session_scope() as db:
            sessions.revoke(
                session=db, token=read_session_cookie(self.router.headers.cookie), reason="logout"
            )
        self.reset()
        return full_navigation(f"{routes.LOGOUT}?vers=gestion", clear_client_state=True)


@dataclasses.dataclass
class PrivacyItem:
    id: int = 0
    holder: str = ""
    kind: str = ""
    created: str = ""
    due: str = ""
    late: bool = False
    note: str = ""


PRIVACY_KINDS = {"erasure": "Effacement", "export": "Export"}


class StaffAccessState(StaffSessionState):
    items: list[RequestItem] = []
    privacy_items: list[PrivacyItem] = []
    error: str = ""
    loaded: bool = False

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int) -> None:
        try:
            self._load_staff_header(staff_id)
            with session_scope() as db:
                rows = staff_access.list_requests(session=db, staff_id=staff_id)
        except staff_access.StaffForbidden as error:
            self.items, self.error = [], str(error)
            return
        self.error = ""
        self.items = [
            RequestItem(
                r.id,
                r.holder_name,
                r.contract_number,
                r.contact_email or "—",
                fmt.phone(r.holder_phone) or "—",
                fmt.datetime_fr(r.created_at),
                fmt.datetime_fr(r.due_at),
                "Traitée" if r.status == "handled" else "À traiter",
                r.late,
                r.note,
            )
            for r in rows
        ]
        from espace.privacy import rights

        with session_scope() as db:  # GDPR requests, answered within the one-month deadline
            requests = rights.open_requests(session=db)
            names = staff_access.holder_names(
                session=db, holder_ids=[r.holder_id for r in requests]
            )
        self.privacy_items = [
            PrivacyItem(
                r.id,
                names.get(r.holder_id, ""),
                PRIVACY_KINDS.get(r.kind, r.kind),
                fmt.datetime_fr(r.created_at),
                fmt.datetime_fr(r.due_at),
                r.overdue,
                r.note,
            )
            for r in requests
        ]

    @staff_event
    def complete_privacy(self, me: Principal, form: dict):
        from espace.privacy import rights

        staff_id = me.staff_id
        try:
            with session_scope() as db:
                staff_access.require_access_role(session=db, staff_id=staff_id)
                rights.complete(
                    session=db,
                    request_id=int(form.get("request_id", 0)),
                    staff_id=staff_id,
                    note=str(form.get("note", ""))[:1000],
                )
        except (staff_access.StaffForbidden, rights.PrivacyError, ValueError) as error:
            self.error = str(error)
            return None
        self._refresh(staff_id)
        return None

    @staff_event
    def handle(self, me: Principal, form: dict):
        staff_id = me.staff_id
        try:
            with session_scope() as db:
                staff_access.mark_handled(
                    session=db,
                    staff_id=staff_id,
                    request_id=int(form.get("request_id", 0)),
                    note=str(form.get("note", "")),
                )
        except (staff_access.StaffForbidden, ValueError) as error:
            self.error = str(error)
            return None
        self._refresh(staff_id)
        return None
