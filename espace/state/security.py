"""'Sécurité': score with one-click fixes, second factors, password, sessions and history.

Two public vars carry secrets on purpose, because the person must see them once: the TOTP
enrolment (QR code and key, cleared when confirmed or cancelled) and freshly generated recovery
codes (cleared when hidden or when the page is left).
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.formatting import plural
from espace.identity import account_recovery, accounts, one_time_codes, second_factor
from espace.identity import security_page as overview
from espace.identity.second_factor import SecondFactorError
from espace.identity.sessions import Principal
from espace.identity.stepup import StepUpProof, StepUpRequired
from espace.state.handlers import holder_event
from espace.state.session import SessionState, client_ip
from espace.state.stepup import StepUpMixin


@dataclasses.dataclass
class ScoreRow:
    key: str = ""
    label: str = ""
    points: int = 0
    done: bool = False


@dataclasses.dataclass
class HistoryItem:
    when: str = ""
    device: str = ""
    kind: str = ""
    ip: str = ""
    result: str = ""
    success: bool = False
    new_device: bool = False


@dataclasses.dataclass
class SessionItem:
    id: int = 0
    device: str = ""
    kind: str = ""
    ip: str = ""
    started: str = ""
    last_seen: str = ""
    current: bool = False


STEP_UP_REASONS = {
    "enrol_totp": (
        "Pour configurer une application d'authentification, confirmez votre identité avec un "
        "moyen que votre espace connaît déjà."
    ),
    "confirm_totp": (
        "Pour terminer la configuration de l'application, confirmez à nouveau votre identité, puis "
        "saisissez le code affiché par la nouvelle application."
    ),
    "disable_totp": "Pour désactiver l'application d'authentification, confirmez votre identité.",
    "recovery_codes": "Pour générer de nouveaux codes de secours, confirmez votre identité.",
    "password": "Pour changer votre mot de passe, confirmez votre identité.",
}


class SecurityState(SessionState, StepUpMixin):
    STEP_UP_REASONS: ClassVar[dict[str, str]] = STEP_UP_REASONS

    loaded: bool = False
    flash: str = ""
    score: int = 0
    score_rows: list[ScoreRow] = []
    history: list[HistoryItem] = []
    open_sessions: list[SessionItem] = []

    app_factor_on: bool = False
    enrolling: bool = False
    enrol_qr: str = ""
    enrol_key: str = ""
    enrol_error: str = ""
    codes_left: int = 0
    shown_codes: list[str] = []

    phone_masked: str = ""
    phone_verified: bool = False
    awaiting_phone_check: bool = False
    phone_error: str = ""

    pw_current_error: str = ""
    pw_new_error: str = ""
    pw_confirm_error: str = ""

    # ---- loading ----------------------------------------------------------------------------

    def _me(self) -> Principal | None:
        return self._holder_principal()

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self.flash = ""
        self.shown_codes = []
        self._cancel_enrolment()
        self._refresh(me)
        self.loaded = True
        return None

    def _refresh(self, me: Principal) -> None:
        with session_scope() as db:
            account, holder = accounts.account_and_holder(session=db, account_id=me.account_id)
            result = overview.security_score(
                session=db, account=account, current_session_id=me.session_id
            )
            self.score = result.score
            self.score_rows = [ScoreRow(i.key, i.label, i.points, i.done) for i in result.items]
            self.history = [
                HistoryItem(
                    fmt.datetime_fr(h.occurred_at),
                    h.device,
                    h.kind,
                    h.ip,
                    h.result,
                    h.success,
                    h.new_device,
                )
                for h in overview.connection_history(session=db, account_id=account.id)
            ]
            self.open_sessions = [
                SessionItem(
                    s.id,
                    s.device,
                    s.kind,
                    s.ip,
                    fmt.datetime_fr(s.started_at),
                    fmt.datetime_fr(s.last_seen_at),
                    s.current,
                )
                for s in overview.open_sessions(
                    session=db, account_id=account.id, current_session_id=me.session_id
                )
            ]
            self.app_factor_on = account.totp_enabled_at is not None
            self.codes_left = second_factor.recovery_codes_left(session=db, account_id=account.id)
            self.phone_masked = account_recovery.mask_phone(holder.phone) if holder.phone else ""
            self.phone_verified = account.phone_verified_at is not None

    # ---- authenticator app ------------------------------------------------------------------

    def _cancel_enrolment(self) -> None:
        self.enrolling, self.enrol_qr, self.enrol_key, self.enrol_error = False, "", "", ""

    @holder_event
    def start_totp(self, me: Principal):
        """Enrol (or replace) the authenticator app: after a step-up with a method the account
        already has."""
        self.flash = ""
        return self._with_step_up("enrol_totp")

    @holder_event
    def confirm_totp(self, me: Principal, form: dict):
        code = str(form.get("totp_code", "")).strip()[:12]
        if not code:
            self.enrol_error = "Saisissez le code affiché par votre application."
            return None
        proof = self._recent_proof(me)
        if proof is None:  # the step-up of the enrolment is more than 5 minutes old: ask again
            return self._with_step_up("confirm_totp")
        try:
            with session_scope() as db:
                second_factor.confirm_totp(
                    session=db,
                    account=accounts.account(session=db, account_id=me.account_id),
                    code=code,
                    proof=proof,
                )
        except StepUpRequired:
            return self._with_step_up("confirm_totp")
        except SecondFactorError as error:
            self.enrol_error = str(error)
            return None
        self._cancel_enrolment()
        self.flash = "La double authentification par application est activée."
        self._refresh(me)
        return None

    @holder_event
    def cancel_totp(self, me: Principal):
        with session_scope() as db:  # only the enrolment in progress: an active app stays as it is
            second_factor.cancel_totp(
                session=db, account=accounts.account(session=db, account_id=me.account_id)
            )
        self._cancel_enrolment()
        return None

    @holder_event
    def ask_disable_totp(self, me: Principal):
        return self._with_step_up("disable_totp")

    @holder_event
    def ask_recovery_codes(self, me: Principal):
        return self._with_step_up("recovery_codes")

    @rx.event
    def hide_codes(self):
        self.shown_codes = []

    def _run_stepped_up(self, action: str, me: Principal, proof: StepUpProof):
        if action == "password":  # the browser sends the form again, now that a check was passed
            return rx.call_script("document.getElementById('password-form').requestSubmit()")
        with session_scope() as db:
            account = accounts.account(session=db, account_id=me.account_id)
            if action == "enrol_totp":
                enrolment = second_factor.begin_totp(session=db, account=account, proof=proof)
                self.enrolling, self.enrol_qr, self.enrol_key = (
                    True,
                    enrolment.qr_svg_data_uri,
                    enrolment.secret,
                )
                self.enrol_error = ""
            elif action == "confirm_totp":
                self.enrol_error = (
                    "Identité confirmée : saisissez le code affiché maintenant par l'application."
                )
            elif action == "disable_totp":
                second_factor.disable_totp(session=db, account=account, proof=proof)
                self._cancel_enrolment()
                self.flash = "L'application d'authentification est désactivée."
            elif action == "recovery_codes":
                self.shown_codes = second_factor.generate_recovery_codes(
                    session=db, account=account, proof=proof
                )
                self.flash = (
                    "Vos codes de secours sont prêts : notez-les maintenant, ils ne seront plus "
                    "affichés."
                )
        self._refresh(me)
        return None

    # ---- phone, password, sessions ------------------------------------------------------------

    @holder_event
    def send_phone_code(self, me: Principal):
        with session_scope() as db:
            account, holder = accounts.account_and_holder(session=db, account_id=me.account_id)
            if not holder.phone:
                self.phone_error = (
                    "Aucun numéro de mobile n'est enregistré : ajoutez-le depuis Mon profil."
                )
                return None
            try:
                one_time_codes.send_code(
                    session=db, account=account, purpose="phone", channel="sms"
                )
            except SecondFactorError as error:
                self.awaiting_phone_check, self.phone_error = True, str(error)
                return None
        self.awaiting_phone_check, self.phone_error, self.flash = True, "", ""
        return None

    @holder_event
    def confirm_phone(self, me: Principal, form: dict):
        try:
            with (
                session_scope() as db
            ):  # a wrong code is counted by the service, whatever happens here
                overview.confirm_phone(
                    session=db,
                    account=accounts.account(session=db, account_id=me.account_id),
                    code=str(form.get("phone_code", "")).strip()[:12],
                )
        except SecondFactorError as error:
            self.phone_error = str(error)
            return None
        self.awaiting_phone_check, self.phone_error, self.flash = (
            False,
            "",
            "Votre numéro de mobile est vérifié.",
        )
        self._refresh(me)
        return None

    @holder_event
    def change_password(self, me: Principal, form: dict):
        self.pw_current_error = self.pw_new_error = self.pw_confirm_error = self.flash = ""
        if not form.get("current"):
            self.pw_current_error = "Saisissez votre mot de passe actuel."
            return None
        proof = self._recent_proof(me)
        if (
            proof is None
        ):  # nothing typed is kept here: after the check, the browser submits the form again
            return self._with_step_up("password")
        try:
            with session_scope() as db:
                accounts.change_password(
                    session=db,
                    account_id=me.account_id,
                    current=str(form["current"])[:512],
                    new=str(form.get("password", ""))[:512],
                    confirm=str(form.get("confirm", ""))[:512],
                    proof=proof,
                    ip=client_ip(self.router),
                    user_agent=self.router.headers.user_agent,
                )
        except StepUpRequired:
            return self._with_step_up("password")
        except accounts.AccountError as error:
            field = {
                "current": "pw_current_error",
                "password": "pw_new_error",
                "confirm": "pw_confirm_error",
            }
            setattr(self, field.get(error.field, "pw_new_error"), str(error))
            return None
        self.flash = "Mot de passe modifié. Vos autres sessions ont été fermées."
        self._refresh(me)
        return rx.call_script("document.getElementById('password-form').reset()")

    @holder_event
    def end_session(self, me: Principal, session_id: int):
        with session_scope() as db:
            ended = overview.end_session(
                session=db, account_id=me.account_id, session_id=int(session_id)
            )
        self.flash = "Session fermée." if ended else ""
        if int(session_id) == me.session_id and ended:
            return SessionState.logout
        self._refresh(me)
        return None

    @holder_event
    def end_others(self, me: Principal):
        with session_scope() as db:
            count = overview.end_other_sessions(
                session=db, account_id=me.account_id, current_session_id=me.session_id
            )
        self.flash = f"{plural(count, 'autre session fermée', 'autres sessions fermées')}."
        self._refresh(me)
        return None
