"""Claims for the holder: the list and the claim tracker (stages, documents, messages); the
declaration wizard is in claim_wizard.py, the display rows in claim_rows.py.

Every handler re-reads the session and loads the claim with the holder's id in the query, so
an id sent by the browser never reaches another holder's claim."""

from __future__ import annotations

import reflex as rx

from espace.claims import (
    assistance,
    declaration,
    declaration_contents,
    declaration_queries,
    perils,
    stages,
    workflow_views,
)
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim
from espace.contracts import portfolio
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.formatting import PARIS, plural
from espace.core.models import utcnow
from espace.identity.sessions import Principal
from espace.state.claim_rows import (
    HOLDER_FILE_KINDS,
    AssistanceView,
    ClaimCard,
    EventView,
    Fact,
    FileView,
    ItemView,
    MessageView,
    StepView,
    _contract_label,
    add_uploads,
    estimate_facts,
    file_view,
    item_view,
    read_uploads,
)
from espace.state.handlers import holder_event, off_loop
from espace.state.session import SessionState

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
