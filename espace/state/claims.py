"""Claims for the holder: the list, the declaration wizard (a saved draft, one step per screen)
and the claim tracker (stages, documents, messages).

Every handler re-reads the session and loads the claim with the holder's id in the query, so
an id sent by the browser never reaches another holder's claim."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import routes
from espace.claims import (
    assistance,
    declaration,
    declaration_contents,
    declaration_queries,
    declaration_sending,
    perils,
    recognition,
    stages,
    uploads,
    workflow_views,
)
from espace.claims.deadlines import describe as describe_deadline
from espace.claims.declaration import ClaimInputError
from espace.claims.labels import FILE_KIND_LABELS
from espace.claims.models import Claim, ClaimFile, ClaimItem
from espace.contracts import portfolio
from espace.contracts.models import Contract, InsuredProperty
from espace.core import formatting as fmt
from espace.core.db import savepoint, session_scope
from espace.core.formatting import PARIS, plural
from espace.core.models import utcnow
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event, off_loop
from espace.state.session import SessionState

HOLDER_FILE_KINDS = [
    ["auto", "Détecter (photo ou document)"],
    ["invoice", "Facture"],
    ["quote", "Devis"],
    ["document", "Autre document (plainte, constat…)"],
]


# ----- display rows (plain values only: everything here is sent to the browser) ---------------


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class QuestionView:
    id: str = ""
    label: str = ""
    kind: str = ""
    hint: str = ""
    required: bool = True
    value: str = ""
    error: str = ""
    visible: bool = True
    options: list[Option] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ItemView:
    id: int = 0
    description: str = ""
    category: str = ""
    purchase: str = ""
    estimate: str = ""


@dataclasses.dataclass
class FileView:
    id: int = 0
    name: str = ""
    kind: str = ""
    size: str = ""
    uploaded: str = ""
    by: str = ""
    is_photo: bool = False
    url: str = ""
    preview_url: str = ""
    thumb_url: str = ""
    note: str = ""  # "Prise le …", "Facture reconnue : 320,00 € (vérifiez le montant)"
    warn: bool = False  # a photo taken before the loss


@dataclasses.dataclass
class AssistanceView:
    what: str = ""
    status: str = ""
    stage: str = ""  # requested | accepted | scheduled | completed | refused
    detail: str = ""


@dataclasses.dataclass
class Fact:
    label: str = ""
    value: str = ""


@dataclasses.dataclass
class ClaimCard:
    number: str = ""
    draft_id: int = 0
    peril: str = ""
    contract: str = ""
    status: str = ""
    stage: str = ""
    date: str = ""
    next_step: str = ""
    amount: str = ""
    late: bool = False


@dataclasses.dataclass
class StepView:
    label: str = ""
    state: str = ""
    date: str = ""


@dataclasses.dataclass
class EventView:
    label: str = ""
    date: str = ""
    detail: str = ""
    next_step: str = ""


@dataclasses.dataclass
class MessageView:
    author: str = ""
    mine: bool = False
    date: str = ""
    body: str = ""


def _size(n: int) -> str:
    return (
        f"{fmt.number(round(n / 1024 / 1024, 1))} Mo"
        if n >= 1024 * 1024
        else f"{max(1, n // 1024)} Ko"
    )


def file_view(
    record: ClaimFile, staff_names: dict[int, str], claim: Claim | None = None
) -> FileView:
    occurred = declaration_queries.occurred_local(claim) if claim is not None else None
    note, warn = recognition.photo_note(record.captured_at, occurred.date() if occurred else None)
    return FileView(
        note=note or recognition.document_note(record.kind, record.detected_amount_cents),
        warn=warn,
        id=record.id,
        name=record.filename,
        kind=FILE_KIND_LABELS.get(record.kind, record.kind),
        size=_size(record.size_bytes),
        uploaded=fmt.datetime_fr(record.uploaded_at),
        by=staff_names.get(record.uploaded_by_staff_id, "Espace Assurances")
        if record.uploaded_by_staff_id
        else "Vous",
        is_photo=bool(record.thumbnail_key),
        url=routes.claim_file_url(record.id),
        preview_url=routes.claim_file_url(record.id, inline=True),
        thumb_url=routes.claim_file_url(record.id, thumbnail=True) if record.thumbnail_key else "",
    )


def item_view(item: ClaimItem) -> ItemView:
    purchase = ", ".join(
        x
        for x in (
            fmt.date_fr(item.purchase_date) if item.purchase_date else "",
            fmt.money(item.purchase_price_cents) if item.purchase_price_cents else "",
        )
        if x
    )
    return ItemView(
        id=item.id,
        description=item.description,
        category=perils.ITEM_CATEGORY_LABELS.get(item.category, item.category),
        purchase=purchase or "—",
        estimate=fmt.money(item.estimate_cents),
    )


def estimate_facts(estimate: dict) -> list[Fact]:
    if not estimate.get("covered"):
        return []
    return [
        Fact("Garantie", estimate["guarantee"]),
        Fact("Montant déclaré", fmt.money(estimate["damage_cents"])),
        Fact("Franchise", fmt.money(estimate["deductible_cents"])),
        Fact("Plafond", fmt.money(estimate["ceiling_cents"])),
        Fact("Indemnité estimée", fmt.money(estimate["indemnity_cents"])),
    ]


def _contract_label(contract: Contract, prop: InsuredProperty) -> str:
    return f"{contract.number} · {prop.address_line1}, {prop.city}"


async def read_uploads(files: list) -> list[tuple[bytes, str]]:
    """The uploaded files' bytes and names, read on the loop (the service checks each one)."""
    return [(await upload.read(), upload.name or "fichier") for upload in files or []]


