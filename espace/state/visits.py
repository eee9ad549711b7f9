"""The expert's visit slots on the claim tracker (/sinistre?n=<number>) and on the staff claim page
(/gestion/sinistre?n=<number>).

Thin: every handler re-reads the session and calls ``claims.visits``, which finds the claim with
the holder's id in the query (staff: the role, and experts only their claims). The claim's number
and id stay on the server; a slot id from the browser is checked against the holder's claim."""

from __future__ import annotations

from espace.claims import visits
from espace.claims.declaration import ClaimInputError
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import text as _text
from espace.state.handlers import holder_event, staff_event
from espace.state.session import SessionState
from espace.state.staff import StaffSessionState


class VisitState(SessionState):
    found: bool = False
    offered: list[list[str]] = []
    chosen: str = ""
    history: list[str] = []
    response_targets: str = visits.RESPONSE_TARGETS
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
            found = visits.holder_visit(session=db, holder_id=holder_id, number=self._number)
        self.found = found is not None
        self.offered = [[str(i), label] for i, label in found.offered] if found else []
        self.chosen = found.chosen if found else ""
        self.history = list(found.history) if found else []

    def _act(self, call, success: str):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        try:
            with session_scope() as db:
                call(db, holder_id)
        except ClaimInputError as error:
            self.errors, self.flash = dict(error.errors), ""
            return None
        self.errors, self.flash = {}, success
        self._refresh(holder_id)
        # The tracker above (another state) shows the new stage too.
        from espace.state.claims import ClaimState

        return ClaimState.load

    @holder_event
    def choose(self, me: Principal, form: dict):
        wanted = _text(form, "slot", 12)
        return self._act(
            lambda db, me: visits.choose(
                session=db,
                holder_id=me,
                number=self._number,
                slot_id=int(wanted) if wanted.isdigit() else 0,
            ),
            "Créneau confirmé : l'expert est prévenu, un rappel vous sera envoyé la veille.",
        )

    @holder_event
    def ask_others(self, me: Principal, form: dict):
        reason = _text(form, "reason", 400)
        return self._act(
            lambda db, me: visits.ask_for_others(
                session=db, holder_id=me, number=self._number, reason=reason
            ),
            "Demande envoyée : d'autres créneaux vont vous être proposés.",
        )

    @holder_event
    def reschedule(self, me: Principal, form: dict):
        reason = _text(form, "reason", 400)
        return self._act(
            lambda db, me: visits.reschedule_by_holder(
                session=db, holder_id=me, number=self._number, reason=reason
            ),
            "Visite reportée : de nouveaux créneaux vont vous être proposés.",
        )


class StaffVisitState(StaffSessionState):
    slots: list[list[str]] = []
    errors: dict[str, str] = {}
    flash: str = ""
    visible: bool = False

    _claim_id: int = 0

    @staff_event
    def load(self, me: Principal):
        staff_id = self._staff_id()
        if staff_id is None:
            return None  # the staff claim page's own handler redirects
        self.errors, self.flash = {}, ""
        number = self.router.url.query_parameters.get("n", "")[:20]
        try:
            with session_scope() as db:
                found = visits.staff_claim_id(session=db, staff_id=staff_id, number=number)
        except StaffForbidden:
            found = None
        self._claim_id, self.visible = found or 0, found is not None
        self._refresh(staff_id)
        return None

    def _refresh(self, staff_id: int) -> None:
        if not self._claim_id:
            self.slots = []
            return
        try:
            with session_scope() as db:
                rows = visits.staff_slots(session=db, staff_id=staff_id, claim_id=self._claim_id)
        except StaffForbidden:
            rows = []
        self.slots = [list(row) for row in rows]

    def _act(self, call, success: str):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        try:
            with session_scope() as db:
                call(db, staff_id)
        except ClaimInputError as error:
            self.errors, self.flash = dict(error.errors), ""
            return None
        except StaffForbidden as error:
            self.errors, self.flash = {"slots": str(error)}, ""
            return None
        self.errors, self.flash = {}, success
        self._refresh(staff_id)
        return None

    @staff_event
    def offer(self, me: Principal, form: dict):
        slots = [(_text(form, f"day{i}", 12), _text(form, f"time{i}", 8)) for i in range(1, 4)]
        return self._act(
            lambda db, me: visits.offer_slots(
                session=db, staff_id=me, claim_id=self._claim_id, slots=slots
            ),
            "Créneaux proposés à l'assuré.",
        )

    @staff_event
    def reschedule(self, me: Principal, form: dict):
        reason = _text(form, "reason", 400)
        return self._act(
            lambda db, me: visits.reschedule_by_staff(
                session=db, staff_id=me, claim_id=self._claim_id, reason=reason
            ),
            "Visite reportée : l'assuré est prévenu.",
        )
