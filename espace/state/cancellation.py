"""/contrat/resilier?n=…: "Résilier mon contrat" (the holder; the back office's pages:
``state/staff_cancellations.py``).

Thin: each handler re-checks the session and calls one function of ``lifecycle.cancellation*``,
which checks ownership, the ground, the files and the step-up proof itself. The contract's id and
the files received stay server-side (backend vars); only display strings go to the browser."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from espace import routes
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.identity.stepup import StepUpProof
from espace.lifecycle import cancellation, cancellation_rules, cancellation_views
from espace.lifecycle.cancellation import UploadedFile
from espace.lifecycle.cancellation_rules import (
    EVENT_LABELS,
    FILE_HELP,
    GROUND_LABELS,
    CancellationError,
    CancellationRequest,
)
from espace.state.handlers import holder_event, off_loop
from espace.state.session import SessionState
from espace.state.stepup import StepUpMixin

GROUND_OPTIONS = [[str(value), label] for value, label in GROUND_LABELS.items()]
FIELDS = (
    "ground",
    "event_date",
    "details",
    "new_insurer_name",
    "new_insurer_address",
    "new_insurer_contract",
)


def _text(form: dict, name: str, limit: int) -> str:
    return str(form.get(name, "") or "").strip()[:limit]


def request_from(values: dict) -> CancellationRequest:
    return CancellationRequest(
        ground=values.get("ground", ""),
        event_date=fmt.parse_iso_date(values.get("event_date", "")),
        details=values.get("details", ""),
        new_insurer_name=values.get("new_insurer_name", ""),
        new_insurer_address=values.get("new_insurer_address", ""),
        new_insurer_contract=values.get("new_insurer_contract", ""),
    )


class CancellationState(SessionState, StepUpMixin):
    loaded: bool = False
    found: bool = False
    number: str = ""
    formula: str = ""
    address: str = ""
    hamon_from: str = ""
    anniversary: str = ""
    chatel_deadline: str = ""
    ground: str = ""
    event_label: str = ""
    file_help: str = ""
    files: list[str] = []
    errors: dict[str, str] = {}
    # the preview, shown before confirming
    previewed: bool = False
    effective: str = ""
    last_day: str = ""
    refund: str = ""
    debits: str = ""
    explanation: str = ""
    # the acknowledgement
    done: bool = False
    reference: str = ""
    received: str = ""
    ack_effective: str = ""
    ack_refund: str = ""
    ack_url: str = ""

    _contract_id: int = 0
    _values: dict[str, str] = {}
    _files: list[tuple[str, bytes]] = []

    STEP_UP_REASONS: ClassVar[dict[str, str]] = {
        "cancel": "La résiliation de votre contrat est confirmée par un code à usage unique."
    }
    ALWAYS_ASK: ClassVar[frozenset[str]] = frozenset({"cancel"})

    def _me(self) -> Principal | None:
        return self._holder_principal()

    def _show_existing(self, row: cancellation_views.CancellationRow) -> None:
        self.done, self.reference = True, row.reference
        self.received = fmt.datetime_fr(row.received_at)
        self.ack_effective = fmt.date_fr(row.effective_date)
        self.ack_refund = fmt.money(row.refund_cents)
        self.ack_url = routes.document_url(row.document_id) if row.document_id else ""

    @holder_event
    def load(self, me: Principal):
        me = self._holder_principal()
        if me is None:
            return self._to_login()
        self.reset()
        self._load_header(me.holder_id)
        with session_scope() as db:
            view = cancellation_views.screen(
                session=db,
                holder_id=me.holder_id,
                number=self.router.url.query_parameters.get("n", ""),
                today=today_paris(),
            )
        self.loaded = True
        if view is None:  # unknown, or another holder's: the same answer
            return None
        self.found, self._contract_id = True, view.contract_id
        self.number, self.formula, self.address = view.contract_number, view.formula, view.address
        self.hamon_from = fmt.date_fr(view.hamon_from)
        self.anniversary = fmt.date_fr(view.next_anniversary)
        self.chatel_deadline = fmt.date_fr(view.chatel_deadline)
        if view.existing is not None:
            self._show_existing(view.existing)
        return None

    @rx.event
    def choose_ground(self, value: str):
        self.ground = value if value in GROUND_LABELS else ""
        self.event_label = EVENT_LABELS.get(self.ground, "")
        self.file_help = FILE_HELP.get(self.ground, "") if self.ground else ""
        self.previewed, self.errors = False, {}

    @holder_event
    async def upload(self, me: Principal, files: list[rx.UploadFile]):
        received = [(await upload.read(), upload.name or "fichier") for upload in files]
        return await off_loop(self._check_files, received)

    def _check_files(self, received: list[tuple[bytes, str]]):
        errors = {}
        for data, filename in received:
            try:
                name = cancellation.check_file(
                    data=data, filename=filename, existing_count=len(self._files)
                )
            except CancellationError as error:
                errors = error.errors
                continue
            self._files = [*self._files, (name, data)]
        self.files = [name for name, _ in self._files]
        self.errors = errors
        return None

    @rx.event
    def remove_file(self, index: int):
        if 0 <= int(index) < len(self._files):
            self._files = [f for i, f in enumerate(self._files) if i != int(index)]
        self.files = [name for name, _ in self._files]

    @holder_event
    def preview(self, me: Principal, form: dict):
        me = self._holder_principal()
        if me is None:
            return self._to_login()
        self._values = {name: _text(form, name, 1000) for name in FIELDS}
        self._values["ground"] = self._values["ground"] or self.ground
        try:
            with session_scope() as db:
                plan = cancellation_rules.preview(
                    session=db,
                    holder_id=me.holder_id,
                    contract_id=self._contract_id,
                    request=request_from(self._values),
                    today=today_paris(),
                )
        except CancellationError as error:
            self.errors, self.previewed = error.errors, False
            return None
        self.errors, self.previewed = {}, True
        self.effective, self.last_day = fmt.date_fr(plan.effective_date), fmt.date_fr(plan.last_day)
        self.refund = fmt.money(plan.refund_cents)
        cancelled = plan.cancelled_debits
        self.debits = (
            f"{cancelled} prélèvement{'s' if cancelled > 1 else ''} à venir annulé"
            f"{'s' if cancelled > 1 else ''} ({fmt.money(plan.cancelled_cents)})"
            if cancelled
            else "Aucun prélèvement à venir à annuler"
        ) + (
            f" ; échéance en cours réduite de {fmt.money(plan.adjusted_cents)}"
            if plan.adjusted_cents
            else ""
        )
        self.explanation = plan.explanation
        return None

    @rx.event
    def edit(self):
        self.previewed = False

    @holder_event
    def confirm(self, me: Principal):
        if not self.previewed:
            return None
        return self._with_step_up("cancel")

    def _run_stepped_up(self, action: str, me: Principal, proof: StepUpProof):
        if action != "cancel":
            return None
        try:
            with session_scope() as db:
                row = cancellation.request_cancellation(
                    session=db,
                    holder_id=me.holder_id,
                    contract_id=self._contract_id,
                    request=request_from(self._values),
                    files=[UploadedFile(name, data) for name, data in self._files],
                    proof=proof,
                    today=today_paris(),
                )
                shown = cancellation_views.for_contract(
                    session=db, holder_id=me.holder_id, contract_id=row.contract_id
                )
        except CancellationError as error:
            self.errors, self.previewed = error.errors, False
            return None
        self._files, self.files = [], []
        self._show_existing(shown)
        return None
