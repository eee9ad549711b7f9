"""A fresh second-factor check before a sensitive action, for any private page.

A page state mixes this in, declares ``STEP_UP_REASONS`` (action -> why, in French) and
implements ``_run_stepped_up(action, me)``. Calling ``self._with_step_up(action)`` runs the
action at once if this session passed a check in the last 5 minutes, and otherwise shows
``components.stepup.step_up_panel(State)`` until the person types a valid code.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from espace.db import session_scope
from espace.models import Account, Policyholder
from espace.services import security_overview as overview
from espace.services.second_factor import SecondFactorError
from espace.services.sessions import Principal
from espace.state.login import METHOD_LABELS, method_help


class StepUpMixin(rx.State, mixin=True):
    stepup_for: str = ""
    stepup_reason: str = ""
    stepup_methods: list[list[str]] = []
    stepup_method: str = ""
    stepup_help: str = ""
    stepup_error: str = ""

    STEP_UP_REASONS: ClassVar[dict[str, str]] = {}
    # Actions that always ask for a code, even right after another check (a signature, for instance).
    ALWAYS_ASK: ClassVar[frozenset[str]] = frozenset()
    _stepped_up_with: str = ""  # the method of the check that allowed the action ("" when a recent one did)

    def _me(self) -> Principal | None:  # provided by SessionState
        raise NotImplementedError

    def _run_stepped_up(self, action: str, me: Principal) -> None:
        raise NotImplementedError

    def _with_step_up(self, action: str):
        me = self._me()
        if me is None:
            return self._to_login()
        if action not in self.STEP_UP_REASONS:
            return None
        with session_scope() as db:
            fresh = action not in self.ALWAYS_ASK and overview.has_recent_step_up(session=db, session_id=me.session_id)
            methods = [] if fresh else overview.step_up_methods(session=db, account=db.get(Account, me.account_id))
        if fresh:
            self._stepped_up_with = ""
            return self._run_stepped_up(action, me)
        self.stepup_for, self.stepup_reason = action, self.STEP_UP_REASONS[action]
        self.stepup_methods = [[str(m), METHOD_LABELS[m]] for m in methods]
        self._stepup_send(str(methods[0]), me)
        return None

    def _stepup_send(self, method: str, me: Principal) -> None:
        self.stepup_method, self.stepup_error = method, ""
        with session_scope() as db:
            account = db.get(Account, me.account_id)
            holder = db.get(Policyholder, account.holder_id)
            self.stepup_help = method_help(method, email=account.email, phone=holder.phone)
            try:
                overview.start_step_up(session=db, account=account, method=method)
            except SecondFactorError as error:  # throttled: nothing sent
                self.stepup_error = str(error)

    @rx.event
    def stepup_choose(self, method: str):
        me = self._me()
        if me is None:
            return self._to_login()
        if self.stepup_for and method in [m[0] for m in self.stepup_methods]:
            self._stepup_send(method, me)
        return None

    @rx.event
    def stepup_submit(self, form: dict):
        me = self._me()
        if me is None:
            return self._to_login()
        action = self.stepup_for
        if action not in self.STEP_UP_REASONS:
            return None
        code = str(form.get("stepup_code", "")).strip()[:20]
        if not code:
            self.stepup_error = "Saisissez le code."
            return None
        try:
            with session_scope(keep_on=(SecondFactorError,)) as db:
                overview.complete_step_up(session=db, account=db.get(Account, me.account_id), session_id=me.session_id,
                                          method=self.stepup_method, code=code)
        except SecondFactorError as error:
            self.stepup_error = str(error)
            return None
        self._stepped_up_with = self.stepup_method
        self._stepup_clear()
        return self._run_stepped_up(action, me)  # an action may end by leaving the page

    def _stepup_clear(self) -> None:
        self.stepup_for = self.stepup_reason = self.stepup_method = self.stepup_help = self.stepup_error = ""
        self.stepup_methods = []

    @rx.event
    def stepup_cancel(self):
        self._stepup_clear()