def add_uploads(db, claim: Claim, files: list, kind: str, add) -> tuple[int, list[str]]:
    """Add each file on its own (a refused file leaves the others); return (added, French
    refusals). ``files``: ``read_uploads``'s (bytes, name) pairs; blocking, call it off the loop."""
    added, problems = 0, []
    for data, name in files:
        try:
            with savepoint(db):
                add(
                    session=db,
                    claim=claim,
                    data=data,
                    filename=name,
                    kind="" if kind == "auto" else kind,
                )
            added += 1
        except uploads.UploadRejected as error:
            problems.append(error.message)
    return added, problems


# ----- the list ------------------------------------------------------------------------------


class ClaimsState(SessionState):
    loaded: bool = False
    cards: list[ClaimCard] = []
    drafts: list[ClaimCard] = []
    can_declare: bool = False
    flash: str = ""

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        now = utcnow()
        with session_scope() as db:
            contracts = {
                c.id: (c, p)
                for c, p in declaration_queries.eligible_contracts(session=db, holder_id=holder_id)
            }
            labels = {
                c.id: _contract_label(c, p)
                for c, p in portfolio.holder_contracts(session=db, holder_id=holder_id)
            }
            rows = declaration_queries.list_claims(session=db, holder_id=holder_id)
            next_steps = stages.next_steps(session=db, claims=rows)
            cards, drafts = [], []
            for claim in rows:
                card = ClaimCard(
                    number=claim.number or "",
                    draft_id=claim.id if claim.number is None else 0,
                    peril=perils.label(claim.peril) if claim.peril else "Événement à préciser",
                    contract=labels.get(claim.contract_id, ""),
                    status=stages.label(claim.status),
                    stage=claim.status,
                    date=(
                        f"Déclaré le {fmt.date_fr(claim.submitted_at)}"
                        if claim.submitted_at
                        else f"Commencé le {fmt.date_fr(claim.created_at)}"
                    ),
                    next_step=next_steps[claim.id],
                    amount=(
                        f"Indemnité : {fmt.money(claim.indemnity_cents)}"
                        if claim.indemnity_cents is not None
                        else ""
                    ),
                    late=stages.is_late(claim.next_step_due_at, now),
                )
                (drafts if claim.number is None else cards).append(card)
        self.cards, self.drafts, self.can_declare = cards, drafts, bool(contracts)

    @holder_event
    def delete_draft(self, me: Principal, claim_id: int):
        holder_id = me.holder_id
        with session_scope() as db:
            claim = declaration_queries.owned_draft(
                session=db, holder_id=holder_id, claim_id=int(claim_id)
            )
            if claim is not None:
                declaration_contents.delete_draft(session=db, claim=claim)
                self.flash = "Le brouillon a été supprimé."
        self._refresh(holder_id)
        return None


