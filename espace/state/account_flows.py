"""Public account flows: sign-up, activation, forgotten password, lost e-mail access, 'pas moi'."""

from __future__ import annotations

from datetime import date, datetime

import reflex as rx

from espace import routes
from espace.contracts import portfolio
from espace.core.db import session_scope
from espace.core.models import today_paris, utcnow
from espace.identity import account_recovery, accounts, signup
from espace.identity.account_recovery import mask_email
from espace.identity.accounts import AccountError
from espace.state.handlers import blocking_event
from espace.state.session import client_ip

IDENTITY_FIELDS = ("contract", "last_name", "birth_date", "postal_code")
REQUIRED = {
    "contract": "Saisissez votre numéro de contrat (MRH suivi de 7 chiffres).",
    "last_name": "Saisissez votre nom de famille.",
    "birth_date": "Saisissez votre date de naissance.",
    "postal_code": "Saisissez le code postal du logement assuré.",
}


def parse_birth_date(raw: str) -> date | None:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value if date(1900, 1, 1) <= value <= today_paris() else None


def link_token(state: rx.State) -> str:
    """The token of a link sent by e-mail (``?jeton=…``)."""
    return state.router.url.query_parameters.get("jeton", "")[:100]


class IdentityForm(rx.State):
    """Contract number, last name, birth date and postal code, with an error next to each."""

    errors: dict[str, str] = {}
    form_error: str = ""

    def _field_errors(self, form: dict) -> dict[str, str]:
        errors = {
            name: message
            for name, message in REQUIRED.items()
            if not str(form.get(name, "")).strip()
        }
        if "birth_date" not in errors and parse_birth_date(str(form.get("birth_date", ""))) is None:
            errors["birth_date"] = "Date de naissance invalide : utilisez le format jj/mm/aaaa."
        return errors

    def _identity(self, form: dict):
        """The matching holder, or None with errors set."""
        self.errors = self._field_errors(form)
        self.form_error = ""
        if self.errors:
            return None
        try:
            with session_scope() as db:
                holder = signup.verify_identity(
                    session=db,
                    contract_number=str(form["contract"]),
                    last_name=str(form["last_name"])[:100],
                    birth_date=parse_birth_date(str(form["birth_date"])),
                    postal_code=str(form["postal_code"])[:10],
                    ip=client_ip(self.router),
                    user_agent=self.router.headers.user_agent,
                )
                db.expunge(holder)
                return holder
        except AccountError as error:
            self.form_error = str(error)
            return None

    def _restart(self) -> None:
        """Fresh form: own fields and the shared errors (parent vars are not reset by reset())."""
        self.reset()
        self.errors, self.form_error = {}, ""

    def _apply(self, error: AccountError) -> None:
        if error.field:
            self.errors = {**self.errors, error.field: str(error)}
        else:
            self.form_error = str(error)


class SignupState(IdentityForm):
    step: str = "identity"  # identity | credentials | sent
    holder_first_name: str = ""
    sent_to: str = ""
    notice: str = ""
    _holder_id: int | None = None
    _account_id: int | None = None
    _email: str = ""  # the address typed, when it already had an espace (nothing was created)
    _sent_times: list[
        str
    ] = []  # ISO times of this sign-up's e-mails, for the same "send again" limits

    @blocking_event
    def on_load(self):
        self._restart()

    @blocking_event
    def check_identity(self, form: dict):
        holder = self._identity(form)
        if holder is None:
            return
        with session_scope() as db:
            exists = accounts.account_of_holder(session=db, holder_id=holder.id) is not None
        if exists:
            self.form_error = signup.ACCOUNT_EXISTS_MESSAGE
            return
        self._holder_id, self.holder_first_name, self.step = (
            holder.id,
            holder.first_name,
            "credentials",
        )

    @blocking_event
    def create(self, form: dict):
        if self._holder_id is None:
            self.step = "identity"
            return
        self.errors, self.form_error = {}, ""
        try:
            with session_scope() as db:
                holder = portfolio.holder(session=db, holder_id=self._holder_id)
                email = str(form.get("email", ""))[:254]
                account = signup.sign_up(
                    session=db,
                    holder=holder,
                    email=email,
                    password=str(form.get("password", ""))[:512],
                    confirm=str(form.get("confirm", ""))[:512],
                )
        except AccountError as error:
            self._apply(error)
            return
        # A new account or an address that already had one (its owner is told by e-mail): the same
        # answer.
        email = accounts.clean_email(email)
        self._account_id = account.id if account is not None else None
        self._email = "" if account is not None else email
        self.sent_to, self._sent_times = mask_email(email), [utcnow().isoformat()]
        self.step = "sent"

    @blocking_event
    def resend(self):
        if self._account_id is None and not self._email:
            return
        try:
            with session_scope() as db:
                if self._account_id is not None:
                    signup.resend_activation(session=db, account_id=self._account_id)
                else:
                    signup.resend_address_warning(
                        session=db,
                        email=self._email,
                        previous=[datetime.fromisoformat(at) for at in self._sent_times],
                    )
            self._sent_times = [*self._sent_times, utcnow().isoformat()][-10:]
            self.notice, self.form_error = "Un nouvel e-mail vient de vous être envoyé.", ""
        except AccountError as error:
            self.form_error, self.notice = str(error), ""


