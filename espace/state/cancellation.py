"""/contrat/resilier?n=…: "Résilier mon contrat" (the holder), and /gestion/resiliations (staff).

Thin: each handler re-checks the session and calls one function of ``lifecycle.cancellation*``,
which checks ownership, the ground, the files and the step-up proof itself. The contract's id and
the files received stay server-side (backend vars); only display strings go to the browser."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from espace import routes
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.identity.stepup import StepUpProof
from espace.lifecycle import (
    cancellation,
    cancellation_rules,
    cancellation_staff,
    cancellation_views,
)
from espace.lifecycle.cancellation import UploadedFile
from espace.lifecycle.cancellation_rules import (
    EVENT_LABELS,
    FILE_HELP,
    GROUND_LABELS,
    STATUS_LABELS,
    CancellationError,
    CancellationRequest,
)
from espace.state.handlers import holder_event, off_loop, staff_event
from espace.state.session import SessionState
from espace.state.staff import StaffSessionState
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


@dataclasses.dataclass
class StaffCancellationItem:
    url: str = ""
    reference: str = ""
    contract: str = ""
    holder: str = ""
    ground: str = ""
    received: str = ""
    effective: str = ""
    refund: str = ""
    status: str = ""
    new_insurer: str = ""


class StaffCancellationsState(StaffSessionState):
    loaded: bool = False
    rows: list[StaffCancellationItem] = []
    error: str = ""

    @staff_event
    def load(self, me: Principal):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self._load_staff_header(staff_id)
        try:
            with session_scope() as db:
                rows = cancellation_staff.list_for_staff(session=db, staff_id=staff_id)
        except StaffForbidden as error:
            self.rows, self.error, self.loaded = [], str(error), True
            return None
        self.error = ""
        self.rows = [
            StaffCancellationItem(
                url=f"{routes.STAFF_CANCELLATION}?n={r.id}",
                reference=r.reference,
                contract=r.contract_number,
                holder=r.holder_name,
                ground=r.ground_label,
                received=fmt.datetime_fr(r.received_at),
                effective=fmt.date_fr(r.effective_date),
                refund=fmt.money(r.refund_cents),
                status=fmt.label(STATUS_LABELS, r.status),
                new_insurer=r.new_insurer,
            )
            for r in rows
        ]
        self.loaded = True
        return None


@dataclasses.dataclass
class StaffFileItem:
    name: str = ""
    size: str = ""
    url: str = ""


class StaffCancellationState(StaffSessionState):
    """/gestion/resiliation?n=<id>: one request, its files, refund and acknowledgement; refusal
    of an unproven ground and a refund paid by transfer. The ids (request, refund) stay on the
    server; ``lifecycle.cancellation`` and ``billing.refunds`` check the role and audit."""

    loaded: bool = False
    found: bool = False
    flash: str = ""
    errors: dict[str, str] = {}
    item: StaffCancellationItem = StaffCancellationItem()
    facts: list[list[str]] = []
    files: list[StaffFileItem] = []
    ack_url: str = ""
    refund_text: str = ""
    refund_status: str = ""
    can_mark_paid: bool = False
    can_refuse: bool = False
    refuse_help: str = ""
    refusal: str = ""
    form_version: int = 0

    _cancellation_id: int = 0
    _refund_id: int = 0

    @staff_event
    def load(self, me: Principal):
        self._load_staff_header(me.staff_id)
        param = self.router.url.query_parameters.get("n", "")[:12]
        self._cancellation_id = int(param) if param.isdigit() else 0
        self.errors, self.flash = {}, ""
        self._refresh(me.staff_id)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int) -> None:
        from espace.billing import refunds

        self._refund_id = 0
        try:
            with session_scope() as db:
                detail = cancellation_staff.detail_for_staff(
                    session=db, staff_id=staff_id, cancellation_id=self._cancellation_id
                )
        except StaffForbidden as error:
            self.found, self.errors = False, {"form": str(error)}
            return
        except LookupError:
            self.found = False
            return
        self.found = True
        r = detail.row
        self.item = StaffCancellationItem(
            url="",
            reference=r.reference,
            contract=r.contract_number,
            holder=r.holder_name,
            ground=r.ground_label,
            received=fmt.datetime_fr(r.received_at),
            effective=fmt.date_fr(r.effective_date),
            refund=fmt.money(r.refund_cents),
            status=fmt.label(STATUS_LABELS, r.status),
            new_insurer=r.new_insurer,
        )
        facts = [
            ["Motif", r.ground_label],
            ["Reçue le", fmt.datetime_fr(r.received_at)],
            ["Date d'effet", fmt.date_fr(r.effective_date)],
            ["Couvert jusqu'au", fmt.date_fr(detail.last_day)],
        ]
        if detail.event_date:
            facts.append([detail.event_label, fmt.date_fr(detail.event_date)])
        if r.new_insurer:
            facts.append(["Nouvel assureur", r.new_insurer])
        if detail.details:
            facts.append(["Précisions de l'assuré", detail.details])
        self.facts = facts
        self.files = [
            StaffFileItem(
                name=f.filename,
                size=f"{max(f.size_bytes // 1024, 1)} Ko",
                url=routes.cancellation_file_url(f.id),
            )
            for f in detail.files
        ]
        self.ack_url = routes.cancellation_ack_url(r.id) if r.document_id else ""
        refund = detail.refund
        if refund is None:
            self.refund_text, self.refund_status, self.can_mark_paid = (
                "Aucun remboursement dû.",
                "",
                False,
            )
        else:
            self._refund_id = refund.id
            where = f" sur {refund.iban_masked}" if refund.iban_masked else ""
            when = f" le {fmt.date_fr(refund.paid_at)}" if refund.paid_at else ""
            self.refund_text = (
                f"{refund.reference} — {fmt.money(refund.amount_cents)} — "
                f"{refunds.STATUS_LABELS.get(refund.status, refund.status)}{when}{where}"
            )
            self.refund_status = refund.status
            self.can_mark_paid = refund.status in (
                refunds.R.TO_PAY,
                refunds.R.SENT,
                refunds.R.AWAITING_BANK,
            )
        self.can_refuse, self.refuse_help = detail.can_refuse, detail.refuse_help
        self.refusal = (
            f"Refusée le {fmt.datetime_fr(detail.refused_at)} : {detail.refusal_reason}"
            if detail.refused_at
            else ""
        )

    def _act(self, me: Principal, call, success: str):
        self.flash = ""
        try:
            with session_scope() as db:
                call(db, me.staff_id)
        except CancellationError as error:
            self.errors = dict(error.errors)
            return None
        except StaffForbidden as error:
            self.errors = {"form": str(error)}
            return None
        except LookupError:
            self.errors = {"form": "Demande introuvable."}
            return None
        except ValueError as error:  # billing.refunds.RefundError
            self.errors = {getattr(error, "field", "") or "form": str(error)}
            return None
        self.errors, self.flash = {}, success
        self.form_version += 1
        self._refresh(me.staff_id)
        return None

    @staff_event
    def refuse(self, me: Principal, form: dict):
        reason = str(form.get("reason") or "")[: cancellation_rules.MAX_DETAILS + 1]
        cancellation_id = self._cancellation_id
        return self._act(
            me,
            lambda db, staff_id: cancellation_staff.refuse(
                session=db,
                staff_id=staff_id,
                cancellation_id=cancellation_id,
                reason=reason,
                today=today_paris(),
            ),
            "Demande refusée : le contrat, ses garanties et ses échéances sont rétablis, et "
            "l'assuré est prévenu.",
        )

    @staff_event
    def mark_refund_paid(self, me: Principal, form: dict):
        from espace.billing import refunds

        reference = str(form.get("reference") or "")[:40]
        refund_id = self._refund_id
        if not refund_id:
            self.errors = {"refund": "Aucun remboursement à marquer versé."}
            return None
        return self._act(
            me,
            lambda db, staff_id: refunds.mark_paid(
                session=db,
                refund_id=refund_id,
                via="transfer",
                reference=reference,
                staff_id=staff_id,
            ),
            "Remboursement marqué versé : l'assuré est prévenu.",
        )
