"""The staff claims back office: the queue (/gestion/sinistres) and one claim
(/gestion/sinistre?n=…).

Thin: every handler re-checks the staff session, then calls ``claims.workflow`` which re-checks the
role and (for experts) that the claim is theirs. Public vars hold display strings only; the claim's
id stays on the server (``_claim_id``)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import routes
from espace.claims import (
    declaration_queries,
    peril_data,
    perils,
    stages,
    workflow,
    workflow_assessment,
    workflow_permissions,
    workflow_views,
)
from espace.claims.declaration import ClaimInputError
from espace.claims.labels import AUDIT_LABELS, FILE_KIND_LABELS
from espace.claims.models import Claim, ClaimFileKind, ClaimStatus
from espace.claims.uploads import MAX_BYTES, UploadRejected
from espace.contracts import labels
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.models import utcnow
from espace.identity.models import StaffRole
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.state.form_values import flag as _flag
from espace.state.form_values import text as _text
from espace.state.handlers import off_loop, staff_event
from espace.state.staff import StaffSessionState

S = ClaimStatus
NOT_FOUND = "Dossier introuvable."

# ----- the queue's filters (also used by the page) ---------------------------------------------

STATUS_FILTERS: list[list[str]] = [["open", "En cours"], ["", "Toutes les étapes"]] + [
    [status.value, stages.label(status)] for status in S if status != S.DRAFT
]
PERIL_FILTERS: list[list[str]] = [["", "Tous les événements"]] + [
    [p.code, p.label] for p in peril_data.PERILS
]
AGE_FILTERS: list[list[str]] = [
    ["", "Toutes"],
    ["lt7", "Moins de 7 jours"],
    ["7to30", "De 7 à 30 jours"],
    ["gt30", "Plus de 30 jours"],
]
_STATUS_VALUES = {value for value, _ in STATUS_FILTERS}
_PERIL_VALUES = {value for value, _ in PERIL_FILTERS}
_AGE_VALUES = {value for value, _ in AGE_FILTERS}

# What staff may add with "Ajouter un document".
DOCUMENT_KINDS: list[list[str]] = [
    [kind.value, FILE_KIND_LABELS[kind]]
    for kind in (
        ClaimFileKind.CORRESPONDENCE,
        ClaimFileKind.QUOTE,
        ClaimFileKind.INVOICE,
        ClaimFileKind.PAYMENT_PROOF,
    )
]
CATEGORY_OPTIONS: list[list[str]] = [
    [str(code), text] for code, text in labels.GUARANTEE_CATEGORY.items()
]


def _int(text: str) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return 0


# ----- the queue -------------------------------------------------------------------------------


@dataclasses.dataclass
class QueueItem:
    number: str = ""
    url: str = ""
    holder: str = ""
    contract: str = ""
    peril: str = ""
    status: str = ""
    received: str = ""
    age: int = 0
    due: str = ""
    late: bool = False
    handler: str = ""
    expert: str = ""
    express: bool = False
    declared: str = ""
    indemnity: str = ""


def to_queue_item(row: workflow_views.QueueRow) -> QueueItem:
    return QueueItem(
        number=row.number,
        url=f"{routes.STAFF_CLAIM}?n={row.number}",
        holder=row.holder_name,
        contract=row.contract_number,
        peril=row.peril,
        status=row.status,
        received=fmt.date_fr(row.submitted_at),
        age=row.age_days,
        due=fmt.date_fr(row.due_at) or "—",
        late=row.late,
        handler=row.handler or "—",
        expert=row.expert or "—",
        express=row.express,
        declared=fmt.money(row.declared_cents),
        indemnity=fmt.money(row.indemnity_cents) or "—",
    )


class StaffClaimsState(StaffSessionState):
    loaded: bool = False
    rows: list[QueueItem] = []
    error: str = ""
    f_status: str = "open"
    f_peril: str = ""
    f_age: str = ""
    f_late: bool = False
    f_mine: bool = False

    @rx.var
    def active_filters(self) -> int:
        """How many filters narrow the default view (shown on the folded filters of a phone)."""
        return sum(
            (
                self.f_status != "open",
                self.f_peril != "",
                self.f_age != "",
                self.f_late,
                self.f_mine,
            )
        )

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _filters(self) -> workflow_views.QueueFilters:
        return workflow_views.QueueFilters(
            status=self.f_status,
            peril=self.f_peril,
            age=self.f_age,
            late_only=self.f_late,
            mine_only=self.f_mine,
        )

    def _refresh(self, staff_id: int) -> None:
        try:
            with session_scope() as db:
                found = workflow_views.queue(session=db, staff_id=staff_id, filters=self._filters())
        except StaffForbidden as error:
            self.rows, self.error = [], str(error)
            return
        self.error = ""
        self.rows = [to_queue_item(row) for row in found]

    def _set_filters(self, *, status=None, peril=None, age=None, late=None, mine=None) -> None:
        if status is not None:
            self.f_status = status if status in _STATUS_VALUES else "open"
        if peril is not None:
            self.f_peril = peril if peril in _PERIL_VALUES else ""
        if age is not None:
            self.f_age = age if age in _AGE_VALUES else ""
        if late is not None:
            self.f_late = bool(late)
        if mine is not None:
            self.f_mine = bool(mine)

    def _apply(self, **changes):
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self._set_filters(**changes)
        self._refresh(staff_id)
        return None

    @staff_event
    def apply_filters(self, me: Principal, form: dict):
        """The filters form, submitted as a whole."""
        return self._apply(
            status=_text(form, "status", 40),
            peril=_text(form, "peril", 40),
            age=_text(form, "age", 10),
            late=_flag(form.get("late")),
            mine=_flag(form.get("mine")),
        )

    @staff_event
    def filter_status(self, me: Principal, value: str):
        return self._apply(status=str(value)[:40])

    @staff_event
    def filter_peril(self, me: Principal, value: str):
        return self._apply(peril=str(value)[:40])

    @staff_event
    def filter_age(self, me: Principal, value: str):
        return self._apply(age=str(value)[:10])

    @staff_event
    def filter_late(self, me: Principal, checked: bool):
        return self._apply(late=_flag(checked))

    @staff_event
    def filter_mine(self, me: Principal, checked: bool):
        return self._apply(mine=_flag(checked))

    @staff_event
    def clear_filters(self, me: Principal):
        return self._apply(status="open", peril="", age="", late=False, mine=False)


# ----- one claim -------------------------------------------------------------------------------


@dataclasses.dataclass
class AnswerItem:
    question: str = ""
    answer: str = ""


@dataclasses.dataclass
class ItemRow:
    description: str = ""
    category: str = ""
    purchased: str = ""
    price: str = ""
    estimate: str = ""


@dataclasses.dataclass
class FileRow:
    name: str = ""
    kind: str = ""
    uploaded: str = ""
    uploader: str = ""
    photo: bool = False
    url: str = ""
    thumbnail_url: str = ""
    alt: str = ""


@dataclasses.dataclass
class EventRow:
    label: str = ""
    at: str = ""
    detail: str = ""
    next_step: str = ""
    by: str = ""


@dataclasses.dataclass
class MessageRow:
    author: str = ""
    at: str = ""
    body: str = ""
    from_staff: bool = False


@dataclasses.dataclass
class AuditRow:
    who: str = ""
    action: str = ""
    at: str = ""
    detail: str = ""


@dataclasses.dataclass
class ReadRow:
    who: str = ""
    role: str = ""
    at: str = ""
    what: str = ""


# Display fields reset when the claim is not found (and before each fill).
_EMPTY = dict(
    number="",
    status="",
    status_label="",
    late=False,
    express=False,
    express_reason="",
    holder_name="",
    holder_email="",
    holder_phone="",
    holder_address="",
    contract_number="",
    formula="",
    property_address="",
    peril="",
    peril_label="",
    answers=[],
    occurred="",
    submitted="",
    description="",
    location="",
    deadline="",
    late_declaration=False,
    items=[],
    declared_total="",
    estimate_lines=[],
    estimate_explanation="",
    files=[],
    timeline=[],
    messages=[],
    audit=[],
    reads=[],
    handler_name="",
    expert_name="",
    visit="",
    next_due="",
    assessed_damage="",
    ceiling="",
    deductible="",
    indemnity="",
    indemnity_detail="",
    guarantee_category="",
    payment="",
    refusal_reason="",
    requested_documents="",
    allowed={},
    handler_options=[],
    expert_options=[],
)


class StaffClaimState(StaffSessionState):
    loaded: bool = False
    found: bool = False
    flash: str = ""
    errors: dict[str, str] = {}
    form_versions: dict[str, int] = {}  # bumped after a success: the form is drawn again, empty
    report_summary: str = ""  # typed before the report is dropped
    document_kind: str = ""

    number: str = ""
    status: str = ""
    status_label: str = ""
    late: bool = False
    express: bool = False
    express_reason: str = ""
    holder_name: str = ""
    holder_email: str = ""
    holder_phone: str = ""
    holder_address: str = ""
    contract_number: str = ""
    formula: str = ""
    property_address: str = ""
    peril: str = ""
    peril_label: str = ""
    answers: list[AnswerItem] = []
    occurred: str = ""
    submitted: str = ""
    description: str = ""
    location: str = ""
    deadline: str = ""
    late_declaration: bool = False
    items: list[ItemRow] = []
    declared_total: str = ""
    estimate_lines: list[AnswerItem] = []
    estimate_explanation: str = ""
    files: list[FileRow] = []
    timeline: list[EventRow] = []
    messages: list[MessageRow] = []
    audit: list[AuditRow] = []
    reads: list[ReadRow] = []  # who opened the claim and its files (managers only)
    handler_name: str = ""
    expert_name: str = ""
    visit: str = ""
    next_due: str = ""
    assessed_damage: str = ""
    ceiling: str = ""
    deductible: str = ""
    indemnity: str = ""
    indemnity_detail: str = ""
    guarantee_category: str = ""
    payment: str = ""
    refusal_reason: str = ""
    requested_documents: str = ""
    allowed: dict[str, bool] = {}
    handler_options: list[list[str]] = []
    expert_options: list[list[str]] = []

    _claim_id: int = 0

    # ----- loading ---------------------------------------------------------------------------

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        self.flash, self.errors, self.report_summary, self.document_kind = "", {}, "", ""
        number = self.router.url.query_parameters.get("n", "")[:20]
        self._claim_id = 0
        try:
            with session_scope() as db:
                claim = workflow_views.visible_claim(session=db, staff_id=staff_id, number=number)
                if claim is not None:
                    self._claim_id = claim.id
                    self._fill(db, staff_id, claim)
        except StaffForbidden:
            claim = None
        if claim is None:
            self._clear()
        self.loaded = True
        return None

    def _clear(self) -> None:
        self._claim_id = 0
        self.found = False
        for name, value in _EMPTY.items():
            setattr(self, name, type(value)())

    def _refresh(self, staff_id: int) -> None:
        """Read the claim again (by its server-side id, visibility re-checked)."""
        visible = False
        try:
            with session_scope() as db:
                claim = workflow_views.visible_claim_by_id(
                    session=db, staff_id=staff_id, claim_id=self._claim_id
                )
                visible = claim is not None
                if visible:
                    self._fill(db, staff_id, claim)
        except StaffForbidden:
            visible = False
        if not visible:
            self._clear()

    def _fill(self, db, staff_id: int, claim: Claim) -> None:
        staff = workflow_permissions.active_staff(db, staff_id)
        # the home and formula insured on the day of the loss
        holder, contract, prop, formula = workflow_views.claim_parties(session=db, claim=claim)
        names = workflow_views.staff_names(session=db)
        now = utcnow()
        self.found = True
        self.number, self.status, self.status_label = (
            claim.number or "",
            claim.status,
            stages.label(claim.status),
        )
        self.late = stages.is_late(claim.next_step_due_at, now)
        self.next_due = fmt.date_fr(claim.next_step_due_at)
        self.express, self.express_reason = claim.express, claim.express_reason
        self.holder_name = f"{holder.civility} {holder.first_name} {holder.last_name}".strip()
        self.holder_email, self.holder_phone = holder.email, fmt.phone(holder.phone) or "—"
        self.holder_address = ", ".join(
            x
            for x in (
                holder.address_line1,
                holder.address_line2,
                f"{holder.postal_code} {holder.city}",
            )
            if x
        )
        self.contract_number, self.formula = contract.number, formula.name if formula else ""
        self.property_address = ", ".join(
            x
            for x in (prop.address_line1, prop.address_line2, f"{prop.postal_code} {prop.city}")
            if x
        )
        self._fill_declaration(claim)
        self._fill_items(db, claim)
        self._fill_estimate(claim)
        self._fill_files(db, claim, names)
        history = stages.events(session=db, claim_id=claim.id)
        self.timeline = [
            EventRow(
                label=stages.label(e.kind),
                at=fmt.datetime_fr(e.at),
                detail=e.detail,
                next_step=e.next_step,
                by=names.get(e.staff_id, "") if e.staff_id else "",
            )
            for e in history
        ]
        self.handler_name, self.expert_name = (
            names.get(claim.handler_id, ""),
            names.get(claim.expert_id, ""),
        )
        self.visit = (
            f"{fmt.datetime_fr(claim.visit_at)}"
            + (f" — {claim.visit_note}" if claim.visit_note else "")
            if claim.visit_at
            else ""
        )
        self._fill_assessment(claim, history)
        self.payment = (
            f"{fmt.money(claim.indemnity_cents)} le {fmt.date_fr(claim.paid_at)} (référence "
            f"{claim.payment_reference})"
            if claim.paid_at
            else ""
        )
        self.refusal_reason, self.requested_documents = (
            claim.refusal_reason,
            claim.requested_documents,
        )
        self.allowed = workflow_permissions.allowed_actions(staff, claim)
        self.messages = (
            [
                MessageRow(
                    author=names.get(m.staff_id, "Gestion") if m.staff_id else holder.display_name,
                    at=fmt.datetime_fr(m.created_at),
                    body=m.body,
                    from_staff=m.staff_id is not None,
                )
                for m in declaration_queries.messages(session=db, claim_id=claim.id)
            ]
            if self.allowed["messages"]
            else []
        )
        self.audit = [
            AuditRow(
                who=who,
                action=AUDIT_LABELS.get(log.action, log.action),
                at=fmt.datetime_fr(log.at),
                detail=log.detail,
            )
            for log, who in workflow_views.audit_log(
                session=db, staff_id=staff_id, claim_id=claim.id
            )
        ]
        self.reads = [
            ReadRow(who=who, role=role, at=fmt.datetime_fr(at), what=what)
            for who, role, at, what in workflow_views.read_log(
                session=db, staff_id=staff_id, claim_id=claim.id
            )
        ]
        self.handler_options = (
            [
                [
                    str(s.id),
                    f"{s.full_name} ({workflow_permissions.ROLE_LABELS.get(s.role, s.role)})",
                ]
                for role in (StaffRole.HANDLER, StaffRole.MANAGER)
                for s in workflow_views.staff_of_role(session=db, role=role)
            ]
            if self.allowed["assign"]
            else []
        )
        self.expert_options = (
            [
                [str(s.id), s.full_name]
                for s in workflow_views.staff_of_role(session=db, role=StaffRole.EXPERT)
            ]
            if self.allowed["appoint"]
            else []
        )

    def _fill_declaration(self, claim: Claim) -> None:
        found = perils.peril(claim.peril)
        self.peril, self.peril_label = claim.peril, perils.label(claim.peril)
        self.answers = (
            [AnswerItem(q, a) for q, a in perils.answer_text(found, claim.answers)] if found else []
        )
        self.occurred = fmt.datetime_fr(claim.occurred_at)
        self.submitted = fmt.datetime_fr(claim.submitted_at)
        self.description = claim.description
        if (
            claim.location_kind == "geolocation"
            and claim.latitude is not None
            and claim.longitude is not None
        ):
            accuracy = (
                f" (précision ± {fmt.number(claim.location_accuracy_m)} m)"
                if claim.location_accuracy_m
                else ""
            )
            self.location = (
                f"Position relevée : latitude {claim.latitude:.5f} ; longitude "
                f"{claim.longitude:.5f}".replace(".", ",")
                + accuracy
            )
        elif claim.location_kind == "address":
            self.location = (
                f"Adresse saisie par l'assuré : {claim.location_street}, "
                f"{claim.location_postal_code} {claim.location_town}"
            )
        else:
            self.location = "À l'adresse du logement assuré"
        self.deadline = fmt.date_fr(claim.declaration_deadline) or "—"
        self.late_declaration = claim.late_declaration
        self.guarantee_category = claim.guarantee_category or (
            found.category if found and found.category else ""
        )

    def _fill_items(self, db, claim: Claim) -> None:
        rows = declaration_queries.items(session=db, claim_id=claim.id)
        self.items = [
            ItemRow(
                description=i.description,
                category=perils.ITEM_CATEGORY_LABELS.get(i.category, i.category),
                purchased=fmt.date_fr(i.purchase_date) or "—",
                price=fmt.money(i.purchase_price_cents) or "—",
                estimate=fmt.money(i.estimate_cents),
            )
            for i in rows
        ]
        self.declared_total = fmt.money(sum(i.estimate_cents for i in rows))

    def _fill_estimate(self, claim: Claim) -> None:
        shown = claim.estimate or {}
        if not shown:
            self.estimate_lines, self.estimate_explanation = [], ""
            return
        lines = [
            AnswerItem("Garantie", shown.get("guarantee") or "Aucune garantie identifiée"),
            AnswerItem("Dommages déclarés", fmt.money(shown.get("damage_cents", 0))),
        ]
        if shown.get("covered"):
            lines += [
                AnswerItem("Plafond", fmt.money(shown.get("ceiling_cents", 0))),
                AnswerItem("Franchise", fmt.money(shown.get("deductible_cents", 0))),
                AnswerItem("Indemnité estimée", fmt.money(shown.get("indemnity_cents", 0))),
            ]
        self.estimate_lines, self.estimate_explanation = lines, str(shown.get("explanation", ""))

    def _fill_files(self, db, claim: Claim, names: dict) -> None:
        rows = []
        for f in declaration_queries.files(session=db, claim_id=claim.id):
            photo = f.mime_type.startswith("image/") and bool(f.thumbnail_key)
            kind = FILE_KIND_LABELS.get(f.kind, f.kind)
            uploaded = fmt.date_fr(f.uploaded_at)
            rows.append(
                FileRow(
                    name=f.filename,
                    kind=kind,
                    uploaded=uploaded,
                    uploader=names.get(f.uploaded_by_staff_id, "Gestion")
                    if f.uploaded_by_staff_id
                    else "Assuré",
                    photo=photo,
                    url=routes.claim_file_url(f.id, inline=photo),
                    thumbnail_url=routes.claim_file_url(f.id, thumbnail=True) if photo else "",
                    alt=f"{kind} « {f.filename} », ajoutée le {uploaded}" if photo else "",
                )
            )
        self.files = rows

    def _fill_assessment(self, claim: Claim, history) -> None:
        self.assessed_damage = fmt.money(claim.assessed_damage_cents)
        self.ceiling, self.deductible = (
            fmt.money(claim.ceiling_cents),
            fmt.money(claim.deductible_cents),
        )
        self.indemnity = fmt.money(claim.indemnity_cents)
        detail = ""
        for event in reversed(history):
            if event.kind in (S.INDEMNITY_COMPUTED, "express"):
                detail = event.detail
                break
        if not detail and claim.indemnity_cents is not None:
            detail = (
                f"min(plafond {self.ceiling} ; dommages {self.assessed_damage} − franchise "
                f"{self.deductible}) = {self.indemnity}"
            )
        self.indemnity_detail = detail

    # ----- acting ----------------------------------------------------------------------------

    def _act(self, action: str, call, success: str):
        """Re-check the session, run ``call(db, staff_id, claim_id)`` in one transaction, show the
        outcome.

        On an error nothing was saved and the forms keep what was typed."""
        staff_id = self._staff_id()
        if staff_id is None:
            return self._to_staff_login()
        self.flash = ""
        if not self._claim_id:
            self.errors = {action: NOT_FOUND}
            return None
        try:
            with session_scope() as db:
                call(db, staff_id, self._claim_id)
        except ClaimInputError as error:
            errors = dict(error.errors)
            if "action" in errors:
                errors[action] = errors.pop("action")
            self.errors = errors
            return None
        except StaffForbidden as error:
            self.errors = {action: str(error)}
            return None
        except UploadRejected as error:
            self.errors = {f"{action}_file": error.message}
            return None
        self.errors = {}
        self.flash = success
        if action == "report":
            self.report_summary = ""
        self.form_versions = {**self.form_versions, action: self.form_versions.get(action, 0) + 1}
        self._refresh(staff_id)
        return None

    @staff_event
    def take_claim(self, me: Principal):
        return self._act(
            "assign",
            lambda db, me, cid: workflow.assign_handler(
                session=db, staff_id=me, claim_id=cid, handler_id=me
            ),
            "Vous êtes le gestionnaire de ce dossier.",
        )

    @staff_event
    def assign_handler(self, me: Principal, form: dict):
        handler_id = _int(_text(form, "handler", 12))
        return self._act(
            "assign",
            lambda db, me, cid: workflow.assign_handler(
                session=db, staff_id=me, claim_id=cid, handler_id=handler_id
            ),
            "Gestionnaire attribué.",
        )

    @staff_event
    def appoint_expert(self, me: Principal, form: dict):
        expert_id = _int(_text(form, "expert", 12))
        return self._act(
            "appoint",
            lambda db, me, cid: workflow_assessment.appoint_expert(
                session=db, staff_id=me, claim_id=cid, expert_id=expert_id
            ),
            "Expert missionné : l'assuré est prévenu.",
        )

    @staff_event
    def plan_visit(self, me: Principal, form: dict):
        day, hour, note = (
            _text(form, "visit_date", 20),
            _text(form, "visit_time", 10),
            _text(form, "visit_note", 300),
        )
        return self._act(
            "visit",
            lambda db, me, cid: workflow_assessment.plan_visit(
                session=db, staff_id=me, claim_id=cid, day_text=day, time_text=hour, note=note
            ),
            "Visite planifiée : l'assuré est prévenu.",
        )

    @rx.event
    def set_report_summary(self, value: str):
        self.report_summary = str(value or "")[:1000]

    @staff_event
    async def upload_report(self, me: Principal, files: list[rx.UploadFile]):
        if not files:
            return None
        upload = files[0]
        data, name = await upload.read(MAX_BYTES + 1), upload.name or ""
        summary = self.report_summary
        return await off_loop(
            self._act,
            "report",
            lambda db, me, cid: workflow_assessment.attach_report(
                session=db, staff_id=me, claim_id=cid, data=data, filename=name, summary=summary
            ),
            "Rapport d'expertise joint : l'assuré est prévenu.",
        )

    @rx.event
    def report_rejected(self, rejected: list[dict]):
        self.errors = {
            "report_file": (
                "Fichier refusé : une photo (JPEG, PNG, HEIC) ou un PDF de 10 Mo au plus."
            )
        }

    @staff_event
    def assess(self, me: Principal, form: dict):
        damage, category = _text(form, "damage", 30), _text(form, "category", 30)
        if self.peril != "other":
            category = ""
        return self._act(
            "assess",
            lambda db, me, cid: workflow_assessment.assess(
                session=db, staff_id=me, claim_id=cid, damage_text=damage, category=category
            ),
            "Indemnité calculée : l'assuré est prévenu.",
        )

    @staff_event
    def record_payment(self, me: Principal, form: dict):
        reference = _text(form, "payment_reference", 40)
        return self._act(
            "payment",
            lambda db, me, cid: workflow_assessment.record_payment(
                session=db, staff_id=me, claim_id=cid, reference=reference
            ),
            "Paiement enregistré : l'assuré est prévenu.",
        )

    @staff_event
    def request_documents(self, me: Principal, form: dict):
        what = _text(form, "requested", 1000)
        return self._act(
            "documents",
            lambda db, me, cid: workflow.request_documents(
                session=db, staff_id=me, claim_id=cid, what=what
            ),
            "Documents demandés à l'assuré.",
        )

    @staff_event
    def refuse(self, me: Principal, form: dict):
        reason = _text(form, "refusal", 1000)
        return self._act(
            "refuse",
            lambda db, me, cid: workflow.refuse(
                session=db, staff_id=me, claim_id=cid, reason=reason
            ),
            "Refus enregistré : l'assuré est prévenu.",
        )

    @staff_event
    def close_claim(self, me: Principal):
        return self._act(
            "close",
            lambda db, me, cid: workflow.close(session=db, staff_id=me, claim_id=cid),
            "Dossier clôturé.",
        )

    @staff_event
    def reopen(self, me: Principal, form: dict):
        reason = _text(form, "reopen_reason", 1000)
        return self._act(
            "reopen",
            lambda db, me, cid: workflow.reopen(
                session=db, staff_id=me, claim_id=cid, reason=reason
            ),
            "Dossier rouvert.",
        )

    @staff_event
    def reply(self, me: Principal, form: dict):
        body = _text(form, "reply_body", 4001)
        return self._act(
            "messages",
            lambda db, me, cid: workflow.reply(session=db, staff_id=me, claim_id=cid, body=body),
            "Message envoyé à l'assuré.",
        )

    @rx.event
    def set_document_kind(self, value: str):
        self.document_kind = str(value or "")[:20]

    @staff_event
    async def upload_document(self, me: Principal, files: list[rx.UploadFile]):
        if not files:
            return None
        upload = files[0]
        data, name, kind = await upload.read(MAX_BYTES + 1), upload.name or "", self.document_kind
        return await off_loop(
            self._act,
            "upload",
            lambda db, me, cid: workflow.upload(
                session=db, staff_id=me, claim_id=cid, data=data, filename=name, kind=kind
            ),
            "Document ajouté au dossier.",
        )

    @rx.event
    def document_rejected(self, rejected: list[dict]):
        self.errors = {
            "upload_file": (
                "Fichier refusé : une photo (JPEG, PNG, HEIC) ou un PDF de 10 Mo au plus."
            )
        }
