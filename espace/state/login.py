"""Sign-in form: e-mail or contract number, and password."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from espace import routes
from espace.db import session_scope
from espace.services import sessions
from espace.services.auth import LOGIN_FAILED_MESSAGE, authenticate
from espace.state.session import full_navigation, read_session_cookie

NOTICES = {
    "deconnecte": "Vous êtes déconnecté(e). À bientôt !",
    "expire": "Votre lien de connexion a expiré. Merci de vous connecter à nouveau.",
}


class LoginState(rx.State):
    identifier_error: str = ""
    password_error: str = ""
    form_error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.event
    def on_load(self):
        self.identifier_error = self.password_error = self.form_error = ""
        self.busy = False
        self.notice = NOTICES.get(self.router.url.query_parameters.get("info", ""), "")
        with session_scope() as db:
            principal = sessions.validate(session=db, token=read_session_cookie(self.router.headers.cookie))
        if principal and principal.holder_id:
            return rx.redirect(routes.safe_next(self._next()), replace=True)
        return None

    def _next(self) -> str:
        return self.router.url.query_parameters.get("suite", "")

    @rx.event
    def submit(self, form_data: dict):
        identifier = str(form_data.get("identifier", "")).strip()
        password = str(form_data.get("password", ""))
        self.identifier_error = "" if identifier else "Saisissez votre adresse e-mail ou votre numéro de contrat."
        self.password_error = "" if password else "Saisissez votre mot de passe."
        self.form_error = ""
        self.notice = ""
        if self.identifier_error or self.password_error:
            return None
        with session_scope() as db:
            account = authenticate(session=db, identifier=identifier[:254], password=password)
            if account is None:
                self.form_error = LOGIN_FAILED_MESSAGE
                return None
            code = sessions.begin_login(
                session=db,
                account_id=account.id,
                ip_address=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        self.busy = True
        target = f"{routes.HANDOFF}?code={quote(code)}&suite={quote(routes.safe_next(self._next()))}"
        return full_navigation(target)
