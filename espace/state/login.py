"""Sign-in: e-mail or contract number and password, then a second factor when needed."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import reflex as rx

from espace import routes
from espace.core.db import session_scope
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.core.tokens import new_token
from espace.identity import (
    account_recovery,
    accounts,
    auth,
    one_time_codes,
    second_factor,
    sessions,
    signup,
)
from espace.identity.account_recovery import mask_email
from espace.identity.auth import Outcome
from espace.identity.second_factor import METHOD_LABELS, Method
from espace.state.handlers import blocking_event, off_loop
from espace.state.session import client_ip, handoff_navigation, read_cookie, read_session_cookie

NOTICES = {
    "deconnecte": "Vous êtes déconnecté(e). À bientôt !",
    "supprime": "Votre espace client est supprimé. Un e-mail de confirmation vous a été envoyé.",
    "expire": "Votre lien de connexion a expiré. Merci de vous connecter à nouveau.",
    "active": "Votre espace est activé : vous pouvez vous connecter.",
    "nouveau-mdp": "Votre mot de passe est enregistré : vous pouvez vous connecter.",
}
PENDING_LIFETIME = timedelta(minutes=10)


def method_help(method: str, *, email: str, phone: str) -> str:
    """What to type for a second factor, and where an e-mail or SMS code was sent."""
    return {
        Method.TOTP: (
            "Saisissez le code à 6 chiffres affiché par votre application d'authentification."
        ),
        Method.RECOVERY: (
            "Saisissez l'un de vos codes de secours (format XXXXX-XXXXX). Chacun ne sert qu'une "
            "fois."
        ),
        Method.EMAIL: (
            f"Nous avons envoyé un code à {mask_email(email)}. Il est valable 10 minutes."
        ),
        Method.SMS: (
            f"Nous avons envoyé un code par SMS au {account_recovery.mask_phone(phone)}. "
            "Il est valable 10 minutes."
        ),
    }[Method(method)]


def _attempt_password(identifier, password, ip, user_agent, device):
    """The password check (argon2: tens of ms), in the pool."""
    with session_scope() as db:
        return auth.attempt_password(
            session=db,
            identifier=identifier,
            password=password,
            ip=ip,
            user_agent=user_agent,
            device_token=device,
        )


class LoginState(rx.State):
    identifier_error: str = ""
    password_error: str = ""
    form_error: str = ""
    notice: str = ""
    busy: bool = False
    can_resend_activation: bool = False

    # second step
    step: str = "password"  # password | second_factor
    methods: list[str] = []
    method: str = ""
    method_help: str = ""
    code_error: str = ""

    _pending_account_id: int | None = None
    _pending_until: datetime | None = None

    @rx.var
    def method_choices(self) -> list[list[str]]:
        return [[m, METHOD_LABELS[Method(m)]] for m in self.methods if m != self.method]

    @blocking_event
    def on_load(self):
        self._reset_form()
        self.notice = NOTICES.get(self.router.url.query_parameters.get("info", ""), "")
        with session_scope() as db:
            principal = sessions.validate(
                session=db, token=read_session_cookie(self.router.headers.cookie)
            )
        if principal and principal.holder_id:
            return rx.redirect(routes.safe_next(self._next()), replace=True)
        return None

    def _reset_form(self) -> None:
        self.identifier_error = self.password_error = self.form_error = self.code_error = ""
        self.busy = self.can_resend_activation = False
        self.step, self.methods, self.method, self.method_help = "password", [], "", ""
        self._pending_account_id = self._pending_until = None

    def _next(self) -> str:
        return self.router.url.query_parameters.get("suite", "")

    def _client(self) -> tuple[str, str]:
        return client_ip(self.router), self.router.headers.user_agent

    @rx.event
    async def submit(self, form_data: dict):
        identifier = str(form_data.get("identifier", "")).strip()[:254]
        password = str(form_data.get("password", ""))[:512]
        self.identifier_error = (
            "" if identifier else "Saisissez votre adresse e-mail ou votre numéro de contrat."
        )
        self.password_error = "" if password else "Saisissez votre mot de passe."
        self.form_error = self.notice = ""
        self.can_resend_activation = False
        if self.identifier_error or self.password_error:
            return None
        ip, user_agent = self._client()
        device = read_cookie(self.router.headers.cookie, get_settings().device_cookie_name)
        attempt = await off_loop(_attempt_password, identifier, password, ip, user_agent, device)
        if attempt.delay_seconds:
            await asyncio.sleep(attempt.delay_seconds)
        return await off_loop(self._after_password, attempt)

    def _after_password(self, attempt):
        if attempt.outcome in (Outcome.FAILED, Outcome.THROTTLED):
            self.form_error = attempt.message
            return None
        self._pending_account_id = attempt.account_id
        self._pending_until = utcnow() + PENDING_LIFETIME
        if attempt.outcome is Outcome.NOT_ACTIVATED:
            self.form_error = attempt.message
            self.can_resend_activation = True
            return None
        if attempt.outcome is Outcome.SECOND_FACTOR:
            self.step = "second_factor"
            self.methods = [str(m) for m in attempt.methods]
            self._select(self.methods[0], sent=True)
            return None
        return self._finish(trust=False)

    def _pending(self) -> int | None:
        if (
            self._pending_account_id is None
            or self._pending_until is None
            or self._pending_until < utcnow()
        ):
            return None
        return self._pending_account_id

    def _select(self, method: str, *, sent: bool = False) -> None:
        self.method, self.code_error = method, ""
        with session_scope() as db:
            account, holder = accounts.account_and_holder(
                session=db, account_id=self._pending_account_id
            )
            self.method_help = method_help(method, email=account.email, phone=holder.phone)
            if method in (Method.EMAIL, Method.SMS) and not sent:
                try:
                    one_time_codes.send_code(
                        session=db, account=account, purpose="login", channel=method
                    )
                except one_time_codes.CodeThrottled as error:
                    self.code_error = str(error)

    @blocking_event
    def choose_method(self, method: str):
        if self._pending() is None:
            return self._expired()
        if method in self.methods:
            self._select(method)
        return None

    @blocking_event
    def resend_code(self):
        if self._pending() is None:
            return self._expired()
        if self.method in (Method.EMAIL, Method.SMS):
            self._select(self.method)
            if not self.code_error:
                self.method_help = (
                    "Un nouveau code vient d'être envoyé. " + self.method_help.split(". ", 1)[-1]
                )
        return None

    @blocking_event
    def verify(self, form_data: dict):
        account_id = self._pending()
        if account_id is None:
            return self._expired()
        code = str(form_data.get("code", "")).strip()[:20]
        if not code:
            self.code_error = "Saisissez le code."
            return None
        ip, user_agent = self._client()
        try:
            with (
                session_scope() as db
            ):  # a wrong code is counted by the service, whatever happens here
                auth.verify_second_factor(
                    session=db,
                    account_id=account_id,
                    method=self.method,
                    code=code,
                    ip=ip,
                    user_agent=user_agent,
                )
        except second_factor.SecondFactorError as error:
            self.code_error = str(error)
            return None
        return self._finish(trust=bool(form_data.get("trust")))

    def _expired(self):
        self._reset_form()
        self.form_error = "Votre connexion a expiré : saisissez à nouveau votre mot de passe."
        return None

    @blocking_event
    def back(self):
        self._reset_form()

    @blocking_event
    def resend_activation(self):
        account_id = self._pending()
        if account_id is None:
            return self._expired()
        try:
            with session_scope() as db:
                signup.resend_activation(session=db, account_id=account_id)
        except accounts.AccountError as error:
            self.form_error = str(error)
            return None
        self.form_error = ""
        self.can_resend_activation = False
        self.notice = "Un nouvel e-mail d'activation vient de vous être envoyé."
        return None

    def _finish(self, *, trust: bool):
        ip, user_agent = self._client()
        binding = new_token()
        with session_scope() as db:
            code = sessions.begin_login(
                session=db,
                account_id=self._pending_account_id,
                ip_address=ip,
                user_agent=user_agent,
                trust_device=trust,
                binding=binding,
            )
        self._pending_account_id = self._pending_until = None
        self.busy = True
        return handoff_navigation(code, binding, routes.safe_next(self._next()))
