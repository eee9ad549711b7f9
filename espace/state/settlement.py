"""The settlement offer on the claim tracker (/sinistre?n=<number>) and on the staff claim page
(/gestion/sinistre?n=<number>).

Thin: every handler re-reads the session and calls ``claims.settlement`` (or
``support.complaints.dispute_offer`` when a dispute becomes a complaint), which find the claim with
the holder's id in the query. The claim's number and id stay on the server."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import settlement, settlement_views
from espace.claims.declaration import ClaimInputError
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import flag as _flag
from espace.state.form_values import text as _text
from espace.state.handlers import holder_event, staff_event
from espace.state.session import SessionState
from espace.state.staff import StaffSessionState
from espace.support import complaints
from espace.support.complaint_rules import ComplaintError

DISPUTE_OPTIONS: list[list[str]] = [[k, v] for k, v in settlement.DISPUTE_ACTIONS.items()]


class SettlementState(SessionState):
    """The holder's side: the offer broken down, accept (account or repair) or dispute."""

    has_offer: bool = False
    status: str = ""
    rows: list[list[str]] = []
    immediate: str = ""
    deferred: str = ""
    made: str = ""
    repair_allowed: bool = False
    decided: str = ""
    accounts: list[list[str]] = []
    errors: dict[str, str] = {}
    flash: str = ""

    _number: str = ""

    @holder_event
    def load(self, me: Principal):
        holder_id = self._holder_id()
        if holder_id is None:
            return None  # the claim page's own handler sends the browser to the login page
        self._number = self.router.url.query_parameters.get("n", "")[:20].upper()
        self.errors, self.flash = {}, ""
        self._refresh(holder_id)
        return None

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            found = settlement_views.holder_offer(
                session=db, holder_id=holder_id, number=self._number
            )
        self.has_offer = found is not None
        if found is None:
            self.rows, self.accounts, self.status = [], [], ""
            return
        self.status, self.rows = found.status, [list(row) for row in found.rows]
        self.immediate, self.deferred, self.made = found.immediate, found.deferred, found.made
        self.repair_allowed, self.decided = found.repair_in_kind_allowed, found.decided
        self.accounts = [[str(i), label] for i, label in found.accounts]

    @holder_event
    def accept(self, me: Principal, form: dict):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        account = _text(form, "account", 12)
        try:
            with session_scope() as db:
                settlement.accept(
                    session=db,
                    holder_id=holder_id,
                    number=self._number,
                    choice=_text(form, "choice", 10),
                    bank_account_id=int(account) if account.isdigit() else None,
                    signer=self.holder_name,
                )
        except ClaimInputError as error:
            self.errors = dict(error.errors)
            return None
        self.errors = {}
        self.flash = "Offre acceptée : votre acceptation signée est dans les documents du dossier."
        self._refresh(holder_id)
        return None

    @holder_event
    def dispute(self, me: Principal, form: dict):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        try:
            with session_scope() as db:
                complaint = complaints.dispute_offer(
                    session=db,
                    holder_id=holder_id,
                    number=self._number,
                    action=_text(form, "action", 20),
                    reason=_text(form, "reason", 1200),
                )
                complaint_id = complaint.id if complaint else 0
        except ClaimInputError as error:
            self.errors = dict(error.errors)
            return None
        except ComplaintError as error:
            self.errors = {"reason": str(error)}
            return None
        self.errors = {}
        if complaint_id:
            return rx.redirect(f"{routes.COMPLAINT}?n={complaint_id}&envoyee=1")
        self.flash = "Contre-expertise demandée : votre gestionnaire vous recontacte."
        self._refresh(holder_id)
        return None


class StaffSettlementState(StaffSessionState):
    """Staff side: make (or replace) the offer once the damage is assessed."""

    can_offer: bool = False
    status: str = ""
    rows: list[list[str]] = []
    outcome: str = ""
    errors: dict[str, str] = {}
    flash: str = ""

    _claim_id: int = 0

    @staff_event
    def load(self, me: Principal):
        staff_id = self._staff_id()
        if staff_id is None:
            return None  # the staff claim page's own handler redirects
        number = self.router.url.query_parameters.get("n", "")[:20]
        self.errors, self.flash = {}, ""
        self._refresh(staff_id, number)
        return None

    def _refresh(self, staff_id: int, number: str) -> None:
        try:
            with session_scope() as db:
                found = settlement_views.staff_offer(session=db, staff_id=staff_id, number=number)
        except StaffForbidden:
            found = None
        if found is None:
            self._claim_id, self.can_offer, self.rows, self.status = 0, False, [], ""
            return
        self._claim_id, self.can_offer = found.claim_id, found.can_offer
        self.status, self.outcome = found.status, found.outcome
        self.rows = [list(row) for row in found.rows]

    @staff_event
    def make_offer(self, me: Principal, form: dict):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        try:
            with session_scope() as db:
                settlement.make_offer(
                    session=db,
                    staff_id=staff_id,
                    claim_id=self._claim_id,
                    obsolescence_text=_text(form, "obsolescence", 30),
                    new_for_old=_flag(form.get("new_for_old")),
                    repair_in_kind=_flag(form.get("repair_in_kind")),
                )
        except ClaimInputError as error:
            self.errors = dict(error.errors)
            return None
        except StaffForbidden as error:
            self.errors = {"offer": str(error)}
            return None
        self.errors, self.flash = {}, "Offre envoyée à l'assuré."
        self._refresh(staff_id, self.router.url.query_parameters.get("n", "")[:20])
        return None