class LinkState(rx.State):
    """Pages opened from an e-mail link: activation and 'ce n'était pas moi'."""

    outcome: str = ""  # ok | invalid

    def _token(self) -> str:
        return link_token(self)

    @blocking_event
    def activate(self):
        with session_scope() as db:
            self.outcome = "ok" if signup.activate(session=db, token=self._token()) else "invalid"
        if self.outcome == "ok":
            return rx.redirect(f"{routes.LOGIN}?info=active", replace=True)
        return None

    @blocking_event
    def not_me(self):
        with session_scope() as db:
            self.outcome = (
                "ok"
                if account_recovery.report_not_me(session=db, token=self._token())
                else "invalid"
            )


class ForgotState(rx.State):
    step: str = "request"  # request | sent | sms | done
    identifier_error: str = ""
    code_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""
    _account_id: int | None = None

    @rx.event
    def on_load(self):
        self.reset()

    @blocking_event
    def request(self, form: dict):
        identifier = str(form.get("identifier", "")).strip()[:254]
        channel = "sms" if form.get("channel") == "sms" else "email"
        self.identifier_error = (
            "" if identifier else "Saisissez votre adresse e-mail ou votre numéro de contrat."
        )
        if self.identifier_error:
            return
        with session_scope() as db:
            account_id = account_recovery.request_reset(
                session=db,
                identifier=identifier,
                channel=channel,
                ip=client_ip(self.router),
                user_agent=self.router.headers.user_agent,
            )
        self._account_id = account_id if channel == "sms" else None
        self.step = "sms" if channel == "sms" else "sent"

    @blocking_event
    def reset_by_code(self, form: dict):
        self.code_error = self.password_error = self.confirm_error = self.form_error = ""
        code = str(form.get("code", "")).strip()
        if not code:
            self.code_error = "Saisissez le code reçu par SMS."
            return
        try:
            with (
                session_scope() as db
            ):  # a wrong code stays counted: the service commits the try itself
                account_recovery.reset_with_code(
                    session=db,
                    account_id=self._account_id,
                    code=code[:20],
                    password=str(form.get("password", ""))[:512],
                    confirm=str(form.get("confirm", ""))[:512],
                )
        except AccountError as error:
            setattr(self, f"{error.field}_error" if error.field else "form_error", str(error))
            return
        return rx.redirect(f"{routes.LOGIN}?info=nouveau-mdp")


class ResetState(rx.State):
    valid: bool = False
    loaded: bool = False
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""

    @blocking_event
    def on_load(self):
        self.reset()
        with session_scope() as db:
            self.valid = (
                accounts.peek_token(session=db, token=self._token(), purpose="reset") is not None
            )
        self.loaded = True

    def _token(self) -> str:
        return link_token(self)

    @blocking_event
    def save(self, form: dict):
        self.password_error = self.confirm_error = self.form_error = ""
        try:
            with session_scope() as db:
                account_recovery.reset_with_token(
                    session=db,
                    token=self._token(),
                    password=str(form.get("password", ""))[:512],
                    confirm=str(form.get("confirm", ""))[:512],
                )
        except AccountError as error:
            setattr(self, f"{error.field}_error" if error.field else "form_error", str(error))
            return None
        return rx.redirect(f"{routes.LOGIN}?info=nouveau-mdp")


class LostAccessState(IdentityForm):
    step: str = "identity"  # identity | sms | request | done
    masked_phone: str = ""
    _account_id: int | None = None

    @blocking_event
    def on_load(self):
        self._restart()

    @blocking_event
    def check_identity(self, form: dict):
        holder = self._identity(form)
        if holder is None:
            return
        with session_scope() as db:
            start = account_recovery.start_recovery(
                session=db,
                holder=holder,
                contact_email=str(form.get("contact_email", "")).strip()[:254],
                message=str(form.get("message", "")).strip()[:1000],
            )
        if start.kind == "sms":
            self._account_id, self.masked_phone, self.step = (
                start.account_id,
                start.masked_phone,
                "sms",
            )
        else:
            self.step = "request"

    @blocking_event
    def finish(self, form: dict):
        if self._account_id is None:
            self.step = "identity"
            return
        self.errors, self.form_error = {}, ""
        if not str(form.get("code", "")).strip():
            self.errors = {"code": "Saisissez le code reçu par SMS."}
            return
        try:
            with (
                session_scope() as db
            ):  # a wrong code stays counted: the service commits the try itself
                account_recovery.finish_recovery(
                    session=db,
                    account_id=self._account_id,
                    code=str(form["code"])[:20],
                    new_email=str(form.get("email", ""))[:254],
                    password=str(form.get("password", ""))[:512],
                    confirm=str(form.get("confirm", ""))[:512],
                )
        except AccountError as error:
            self._apply(error)
            return
        self.step = "done"