# ----- the wizard ----------------------------------------------------------------------------


class ClaimWizardState(SessionState):
    loaded: bool = False
    claim_id: int = 0
    step: int = 0
    reached: int = 0
    sent_number: str = ""
    sent_next_step: str = ""
    sent_express: str = ""
    errors: dict[str, str] = {}
    form_version: int = 0
    _suggested_peril: str = ""  # a peril code from ?peril=, applied to the new draft

    contracts: list[Option] = []
    contract_id: str = ""
    peril: str = ""
    peril_label: str = ""
    questions: list[QuestionView] = []
    answers: dict[str, str] = {}
    occurred_date: str = ""
    occurred_time: str = ""
    description: str = ""
    deadline_text: str = ""
    late_text: str = ""
    property_address: str = ""
    location_kind: str = "property"
    location_text: str = ""
    position_text: str = ""
    address_open: bool = False  # the "Saisir l'adresse" form is shown
    address_street: str = ""
    address_zip: str = ""
    address_town: str = ""
    items: list[ItemView] = []
    total: str = ""
    files: list[FileView] = []
    upload_errors: list[str] = []
    upload_kind: str = "auto"
    upload_busy: bool = False
    summary_answers: list[Fact] = []
    estimate: list[Fact] = []
    estimate_note: str = ""
    express_hint: str = ""
    documents_hint: str = ""
    missing: list[str] = []

    @rx.var
    def step_label(self) -> str:
        return declaration.STEPS[self.step] if 0 <= self.step < len(declaration.STEPS) else ""

    @rx.var
    def step_number(self) -> str:
        return f"Étape {self.step + 1} sur {len(declaration.STEPS)}"

    @rx.var
    def progress(self) -> str:
        return f"{round((self.step + 1) * 100 / len(declaration.STEPS))}%"

    # -- loading --

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._clear()
        self._load_header(holder_id)
        draft_param = self.router.url.query_parameters.get("brouillon", "")
        peril_param = self.router.url.query_parameters.get("peril", "")
        # "?peril=theft" (from the assistant): the event is preselected, the holder can still change
        # it.
        self._suggested_peril = peril_param if perils.peril(peril_param) else ""
        with session_scope() as db:
            self.contracts = [
                Option(str(c.id), _contract_label(c, p))
                for c, p in declaration_queries.eligible_contracts(session=db, holder_id=holder_id)
            ]
            claim = None
            if draft_param.isdigit():
                claim = declaration_queries.owned_draft(
                    session=db, holder_id=holder_id, claim_id=int(draft_param)
                )
            if claim is not None:
                self._show(db, claim)
                self.step = min(claim.draft_step, declaration.STEP_SUMMARY)
            elif len(self.contracts) == 1:
                self.contract_id = self.contracts[0].value
        self.loaded = True
        return None

    def _clear(self) -> None:
        version = self.form_version
        self.reset()
        self.form_version = version + 1  # uncontrolled inputs are rebuilt empty

    def _show(self, db, claim: Claim) -> None:
        """Copy the draft into display fields."""
        self.claim_id, self.reached = claim.id, claim.draft_step
        self.contract_id, self.peril = str(claim.contract_id), claim.peril
        found = perils.peril(claim.peril)
        self.peril_label = found.label if found else ""
        self.documents_hint = found.documents_hint if found else ""
        self.answers = {k: str(v) for k, v in claim.answers.items()}
        self._build_questions()
        local = declaration_queries.occurred_local(claim)
        self.occurred_date = local.date().isoformat() if local else ""
        self.occurred_time = f"{local:%H:%M}" if local else ""
        self.description = claim.description
        self._deadline(claim)
        prop = declaration_queries.loss_terms(
            session=db, claim=claim
        )  # the home insured on the day of the loss
        self.property_address = f"{prop.address_line1}, {prop.postal_code} {prop.city}"
        self.location_kind = claim.location_kind
        self.location_text = declaration.location_text(claim, prop)
        self.address_street = claim.location_street
        self.address_zip = claim.location_postal_code
        self.address_town = claim.location_town
        self.address_open = claim.location_kind == "address"
        self.position_text = (
            f"Position enregistrée : {fmt.number(claim.latitude)}, {fmt.number(claim.longitude)}"
            + (f" (à {claim.location_accuracy_m} m près)" if claim.location_accuracy_m else "")
            if claim.latitude is not None
            else ""
        )
        rows = declaration_queries.items(session=db, claim_id=claim.id)
        self.items = [item_view(i) for i in rows]
        self.total = fmt.money(sum(i.estimate_cents for i in rows))
        self.files = [
            file_view(f, {}, claim)
            for f in declaration_queries.files(session=db, claim_id=claim.id)
        ]
        self.summary_answers = (
            [Fact(q, a) for q, a in perils.answer_text(found, claim.answers)] if found else []
        )
        result = declaration_queries.estimate(session=db, claim=claim)
        self.estimate = estimate_facts(result.as_dict())
        self.estimate_note = result.explanation
        self.express_hint = (
            declaration_sending.EXPRESS_RULES
            if claim.peril in declaration_sending.EXPRESS_PERILS
            else ""
        )
        self.missing = list(declaration_sending.missing_steps(session=db, claim=claim).values())

    def _deadline(self, claim: Claim) -> None:
        found = declaration_queries.deadline_for(claim, today=utcnow().astimezone(PARIS).date())
        self.deadline_text = describe_deadline(found) if found else ""
        self.late_text = found.consequence if found else ""

    def _build_questions(self) -> None:
        found = perils.peril(self.peril)
        if found is None:
            self.questions = []
            return
        # All the peril's questions are rendered (hidden ones too), so that inputs keep their place.
        visible = {q.id for q in perils.visible_questions(found, self.answers)}
        self.questions = [
            QuestionView(
                id=q.id,
                label=q.label,
                kind=q.kind,
                hint=q.hint,
                required=q.required,
                value=self.answers.get(q.id, ""),
                error=self.errors.get(q.id, ""),
                visible=q.id in visible,
                options=[Option(v, t) for v, t in q.options],
            )
            for q in found.questions
        ]

    def _draft(self, db, holder_id: int) -> Claim | None:
        return (
            declaration_queries.owned_draft(session=db, holder_id=holder_id, claim_id=self.claim_id)
            if self.claim_id
            else None
        )

    def _save(self, action, *, creating: bool = False) -> rx.event.EventSpec | None:
        """Run ``action(db, claim, holder_id)`` on the holder's draft; show errors next to fields,
        or refresh."""
        principal = self._holder_principal()
        if principal is None:
            return self._to_login()
        with session_scope() as db:
            claim = self._draft(db, principal.holder_id)
            if claim is None and (self.claim_id or not creating):
                self._clear()
                self.errors = {
                    "claim": "Ce brouillon n'existe plus : commencez une nouvelle déclaration."
                }
                return None
            try:
                result = action(db, claim, principal)
            except ClaimInputError as error:
                self.errors = dict(error.errors)
                self._build_questions()
                return None
            self.errors = {}
            if isinstance(result, Claim):
                claim = result
            if claim is not None:
                self._show(db, claim)
        return None

    def _go(self, step: int) -> None:
        self.step = step
        self.form_version += 1

    # -- steps --

    @rx.event
    def pick_contract(self, value: str):
        """The contract ticked on the first step (the emergency link follows it)."""
        if str(value) in {o.value for o in self.contracts}:
            self.contract_id = str(value)

    @holder_event
    def choose_contract(self, me: Principal, form: dict):
        contract_id = str(form.get("contract") or "")
        if not contract_id.isdigit():
            self.errors = {"contract": "Choisissez le contrat concerné."}
            return None

        def action(db, claim, principal):
            if claim is None:
                claim = declaration.start_draft(
                    session=db,
                    holder_id=principal.holder_id,
                    account_id=principal.account_id,
                    contract_id=int(contract_id),
                )
                if self._suggested_peril:
                    declaration.set_peril(session=db, claim=claim, peril_code=self._suggested_peril)
                return claim
            declaration.set_contract(session=db, claim=claim, contract_id=int(contract_id))
            return claim

        outcome = self._save(action, creating=True)
        if outcome is not None or self.errors:
            return outcome
        self._go(declaration.STEP_PERIL)
        return rx.call_script(
            f"window.history.replaceState(null,'','{routes.CLAIM_NEW}?brouillon={self.claim_id}')"
        )

    @holder_event
    def choose_peril(self, me: Principal, form: dict):
        peril = str(form.get("peril") or "")
        outcome = self._save(
            lambda db, claim, _p: declaration.set_peril(session=db, claim=claim, peril_code=peril)
        )
        if not self.errors:
            self._go(declaration.STEP_QUESTIONS)
        return outcome

    @holder_event
    def set_answer(self, me: Principal, question_id: str, value: str):
        """Live answers, so that conditional questions appear; saved with the step's form."""
        if perils.peril(self.peril) and question_id in {
            q.id for q in perils.peril(self.peril).questions
        }:
            self.answers = {**self.answers, question_id: str(value)[:500]}
            self._build_questions()

    @holder_event
    def save_answers(self, me: Principal, form: dict):
        raw = {**self.answers, **{k: str(v or "") for k, v in form.items()}}
        outcome = self._save(
            lambda db, claim, _p: declaration.set_answers(
                session=db, claim=claim, raw=raw, today=utcnow().astimezone(PARIS).date()
            )
        )
        if not self.errors:
            self._go(declaration.STEP_WHEN)
        else:
            self.answers = {k: str(v) for k, v in raw.items()}
            self._build_questions()
        return outcome

    @rx.event
    def preview_deadline(self, day: str):
        """Show the legal deadline as soon as the date is typed (explained, never blocking)."""
        parsed = perils.parse_date(day)
        found = perils.peril(self.peril)
        if parsed is None or found is None:
            self.deadline_text = self.late_text = ""
            return
        from espace.claims.deadlines import deadline

        order = (
            perils.parse_date(self.answers.get("order_date", ""))
            if found.deadline == "natcat"
            else None
        )
        result = deadline(
            kind=found.deadline,
            occurred=parsed,
            today=utcnow().astimezone(PARIS).date(),
            order_date=order,
        )
        self.deadline_text, self.late_text = describe_deadline(result), result.consequence

    @holder_event
    def save_when(self, me: Principal, form: dict):
        day, hour = str(form.get("occurred_date") or ""), str(form.get("occurred_time") or "")
        text = str(form.get("description") or "")
        self.occurred_date, self.occurred_time, self.description = day[:10], hour[:5], text[:4000]
        outcome = self._save(
            lambda db, claim, _p: declaration.set_when(
                session=db,
                claim=claim,
                day_text=day,
                time_text=hour,
                description=text,
                now=utcnow(),
            )
        )
        if not self.errors:
            self._go(declaration.STEP_WHERE)
        else:
            self.occurred_date, self.occurred_time, self.description = (
                day[:10],
                hour[:5],
                text[:4000],
            )
        return outcome

    @holder_event
    def use_property_address(self, me: Principal):
        outcome = self._save(
            lambda db, claim, _p: declaration.set_location(session=db, claim=claim, kind="property")
        )
        if not self.errors:
            self._go(declaration.STEP_ITEMS)
        return outcome

    @rx.event
    def open_address(self):
        """Show the form to type the address where the loss happened."""
        self.address_open, self.errors = True, {}

    @holder_event
    def use_typed_address(self, me: Principal, form: dict):
        street = str(form.get("location_street") or "")[:200]
        postal_code = str(form.get("location_postal_code") or "")[:20]
        town = str(form.get("location_town") or "")[:120]
        outcome = self._save(
            lambda db, claim, _p: declaration.set_location(
                session=db,
                claim=claim,
                kind="address",
                street=street,
                postal_code=postal_code,
                town=town,
            )
        )
        if not self.errors:
            self._go(declaration.STEP_ITEMS)
        else:  # what was typed stays in the form, next to its errors
            self.address_open = True
            self.address_street, self.address_zip, self.address_town = (
                street[:120],
                postal_code[:5],
                town[:80],
            )
            self.form_version += 1
        return outcome

    @rx.event
    def ask_position(self):
        self.errors = {}
        return rx.call_script(
            "new Promise((resolve) => { if (!navigator.geolocation) { resolve({error: "
            "'unsupported'}); return; } navigator.geolocation.getCurrentPosition( (p) => "
            "resolve({lat: p.coords.latitude, lng: p.coords.longitude, acc: p.coords.accuracy}), "
            "(e) => resolve({error: String(e.code)}), {timeout: 15000, maximumAge: 60000}); })",
            callback=ClaimWizardState.got_position,
        )

    @holder_event
    def got_position(self, me: Principal, result: dict):
        if not isinstance(result, dict) or "lat" not in result:
            self.errors = {
                "location": (
                    "Votre position n'a pas pu être lue (autorisation refusée ou indisponible). "
                    "Vous pouvez choisir l'adresse du logement."
                )
            }
            return None
        try:
            lat, lng = float(result["lat"]), float(result["lng"])
            accuracy = float(result.get("acc")) if result.get("acc") is not None else None
        except (TypeError, ValueError):
            self.errors = {"location": "Position illisible : choisissez l'adresse du logement."}
            return None
        outcome = self._save(
            lambda db, claim, _p: declaration.set_location(
                session=db,
                claim=claim,
                kind="geolocation",
                latitude=lat,
                longitude=lng,
                accuracy_m=accuracy,
            )
        )
        if not self.errors:
            self._go(declaration.STEP_ITEMS)
        return outcome

    @holder_event
    def add_item(self, me: Principal, form: dict):
        def action(db, claim, _p):
            declaration_contents.add_item(
                session=db,
                claim=claim,
                description=str(form.get("item_description") or ""),
                category=str(form.get("item_category") or ""),
                purchase_date=str(form.get("item_purchase_date") or ""),
                purchase_price=str(form.get("item_purchase_price") or ""),
                estimate_text=str(form.get("item_estimate") or ""),
                today=utcnow().astimezone(PARIS).date(),
            )

        outcome = self._save(action)
        if not self.errors:
            self.form_version += 1  # empty the item form for the next one
        return outcome

    @holder_event
    def remove_item(self, me: Principal, item_id: int):
        return self._save(
            lambda db, claim, _p: declaration_contents.remove_item(
                session=db, claim=claim, item_id=int(item_id)
            )
        )

    @holder_event
    def items_done(self, me: Principal):
        outcome = self._save(
            lambda db, claim, _p: declaration_contents.items_done(session=db, claim=claim)
        )
        if not self.errors:
            self._go(declaration.STEP_FILES)
        return outcome

    @rx.event
    def set_upload_kind(self, value: str):
        self.upload_kind = value if value in {k for k, _ in HOLDER_FILE_KINDS} else "auto"

    @holder_event
    async def upload(self, me: Principal, files: list[rx.UploadFile]):
        received = await read_uploads(files)
        return await off_loop(self._store_uploads, me, received)

    def _store_uploads(self, me: Principal, received: list[tuple[bytes, str]]):
        self.upload_errors = []
        with session_scope() as db:
            claim = self._draft(db, me.holder_id)
            if claim is None:
                self.upload_errors = ["Ce brouillon n'existe plus."]
                return None
            _added, problems = add_uploads(
                db, claim, received, self.upload_kind, declaration_contents.add_file
            )
            self._show(db, claim)
        self.upload_errors = problems
        return None

    @holder_event
    def remove_file(self, me: Principal, file_id: int):
        return self._save(
            lambda db, claim, _p: declaration_contents.remove_draft_file(
                session=db, claim=claim, file_id=int(file_id)
            )
        )

    @holder_event
    def files_done(self, me: Principal):
        outcome = self._save(
            lambda db, claim, _p: declaration_contents.files_done(session=db, claim=claim)
        )
        if not self.errors:
            self._go(declaration.STEP_SUMMARY)
        return outcome

    @holder_event
    def go_to(self, me: Principal, step: int):
        step = int(step)
        if 0 <= step <= min(self.reached, declaration.STEP_SUMMARY) and (
            self.claim_id or step == 0
        ):
            self.errors, self.upload_errors = {}, []
            self._go(step)

    @holder_event
    def back(self, me: Principal):
        if self.step > 0:
            self.errors, self.upload_errors = {}, []
            self._go(self.step - 1)

    @holder_event
    def send(self, me: Principal, form: dict):
        if not form.get("certify"):
            self.errors = {
                "certify": "Cochez la case pour certifier l'exactitude de votre déclaration."
            }
            return None
        sent_box: dict = {}

        def action(db, claim, _p):
            sent = declaration_sending.submit(session=db, claim=claim, now=utcnow())
            sent_box.update(
                number=sent.claim.number,
                next_step=sent.next_step,
                express=sent.claim.express_reason if sent.express else "",
            )

        outcome = self._save(action)
        if self.errors:
            return outcome
        self.sent_number, self.sent_next_step = sent_box["number"], sent_box["next_step"]
        self.sent_express, self.claim_id = sent_box["express"], 0
        return rx.call_script(f"window.history.replaceState(null,'','{routes.CLAIM_NEW}')")


