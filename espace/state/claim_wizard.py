"""The claim declaration wizard: a saved draft, one step per screen (the steps' form handlers are
in claim_wizard_steps.py).

Every handler re-reads the session and loads the draft with the holder's id in the query, so
an id sent by the browser never reaches another holder's claim."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import declaration, declaration_queries, declaration_sending, perils
from espace.claims.deadlines import describe as describe_deadline
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.sessions import Principal
from espace.state.claim_rows import (
    Fact,
    FileView,
    ItemView,
    Option,
    QuestionView,
    _contract_label,
    estimate_facts,
    file_view,
    item_view,
)
from espace.state.claim_wizard_steps import ClaimWizardStepsMixin
from espace.state.handlers import holder_event
from espace.state.session import SessionState


class ClaimWizardState(SessionState, ClaimWizardStepsMixin):
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

    # -- the browser's position (the script's callback is this class's handler) --

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

    # -- moving between steps, sending --

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
