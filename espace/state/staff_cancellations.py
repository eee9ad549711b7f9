"""/gestion/resiliations: the back office's list of cancellations, one cancellation's detail, its
refusal and the refund marked paid.

Thin: each handler re-checks the staff session and calls one function of
``lifecycle.cancellation_staff``, which checks the role itself."""

from __future__ import annotations

import dataclasses

from espace import routes
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.lifecycle import cancellation_rules, cancellation_staff
from espace.lifecycle.cancellation_rules import STATUS_LABELS, CancellationError
from espace.state.handlers import staff_event
from espace.state.staff import StaffSessionState


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