# ----- the tracker ---------------------------------------------------------------------------


class ClaimState(SessionState):
    loaded: bool = False
    found: bool = False
    number: str = ""
    peril: str = ""
    contract: str = ""
    status: str = ""
    stage: str = ""
    occurred: str = ""
    submitted: str = ""
    next_step: str = ""
    late: bool = False
    handler: str = ""
    expert: str = ""
    visit: str = ""
    express_reason: str = ""
    refusal_reason: str = ""
    requested: str = ""
    steps: list[StepView] = []
    history: list[EventView] = []
    answers: list[Fact] = []
    description: str = ""
    location: str = ""
    declared_deadline: str = ""
    items: list[ItemView] = []
    total: str = ""
    estimate: list[Fact] = []
    estimate_note: str = ""
    settlement: list[Fact] = []
    assistance: list[AssistanceView] = []
    files: list[FileView] = []
    messages: list[MessageView] = []
    message_error: str = ""
    message_version: int = 0
    upload_errors: list[str] = []
    upload_kind: str = "auto"
    flash: str = ""

    def _claim(self, db, holder_id: int) -> Claim | None:
        return (
            declaration_queries.owned_claim(session=db, holder_id=holder_id, number=self.number)
            if self.number
            else None
        )

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        self.number = self.router.url.query_parameters.get("n", "")[:20].upper()
        self.flash, self.message_error, self.upload_errors = "", "", []
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            claim = self._claim(db, holder_id)
            if claim is None or claim.number is None:
                self.found = False
                self.steps, self.history, self.files, self.messages, self.items = [], [], [], [], []
                self.assistance = []
                return
            self.found = True
            declaration_contents.mark_staff_messages_read(session=db, claim=claim)
            names = workflow_views.staff_names(session=db)
            contract = portfolio.owned_contract_by_id(
                session=db, holder_id=holder_id, contract_id=claim.contract_id
            )
            prop = declaration_queries.loss_terms(
                session=db, claim=claim
            )  # the home insured on the day of the loss
            found = perils.peril(claim.peril)
            history = stages.events(session=db, claim_id=claim.id)
            staged = [e for e in history if e.kind != "documents_added"]
            now = utcnow()
            self.peril, self.contract = (
                perils.label(claim.peril),
                _contract_label(contract, prop),
            )
            self.status, self.stage = stages.label(claim.status), claim.status
            self.occurred = fmt.datetime_fr(claim.occurred_at)
            self.submitted = fmt.datetime_fr(claim.submitted_at)
            self.next_step = staged[-1].next_step if staged else ""
            self.late = stages.is_late(claim.next_step_due_at, now)
            self.handler = names.get(claim.handler_id, "")
            self.expert = names.get(claim.expert_id, "")
            self.visit = (
                f"{fmt.date_fr(claim.visit_at)} à {claim.visit_at.astimezone(PARIS):%H:%M}"
                if claim.visit_at and claim.status in ("visit_planned",)
                else ""
            )
            self.express_reason = claim.express_reason
            self.refusal_reason = claim.refusal_reason if claim.status == "refused" else ""
            self.requested = (
                claim.requested_documents if claim.status == "documents_requested" else ""
            )
            self.steps = [
                StepView(s.label, s.state, fmt.date_fr(s.at) if s.at else "")
                for s in stages.tracker(claim=claim, history=history)
            ]
            self.history = [
                EventView(stages.label(e.kind), fmt.datetime_fr(e.at), e.detail, e.next_step)
                for e in reversed(history)
            ]
            self.answers = (
                [Fact(q, a) for q, a in perils.answer_text(found, claim.answers)] if found else []
            )
            self.description = claim.description
            self.location = declaration.location_text(claim, prop)
            self.declared_deadline = (
                (
                    (
                        "Déclaré après le délai légal du "
                        if claim.late_declaration
                        else "Délai légal : "
                    )
                    + fmt.date_fr(claim.declaration_deadline)
                )
                if claim.declaration_deadline
                else ""
            )
            rows = declaration_queries.items(session=db, claim_id=claim.id)
            self.items, self.total = (
                [item_view(i) for i in rows],
                fmt.money(sum(i.estimate_cents for i in rows)),
            )
            self.estimate = estimate_facts(claim.estimate)
            self.estimate_note = claim.estimate.get("explanation", "")
            self.settlement = (
                [
                    Fact("Dommages retenus", fmt.money(claim.assessed_damage_cents)),
                    Fact("Franchise", fmt.money(claim.deductible_cents)),
                    Fact("Plafond", fmt.money(claim.ceiling_cents)),
                    Fact("Indemnité", fmt.money(claim.indemnity_cents)),
                ]
                if claim.indemnity_cents is not None
                else []
            )
            if claim.paid_at:
                self.settlement.append(
                    Fact(
                        "Virement",
                        f"envoyé le {fmt.date_fr(claim.paid_at)} (réf. {claim.payment_reference})",
                    )
                )
            self.files = [
                file_view(f, names, claim)
                for f in declaration_queries.files(session=db, claim_id=claim.id)
            ]
            self.assistance = [
                AssistanceView(r.what, r.status, r.stage, r.detail)
                for r in assistance.claim_requests(
                    session=db, holder_id=holder_id, claim_id=claim.id
                )
            ]
            self.messages = [
                MessageView(
                    author=names.get(m.staff_id, "Votre gestionnaire") if m.staff_id else "Vous",
                    mine=m.staff_id is None,
                    date=fmt.datetime_fr(m.created_at),
                    body=m.body,
                )
                for m in declaration_queries.messages(session=db, claim_id=claim.id)
            ]

    @holder_event
    def send_message(self, me: Principal, form: dict):
        holder_id = me.holder_id
        with session_scope() as db:
            claim = self._claim(db, holder_id)
            if claim is None:
                self.message_error = "Ce sinistre est introuvable."
                return None
            try:
                declaration_contents.post_message(
                    session=db, claim=claim, body=str(form.get("message") or "")
                )
            except ClaimInputError as error:
                self.message_error = error.errors.get("message", str(error))
                return None
        self.message_error = ""
        self.message_version += 1
        self._refresh(holder_id)
        return None

    @rx.event
    def set_upload_kind(self, value: str):
        self.upload_kind = value if value in {k for k, _ in HOLDER_FILE_KINDS} else "auto"

    @holder_event
    async def upload(self, me: Principal, files: list[rx.UploadFile]):
        received = await read_uploads(files)
        return await off_loop(self._store_uploads, me, received)

    def _store_uploads(self, me: Principal, received: list[tuple[bytes, str]]):
        holder_id = me.holder_id
        with session_scope() as db:
            claim = self._claim(db, holder_id)
            if claim is None:
                self.upload_errors = ["Ce sinistre est introuvable."]
                return None
            added, problems = add_uploads(
                db, claim, received, self.upload_kind, declaration_contents.add_document
            )
        self.upload_errors = problems
        self.flash = (
            f"{plural(added, 'fichier ajouté', 'fichiers ajoutés')} à votre dossier."
            if added
            else ""
        )
        self._refresh(holder_id)
        return None
