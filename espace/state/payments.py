"""'Mes paiements': schedule, history, debit day and frequency, bank accounts and SEPA mandates,
exports.

The full IBAN never enters a State var: accounts are shown masked, and the IBAN typed in the
form goes straight to the service (which encrypts it) without being kept."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import reflex as rx

from espace import routes
from espace.billing import bank_accounts, bank_details, mandates, payment_changes, payments, refunds
from espace.billing.bank_accounts import BankAccountError
from espace.billing.payment_changes import PaymentChangeError
from espace.contracts import labels, portfolio
from espace.contracts.models import ContractStatus
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.identity.stepup import StepUpProof, StepUpRequired
from espace.state.handlers import holder_event
from espace.state.payment_rows import (
    PAYMENT_STEP_UP_REASONS,
    AccountRow,
    ContractBilling,
    PaymentRow,
    PreviewRow,
    RefundView,
    YearTotal,
    _int,
    _row,
    _today,
    account_row,
    contract_billing,
    debit_day_preview_row,
    frequency_preview_row,
    refund_view,
)
from espace.state.session import SessionState, client_ip
from espace.state.stepup import StepUpMixin


class PaymentsState(SessionState, StepUpMixin):
    STEP_UP_REASONS: ClassVar[dict[str, str]] = PAYMENT_STEP_UP_REASONS
    ALWAYS_ASK: ClassVar[frozenset[str]] = frozenset(
        {"sign_mandate"}
    )  # a signature is never implied by an earlier check

    loaded: bool = False
    flash: str = ""
    rejected: list[PaymentRow] = []
    upcoming: list[PaymentRow] = []
    history: list[PaymentRow] = []
    refunds: list[RefundView] = []
    refund_awaiting_account: bool = False
    totals: list[YearTotal] = []
    history_total: str = ""
    year_options: list[list[str]] = []
    contracts: list[ContractBilling] = []
    contract_options: list[list[str]] = []
    f_year: str = ""
    f_contract: str = ""

    accounts: list[AccountRow] = []
    account_errors: dict[str, str] = {}
    account_form_version: int = 0
    accounts_error: str = ""

    change_contract: str = ""
    change_kind: str = ""  # debit_day | frequency
    change_value: str = ""
    change_preview: list[PreviewRow] = []
    change_note: str = ""
    change_errors: dict[str, str] = {}
    frequency_rules: str = " ".join(payment_changes.FREQUENCY_RULES)
    debit_day_rules: str = " ".join(payment_changes.DEBIT_DAY_RULES)

    export_start: str = ""
    export_end: str = ""

    _mandate_account_id: int = 0
    _remove_account_id: int = 0

    def _me(self) -> Principal | None:
        return self._holder_principal()

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self.flash, self.change_preview, self.change_errors, self.account_errors = "", [], {}, {}
        self.accounts_error, self._mandate_account_id, self._remove_account_id = "", 0, 0
        self._stepup_clear()
        today = _today()
        self.export_start = date(today.year - 1, 1, 1).isoformat()
        self.export_end = date(today.year - 1, 12, 31).isoformat()
        self.f_year, self.f_contract = (
            str(today.year),
            "",
        )  # the current year first; "les 10 dernières années" on demand
        self._refresh(me.holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int, *, history: bool = True, accounts: bool = True) -> None:
        """Read the page again; a change of schedule leaves the history (past payments) and the
        bank accounts as they are, so it skips them (``history=False, accounts=False``)."""
        today = _today()
        with session_scope() as db:
            owned = portfolio.holder_contracts(session=db, holder_id=holder_id)
            self.contract_options = [[str(c.id), f"{c.number} · {p.city}"] for c, p in owned]
            self.contracts = [
                contract_billing(c, p) for c, p in owned if c.status == ContractStatus.ACTIVE
            ]
            self.refunds = [
                refund_view(r) for r in refunds.for_holder(session=db, holder_id=holder_id)
            ]
            self.refund_awaiting_account = any(r.needs_iban for r in self.refunds)
            rows = payments.schedule(session=db, holder_id=holder_id, today=today)
            self.upcoming = [_row(r) for r in rows if r.status == "scheduled"]
            self.rejected = [_row(r) for r in rows if r.status == "rejected"]
            if history:
                self._refresh_history(db, holder_id, today)
            if accounts:
                self._refresh_accounts(db, holder_id)

    def _refresh_history(self, db, holder_id: int, today: date) -> None:
        result = payments.history(
            session=db,
            holder_id=holder_id,
            today=today,
            year=_int(self.f_year),
            contract_id=_int(self.f_contract),
        )
        self.history = [_row(r) for r in result.rows]
        self.totals = [
            YearTotal(str(year), fmt.money(total), str(count))
            for year, total, count in result.yearly_totals
        ]
        self.history_total = fmt.money(result.total_cents)
        self.year_options = [[str(y), str(y)] for y in result.years_available]

    def _refresh_accounts(self, db, holder_id: int) -> None:
        self.accounts = []
        owned_accounts = bank_accounts.list_accounts(session=db, holder_id=holder_id)
        active = mandates.active_mandates_for(
            session=db, account_ids=[a.id for a in owned_accounts]
        )
        for account in owned_accounts:
            mandate = active.get(account.id)
            self.accounts.append(account_row(account, mandate))

    # ----- history filters -----

    @holder_event
    def filter_history(self, me: Principal, form: dict):
        self.f_year = str(form.get("f_year") or "")[:4]
        self.f_contract = str(form.get("f_contract") or "")[:10]
        self._refresh(me.holder_id)
        return None

    # ----- bank accounts and mandates -----

    @holder_event
    def add_account(self, me: Principal, form: dict):
        fields = {
            "iban": str(form.get("iban") or "")[:60],
            "bic": str(form.get("bic") or "")[:20],
            "account_holder": str(form.get("account_holder") or "")[:140],
            "label": str(form.get("label") or "")[:60],
        }
        errors = bank_details.check_fields(**fields).errors
        if errors:  # what can be checked before the second factor
            self.account_errors = dict(errors)
            return None
        proof = self._recent_proof(me)
        if (
            proof is None
        ):  # the IBAN is not kept here: after the check, the browser submits the form again
            self.account_errors = {}
            return self._with_step_up("add_account")
        try:
            with session_scope() as db:
                bank_accounts.add_account(
                    session=db, holder_id=me.holder_id, authority=proof, **fields
                )
        except StepUpRequired:
            return self._with_step_up("add_account")
        except BankAccountError as error:
            self.account_errors = dict(error.errors)
            return None
        self.account_errors = {}
        self.account_form_version += 1  # the IBAN typed leaves the page: the form is rebuilt empty
        self.flash = "Compte ajouté. Signez le mandat de prélèvement pour l'utiliser."
        self._refresh(me.holder_id)
        return None

    @holder_event
    def ask_sign_mandate(self, me: Principal, account_id: int):
        with session_scope() as db:
            owned = (
                bank_accounts.owned_account(
                    session=db, holder_id=me.holder_id, account_id=_int(account_id)
                )
                if _int(account_id) is not None
                else None
            )
        if owned is None:
            self.accounts_error = "Ce compte est introuvable."
            return None
        self._mandate_account_id = owned.id
        return self._with_step_up("sign_mandate")

    def _run_stepped_up(self, action: str, me: Principal, proof: StepUpProof):
        if action == "add_account":
            return rx.call_script("document.getElementById('account-form').requestSubmit()")
        if action == "remove_account":
            return self._remove(me, proof)
        if action != "sign_mandate" or not self._mandate_account_id:
            return None
        try:
            with session_scope() as db:
                mandate = mandates.sign_mandate(
                    session=db,
                    holder_id=me.holder_id,
                    account_id=self._mandate_account_id,
                    signed_ip=client_ip(self.router),
                    authority=proof,
                )
                reference = mandate.reference
        except BankAccountError as error:
            self.accounts_error = next(iter(error.errors.values()), "Ce compte est introuvable.")
            return None
        self._mandate_account_id = 0
        self.accounts_error = ""
        self.flash = f"Mandat {reference} signé : il est dans vos documents."
        self._refresh(me.holder_id)
        return None

    @holder_event
    def make_default(self, me: Principal, account_id: int):
        try:
            with session_scope() as db:
                bank_accounts.set_default(
                    session=db, holder_id=me.holder_id, account_id=_int(account_id) or 0
                )
        except BankAccountError as error:
            self.accounts_error = next(iter(error.errors.values()), "Action impossible.")
            return None
        self.accounts_error, self.flash = (
            "",
            "Ce compte sera utilisé pour vos prochains prélèvements.",
        )
        self._refresh(me.holder_id)
        return None

    @holder_event
    def remove_account(self, me: Principal, account_id: int):
        """Removing an account revokes its mandates: after a step-up (or within 5 minutes of
        one)."""
        with session_scope() as db:
            owned = (
                bank_accounts.owned_account(
                    session=db, holder_id=me.holder_id, account_id=_int(account_id)
                )
                if _int(account_id) is not None
                else None
            )
        if owned is None:
            self.accounts_error = "Ce compte est introuvable."
            return None
        self._remove_account_id = owned.id
        return self._with_step_up("remove_account")

    def _remove(self, me: Principal, proof: StepUpProof):
        account_id, self._remove_account_id = self._remove_account_id, 0
        if not account_id:
            return None
        try:
            with session_scope() as db:
                bank_accounts.remove_account(
                    session=db, holder_id=me.holder_id, account_id=account_id, authority=proof
                )
        except BankAccountError as error:
            self.accounts_error = next(iter(error.errors.values()), "Action impossible.")
            return None
        self.accounts_error, self.flash = "", "Le compte a été retiré."
        self._refresh(me.holder_id)
        return None

    # ----- debit day and frequency -----

    @holder_event
    def preview_change(self, me: Principal, form: dict):
        self.change_contract = str(form.get("contract_id") or "")[:10]
        self.change_kind = str(form.get("kind") or "")[:12]
        self.change_value = str(form.get("value") or "")[:12]
        self.change_preview, self.change_note = [], ""
        if _int(self.change_contract) is None:
            self.change_errors = {"contract": "Choisissez le contrat."}
            return None
        try:
            with session_scope() as db:
                if self.change_kind == "debit_day":
                    day = _int(self.change_value) or 0
                    moved = payment_changes.debit_day_preview(
                        session=db,
                        holder_id=me.holder_id,
                        contract_id=int(self.change_contract),
                        day=day,
                        today=_today(),
                    )
                    rows = [debit_day_preview_row(r) for r in moved]
                    self.change_note = f"Vos prochains prélèvements auront lieu le {day} du mois."
                else:
                    preview = payment_changes.frequency_preview(
                        session=db,
                        holder_id=me.holder_id,
                        contract_id=int(self.change_contract),
                        frequency=self.change_value,
                        today=_today(),
                    )
                    rows = [frequency_preview_row(r) for r in preview.rows]
                    self.change_note = preview.notice
        except PaymentChangeError as error:
            self.change_errors = dict(error.errors)
            return None
        self.change_errors = {}
        self.change_preview = rows
        if not rows:
            self.change_errors = {
                self.change_kind or "contract": "Aucune échéance à venir n'est concernée."
            }
        return None

    @holder_event
    def confirm_change(self, me: Principal):
        if (
            not self.change_preview
            or _int(self.change_contract) is None
            or (self.change_kind == "debit_day" and _int(self.change_value) is None)
        ):
            return None
        try:
            with session_scope() as db:
                if self.change_kind == "debit_day":
                    payment_changes.change_debit_day(
                        session=db,
                        holder_id=me.holder_id,
                        contract_id=int(self.change_contract),
                        day=int(self.change_value),
                        today=_today(),
                    )
                    self.flash = f"Date de prélèvement changée : le {self.change_value} du mois."
                else:
                    payment_changes.change_frequency(
                        session=db,
                        holder_id=me.holder_id,
                        contract_id=int(self.change_contract),
                        frequency=self.change_value,
                        today=_today(),
                    )
                    self.flash = (
                        "Fractionnement changé : "
                        f"{labels.PAYMENT_FREQUENCY.get(self.change_value, '').lower()}."
                    )
        except PaymentChangeError as error:
            self.change_errors = dict(error.errors)
            return None
        self.change_preview, self.change_errors, self.change_note = [], {}, ""
        self._refresh(me.holder_id, history=False, accounts=False)  # only coming debits moved
        return None

    @rx.event
    def cancel_change(self):
        self.change_preview, self.change_errors, self.change_note = [], {}, ""

    # ----- exports -----

    @rx.event
    def set_export_start(self, value: str):
        self.export_start = str(value)[:10]

    @rx.event
    def set_export_end(self, value: str):
        self.export_end = str(value)[:10]

    @rx.var
    def export_csv_url(self) -> str:
        return f"{routes.PAYMENTS_EXPORT}?format=csv&du={self.export_start}&au={self.export_end}"

    @rx.var
    def export_ofx_url(self) -> str:
        return f"{routes.PAYMENTS_EXPORT}?format=ofx&du={self.export_start}&au={self.export_end}"
