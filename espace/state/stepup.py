"""A fresh second-factor check before a sensitive action, for any private page.

A page state mixes this in, declares ``STEP_UP_REASONS`` (action -> why, in French) and
implements ``_run_stepped_up(action, me, proof)``, which passes ``proof`` (a ``stepup.StepUpProof``)
to the service: the service verifies it itself. Calling ``self._with_step_up(action)`` runs the
action at once if this session passed a check in the last 5 minutes (not for ``ALWAYS_ASK``
actions), and otherwise shows ``components.stepup.step_up_panel(State)`` until the person types a
valid code. A service that finds the proof no longer valid raises ``StepUpRequired``: the panel
opens again.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from espace.core.db import session_scope
from espace.identity import accounts, stepup
from espace.identity.second_factor import METHOD_LABELS, SecondFactorError
from espace.identity.sessions import Principal
from espace.identity.stepup import StepUpProof, StepUpRequired
from espace.state.handlers import holder_event
from espace.state.login import method_help
from espace.state.session import client_ip


class StepUpMixin(rx.State, mixin=True):
    stepup_for: str = ""
    stepup_reason: str = ""
    stepup_methods: list[list[str]] = []
    stepup_method: str = ""
    stepup_help: str = ""
    stepup_error: str = ""

    STEP_UP_REASONS: ClassVar[dict[str, str]] = {}
    # Actions that always ask for a code, even right after another check (a signature, for
    # instance).
    ALWAYS_ASK: ClassVar[frozenset[str]] = frozenset()

    def _me(self) -> Principal | None:  # provided by SessionState
        raise NotImplementedError

    def _run_stepped_up(self, action: str, me: Principal, proof: StepUpProof):
        raise NotImplementedError

    def _recent_proof(self, me: Principal) -> StepUpProof | None:
        """This session's still-valid step-up proof, if a check was passed in the last 5 minutes."""
        with session_scope() as db:
            return stepup.recent_proof(
                session=db, account_id=me.account_id, session_id=me.session_id
            )

    def _with_step_up(self, action: str):
        me = self._me()
        if me is None:
            return self._to_login()
        if action not in self.STEP_UP_REASONS:
            return None
        proof = None if action in self.ALWAYS_ASK else self._recent_proof(me)
        if proof is not None:
            return self._run_checked(action, me, proof)
        self._stepup_open(action, me)
        return None

    def _run_checked(self, action: str, me: Principal, proof: StepUpProof):
        try:
            return self._run_stepped_up(action, me, proof)
        except (
            StepUpRequired
        ) as error:  # the proof expired or was spent meanwhile: nothing was done
            self._stepup_open(action, me, error=str(error))
            return None

    def _stepup_open(self, action: str, me: Principal, error: str = "") -> None:
        with session_scope() as db:
            methods = stepup.step_up_methods(
                session=db, account=accounts.account(session=db, account_id=me.account_id)
            )
        self.stepup_for, self.stepup_reason = action, self.STEP_UP_REASONS[action]
        self.stepup_methods = [[str(m), METHOD_LABELS[m]] for m in methods]
        self._stepup_send(str(methods[0]), me)
        self.stepup_error = error or self.stepup_error

    def _stepup_send(self, method: str, me: Principal) -> None:
        self.stepup_method, self.stepup_error = method, ""
        with session_scope() as db:
            account, holder = accounts.account_and_holder(session=db, account_id=me.account_id)
            self.stepup_help = method_help(method, email=account.email, phone=holder.phone)
            try:
                stepup.start_step_up(session=db, account=account, method=method)
            except SecondFactorError as error:  # throttled: nothing sent
                self.stepup_error = str(error)

    @holder_event
    def stepup_choose(self, me: Principal, method: str):
        if self.stepup_for and method in [m[0] for m in self.stepup_methods]:
            self._stepup_send(method, me)
        return None

    @holder_event
    def stepup_submit(self, me: Principal, form: dict):
        action = self.stepup_for
        if action not in self.STEP_UP_REASONS:
            return None
        code = str(form.get("stepup_code", "")).strip()[:20]
        if not code:
            self.stepup_error = "Saisissez le code."
            return None
        try:  # a wrong code is counted by the service, whatever happens to this transaction
            with session_scope() as db:
                proof = stepup.complete_step_up(
                    session=db,
                    account=accounts.account(session=db, account_id=me.account_id),
                    session_id=me.session_id,
                    method=self.stepup_method,
                    code=code,
                    ip=client_ip(self.router),
                    user_agent=self.router.headers.user_agent,
                )
        except SecondFactorError as error:
            self.stepup_error = str(error)
            return None
        self._stepup_clear()
        return self._run_checked(action, me, proof)  # an action may end by leaving the page

    def _stepup_clear(self) -> None:
        self.stepup_for = self.stepup_reason = self.stepup_method = self.stepup_help = (
            self.stepup_error
        ) = ""
        self.stepup_methods = []

    @rx.event
    def stepup_cancel(self):
        self._stepup_clear()
