"""The card regularisation of a rejected debit."""

from __future__ import annotations

from espace.billing import regularisation
from espace.billing.card_payments import CardInput
from espace.contracts import portfolio
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.payment_rows import _int
from espace.state.session import SessionState


def _provider_name() -> str:
    from espace.billing.card_payments import get_provider

    try:
        return get_provider().name
    except Exception:  # noqa: BLE001 - no provider configured (production without a PSP)
        return ""


class RegularisationState(SessionState):
    """Pay a rejected instalment by card through the payment provider (3-D Secure step included)."""

    loaded: bool = False
    found: bool = False
    payment_id: int = 0
    contract: str = ""
    amount: str = ""
    due: str = ""
    reason: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    challenge: str = ""
    done: bool = False
    form_version: int = 0
    test_mode: bool = False  # the built-in test provider: its test cards are shown
    _card_payment_id: int = 0

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        self.reset()
        raw = self.router.url.query_parameters.get("p", "")
        with session_scope() as db:
            payment = (
                regularisation.owned_payment(session=db, holder_id=holder_id, payment_id=_int(raw))
                if _int(raw) is not None
                else None
            )
            if payment is not None and payment.status == "rejected":
                contract = portfolio.owned_contract_by_id(
                    session=db, holder_id=holder_id, contract_id=payment.contract_id
                )
                self.found, self.payment_id, self.contract = True, payment.id, contract.number
                self.amount, self.due = (
                    fmt.money(payment.amount_cents),
                    fmt.date_fr(payment.due_date),
                )
                self.reason = payment.rejection_reason
        self.test_mode = _provider_name() == "test"
        self.loaded = True
        return None

    @holder_event
    def pay(self, me: Principal, form: dict):
        holder_id = me.holder_id
        expiry = str(form.get("card_expiry") or "").replace(" ", "")
        month, _, year = expiry.partition("/")
        card = CardInput(
            number=str(form.get("card_number") or "")[:30],
            expiry_month=month[:2],
            expiry_year=year[:4],
            cvc=str(form.get("card_cvc") or "")[:4],
            holder_name=str(form.get("card_holder") or "")[:100],
        )
        with session_scope() as db:
            outcome = regularisation.start_card_payment(
                session=db, holder_id=holder_id, payment_id=self.payment_id, card=card
            )
        self._show(outcome)
        return None

    @holder_event
    def confirm(self, me: Principal, form: dict):
        holder_id = me.holder_id
        with session_scope() as db:
            outcome = regularisation.confirm_card_payment(
                session=db,
                holder_id=holder_id,
                card_payment_id=self._card_payment_id,
                code=str(form.get("secure_code") or "")[:12],
            )
        self._show(outcome)
        return None

    def _show(self, outcome) -> None:
        self.errors = dict(getattr(outcome, "errors", None) or {})
        self.message = outcome.message
        self.challenge = outcome.challenge_hint if outcome.status == "requires_action" else ""
        self._card_payment_id = (
            outcome.card_payment_id or 0 if outcome.status == "requires_action" else 0
        )
        self.done = outcome.status == "succeeded"
        if outcome.status in ("declined", "failed"):
            self.form_version += 1  # the card form is emptied: the number is never kept
