"""'Mon profil': identity, contact details with inline changes (after a second factor), and their
history.

What a form sent is checked first; then the second factor is asked (always for the phone and the
e-mail, unless one was passed in the last 5 minutes for the address); only then is anything
changed or sent, from the values kept server-side (``_draft``), never from what the browser sends
with the code.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from espace.contracts import portfolio
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity import accounts, profile, profile_confirmation, profile_validation
from espace.identity.profile_validation import ProfileError
from espace.identity.sessions import Principal
from espace.identity.stepup import StepUpProof
from espace.state.account_flows import link_token
from espace.state.form_values import text as _text
from espace.state.handlers import blocking_event, holder_event
from espace.state.session import SessionState
from espace.state.stepup import StepUpMixin

FIELDS = (profile_validation.ADDRESS, profile_validation.PHONE, profile_validation.EMAIL)
ADDRESS_INPUTS = ("line1", "line2", "postal_code", "city")
FIRST_INPUT = {
    profile_validation.ADDRESS: "line1",
    profile_validation.PHONE: "new_phone",
    profile_validation.EMAIL: "new_email",
}


@dataclasses.dataclass
class ChangeRow:
    when: str = ""
    what: str = ""
    old: str = ""
    new: str = ""
    status: str = ""
    status_label: str = ""
    how: str = ""


class ProfileState(SessionState, StepUpMixin):
    STEP_UP_REASONS: ClassVar[dict[str, str]] = {
        profile_validation.ADDRESS: (
            "Pour modifier votre adresse postale, confirmez votre identité."
        ),
        profile_validation.PHONE: (
            "Pour changer de numéro de mobile, confirmez votre identité. Un code sera ensuite "
            "envoyé par SMS au nouveau numéro."
        ),
        profile_validation.EMAIL: (
            "Pour changer d'adresse e-mail, confirmez votre identité. Un lien sera ensuite envoyé "
            "à la nouvelle adresse."
        ),
    }
    ALWAYS_ASK: ClassVar[frozenset[str]] = frozenset(
        {profile_validation.PHONE, profile_validation.EMAIL}
    )

    loaded: bool = False
    flash: str = ""
    civility_name: str = ""
    birth_date: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    editing: str = ""  # "" | address | phone | email: the inline form that is open
    errors: dict[str, str] = {}  # by input name, plus "form" for the whole form
    form_version: int = 0  # bumped to redraw the forms with fresh default values
    form_values: dict[str, str] = {}  # what the forms show: the current values, or what was typed
    pending_phone: str = ""
    pending_phone_id: int = 0
    pending_email: str = ""
    pending_email_id: int = 0
    changes: list[ChangeRow] = []

    _draft: dict[str, str] = {}  # the checked values of the action waiting for its second factor

    def _me(self) -> Principal | None:
        return self._holder_principal()

    # ---- loading --------------------------------------------------------------------------------

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        self._stepup_clear()
        self.flash, self.editing, self.errors, self._draft = "", "", {}, {}
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            person = portfolio.holder(session=db, holder_id=holder_id)
            pending = profile.pending_changes(session=db, holder_id=holder_id)
            views = [profile.describe(c) for c in profile.history(session=db, holder_id=holder_id)]
            self.civility_name = f"{person.civility} {person.first_name} {person.last_name}"
            self.birth_date = fmt.date_fr(person.birth_date)
            self.email, self.phone, self.address = (
                person.email,
                fmt.phone(person.phone),
                profile.current_address(person),
            )
            current = {
                "line1": person.address_line1,
                "line2": person.address_line2,
                "postal_code": person.postal_code,
                "city": person.city,
                "new_phone": "",
                "new_email": "",
            }
        phone, mail = pending.get(profile_validation.PHONE), pending.get(profile_validation.EMAIL)
        self.pending_phone, self.pending_phone_id = (
            (fmt.phone(phone.new_value), phone.id) if phone else ("", 0)
        )
        self.pending_email, self.pending_email_id = (mail.new_value, mail.id) if mail else ("", 0)
        self.changes = [
            ChangeRow(
                fmt.datetime_fr(v.changed_at), v.what, v.old, v.new, v.status, v.status_label, v.how
            )
            for v in views
        ]
        if not self.editing:
            self.form_values = current
            self.form_version += 1

    # ---- opening and closing the inline forms ----------------------------------------------------

    @holder_event
    def edit(self, me: Principal, field: str):
        if field not in FIELDS:
            return None
        self._stepup_clear()
        self.editing, self.errors, self.flash, self._draft = "", {}, "", {}
        self._refresh(me.holder_id)  # fresh default values
        self.editing = field
        return rx.call_script(
            f"setTimeout(function(){{var e=document.getElementById('{FIRST_INPUT[field]}');"
            "if(e){e.focus();}},50)"
        )

    @holder_event
    def close_edit(self, me: Principal):
        self._stepup_clear()
        self.editing, self.errors, self._draft = "", {}, {}
        self._refresh(me.holder_id)
        return None

    def _keep_typed(self, form: dict, names: tuple[str, ...]) -> None:
        self.form_values = {**self.form_values, **{n: _text(form, n, 300) for n in names}}
        self.errors, self.flash = {}, ""

    def _show_error(self, error: ProfileError) -> None:
        self.errors = {**self.errors, (error.field or "form"): str(error)}

    # ---- submitting: checked, then the second factor ---------------------------------------------

    @holder_event
    def save_address(self, me: Principal, form: dict):
        self._keep_typed(form, ADDRESS_INPUTS)
        values = {n: self.form_values[n] for n in ADDRESS_INPUTS}
        self.errors = profile_validation.address_errors(**values)
        if self.errors:
            return None
        return self._ask(profile_validation.ADDRESS, values)

    @holder_event
    def save_phone(self, me: Principal, form: dict):
        self._keep_typed(form, ("new_phone",))
        try:
            with session_scope() as db:
                number = profile.check_new_phone(
                    session=db, holder_id=me.holder_id, phone=self.form_values["new_phone"]
                )
        except ProfileError as error:
            self._show_error(error)
            return None
        return self._ask(profile_validation.PHONE, {"phone": number})

    @holder_event
    def save_email(self, me: Principal, form: dict):
        self._keep_typed(form, ("new_email",))
        with session_scope() as db:
            current = accounts.account(session=db, account_id=me.account_id).email
        try:
            new = profile_validation.clean_new_email(self.form_values["new_email"], current=current)
        except ProfileError as error:
            self._show_error(error)
            return None
        return self._ask(
            profile_validation.EMAIL, {"email": new}
        )  # whether another account uses it: after the code

    def _ask(self, action: str, values: dict[str, str]):
        self.editing, self._draft = action, {"action": action, **values}
        return self._with_step_up(action)

    def _run_stepped_up(self, action: str, me: Principal, proof: StepUpProof):
        draft = self._draft
        if draft.get("action") != action:
            return None
        try:
            with session_scope() as db:
                if action == profile_validation.ADDRESS:
                    profile.update_address(
                        session=db,
                        holder_id=me.holder_id,
                        line1=draft["line1"],
                        line2=draft["line2"],
                        postal_code=draft["postal_code"],
                        city=draft["city"],
                        proof=proof,
                    )
                elif action == profile_validation.PHONE:
                    profile.start_phone_change(
                        session=db, holder_id=me.holder_id, phone=draft["phone"], proof=proof
                    )
                elif action == profile_validation.EMAIL:
                    profile.start_email_change(
                        session=db, holder_id=me.holder_id, email=draft["email"], proof=proof
                    )
        except ProfileError as error:  # nothing was changed or sent
            self._draft = {}
            self._show_error(error)
            return None
        # kept until done: a proof refused meanwhile asks again for the same change
        self._draft = {}
        self.flash = {
            profile_validation.ADDRESS: "Votre adresse postale est modifiée.",
            profile_validation.PHONE: "Un code vient d'être envoyé par SMS à votre nouveau numéro.",
            profile_validation.EMAIL: (
                "Demande enregistrée : un lien de confirmation vient d'être envoyé à votre "
                "nouvelle adresse."
            ),
        }[action]
        self.editing = ""  # the pending change's banner takes over for the phone and the e-mail
        self._refresh(me.holder_id)
        if action == profile_validation.PHONE:
            return rx.call_script(
                "setTimeout(function(){var e=document.getElementById('phone_code');"
                "if(e){e.focus();}},50)"
            )
        return None

    # ---- pending changes -------------------------------------------------------------------------

    @holder_event
    def confirm_phone(self, me: Principal, form: dict):
        self.errors, self.flash = {}, ""
        code = _text(form, "phone_code", 20).strip()
        if not code:
            self.errors = {"code": "Saisissez le code reçu par SMS."}
            return None
        with session_scope() as db:  # a wrong code is counted (committed) like a right one
            try:
                profile_confirmation.confirm_phone_change(
                    session=db, holder_id=me.holder_id, code=code
                )
            except ProfileError as error:
                self._show_error(error)
                return None
        self.editing, self.flash = "", "Votre numéro de mobile est modifié et vérifié."
        self._refresh(me.holder_id)
        return None

    @holder_event
    def resend_phone(self, me: Principal):
        return self._resend(
            profile_confirmation.resend_phone_code,
            "code",
            "Un nouveau code vient d'être envoyé par SMS.",
        )

    @holder_event
    def resend_email(self, me: Principal):
        return self._resend(
            profile_confirmation.resend_email_link,
            "email_link",
            "Un nouveau lien vient d'être envoyé ; le précédent ne fonctionne plus.",
        )

    def _resend(self, service, error_key: str, done: str):
        me = self._me()
        if me is None:
            return self._to_login()
        self.errors, self.flash = {}, ""
        try:
            with session_scope() as db:
                service(session=db, holder_id=me.holder_id)
        except ProfileError as error:
            self.errors = {error_key: str(error)}
            return None
        self.flash = done
        self._refresh(me.holder_id)
        return None

    @holder_event
    def cancel_change(self, me: Principal, change_id: int):
        if not str(change_id).isdigit():
            return None
        with session_scope() as db:
            cancelled = profile_confirmation.cancel_change(
                session=db, holder_id=me.holder_id, change_id=int(change_id)
            )
        self.editing, self.errors = "", {}
        self.flash = "La demande est annulée." if cancelled else ""
        self._refresh(me.holder_id)
        return None


class EmailConfirmState(rx.State):
    """The link e-mailed to a new address: works from any device, signed in or not."""

    outcome: str = ""  # "" (checking) | ok | invalid
    message: str = ""
    new_email: str = ""

    @blocking_event
    def confirm(self):
        self.outcome, self.message, self.new_email = "", "", ""
        with session_scope() as db:  # a request that can no longer succeed is cancelled (committed)
            try:
                change = profile_confirmation.confirm_email_change(
                    session=db, token=link_token(self)
                )
            except ProfileError as error:
                self.outcome, self.message = "invalid", str(error)
                return
            self.new_email = profile.mask_email(change.new_value)
        self.outcome = "ok"
