"""The holder's complaints (réclamations): the list and the form (/reclamations), one complaint
(/reclamation?n=<id>).

Thin: every handler re-reads the session and calls ``support.complaints``, which loads the
complaint with the holder's id in the query. The complaint's id stays on the server
(``_complaint_id``); forms are not cleared on an error, so nothing typed is lost."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import routes
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.state.form_values import text as _text
from espace.state.handlers import holder_event
from espace.state.session import SessionState
from espace.support import complaint_rules, complaint_views, complaints
from espace.support.complaint_rules import ComplaintError
from espace.support.models import ComplaintTopic

TOPIC_OPTIONS: list[list[str]] = [
    [t.value, complaint_rules.TOPIC_LABELS[t]] for t in ComplaintTopic
]


@dataclasses.dataclass
class ComplaintRow:
    url: str = ""
    reference: str = ""
    topic: str = ""
    subject: str = ""
    linked: str = ""
    status: str = ""
    status_label: str = ""
    filed: str = ""
    acknowledgement_due: str = ""
    answer_due: str = ""
    left: str = ""
    late: bool = False
    mediator_open: bool = False


@dataclasses.dataclass
class ExchangeRow:
    kind: str = ""
    title: str = ""
    at: str = ""
    body: str = ""


def to_row(found: complaint_views.ComplaintView) -> ComplaintRow:
    return ComplaintRow(
        url=f"{routes.COMPLAINT}?n={found.id}",
        reference=found.reference,
        topic=found.topic,
        subject=found.subject,
        linked=found.linked,
        status=found.status,
        status_label=found.status_label,
        filed=found.filed,
        acknowledgement_due=found.acknowledgement_due,
        answer_due=found.answer_due,
        left=found.left,
        late=found.late,
        mediator_open=found.mediator_open,
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class ComplaintsState(SessionState):
    loaded: bool = False
    rows: list[ComplaintRow] = []
    topic: str = ""
    claim_options: list[list[str]] = []
    contract_options: list[list[str]] = []
    chosen_claim: str = ""
    chosen_contract: str = ""
    errors: dict[str, str] = {}

    @holder_event
    def load(self, me: Principal):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self._load_header(holder_id)
        params = self.router.url.query_parameters
        with session_scope() as db:
            claims, contracts = complaint_views.filing_choices(session=db, holder_id=holder_id)
            found = complaint_views.holder_rows(
                session=db, holder_id=holder_id, today=today_paris()
            )
        self.claim_options = [[str(i), label] for i, label in claims]
        self.contract_options = [[str(i), label] for i, label in contracts]
        wanted_claim = params.get("sinistre", "")[:20].upper()
        wanted_contract = params.get("contrat", "")[:12]
        # ?sinistre=<claim number>, from the claim's page
        self.chosen_claim = next(
            (i for i, label in self.claim_options if label.split(" · ")[0] == wanted_claim), ""
        )
        # ?contrat=<contract number>, from the contract's page
        self.chosen_contract = next(
            (i for i, label in self.contract_options if label == f"Contrat {wanted_contract}"), ""
        )
        wanted_topic = params.get("objet", "")
        self.topic = "claim" if self.chosen_claim else ("contract" if self.chosen_contract else "")
        if wanted_topic in set(ComplaintTopic):
            self.topic = wanted_topic
        self.rows = [to_row(row) for row in found]
        self.errors = {}
        self.loaded = True
        return None

    @rx.event
    def set_topic(self, value: str):
        self.topic = value if value in set(ComplaintTopic) else ""
        self.errors = {k: v for k, v in self.errors.items() if k not in ("topic", "claim")}

    @holder_event
    def file(self, me: Principal, form: dict):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        topic = _text(form, "topic", 12)
        try:
            with session_scope() as db:
                complaint = complaints.file_complaint(
                    session=db,
                    holder_id=holder_id,
                    topic=topic,
                    subject=_text(form, "subject", 300),
                    body=_text(form, "body", complaint_rules.BODY_MAX + 1),
                    claim_id=_int(_text(form, "claim", 12)) if topic == "claim" else None,
                    contract_id=_int(_text(form, "contract", 12))
                    if topic in ("contract", "payment")
                    else None,
                )
                complaint_id = complaint.id
        except ComplaintError as error:
            self.errors = {error.field or "form": str(error)}
            return None
        self.errors = {}
        return rx.redirect(f"{routes.COMPLAINT}?n={complaint_id}&envoyee=1")


class ComplaintState(SessionState):
    loaded: bool = False
    found: bool = False
    flash: str = ""
    errors: dict[str, str] = {}
    complaint: ComplaintRow = ComplaintRow()
    answered: str = ""
    disagreed: bool = False
    exchange: list[ExchangeRow] = []
    mediator_name: str = ""
    mediator_address: str = ""
    mediator_url: str = ""
    mediator_conditions: str = ""

    _complaint_id: int = 0

    @holder_event
    def load(self, me: Principal):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self._load_header(holder_id)
        param = self.router.url.query_parameters.get("n", "")[:12]
        self._complaint_id = int(param) if param.isdigit() else 0
        self.errors = {}
        self.flash = (
            "Votre réclamation est enregistrée : l'accusé de réception vous est envoyé."
            if self.router.url.query_parameters.get("envoyee") == "1"
            else ""
        )
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            detail = complaint_views.holder_detail(
                session=db,
                holder_id=holder_id,
                complaint_id=self._complaint_id,
                today=today_paris(),
            )
        self.found = detail is not None
        if detail is None:
            self.complaint, self.exchange = ComplaintRow(), []
            return
        self.complaint = to_row(detail.complaint)
        self.answered, self.disagreed = detail.complaint.answered, detail.complaint.disagreed
        self.exchange = [ExchangeRow(e.kind, e.title, e.at, e.body) for e in detail.exchange]
        self.mediator_name, self.mediator_address = detail.mediator.name, detail.mediator.address
        self.mediator_url = detail.mediator.url
        self.mediator_conditions = detail.mediator.conditions

    @holder_event
    def disagree(self, me: Principal, form: dict):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        try:
            with session_scope() as db:
                complaints.disagree(
                    session=db,
                    holder_id=holder_id,
                    complaint_id=self._complaint_id,
                    reason=_text(form, "reason", complaint_rules.BODY_MAX + 1),
                )
        except ComplaintError as error:
            self.errors = {error.field or "form": str(error)}
            return None
        self.errors = {}
        self.flash = "Votre désaccord est enregistré. Vous pouvez saisir le médiateur."
        self._refresh(holder_id)
        return None

    @holder_event
    def download(self, me: Principal):
        """The whole exchange as a PDF, rendered for this holder only."""
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        try:
            with session_scope() as db:
                pdf = complaint_views.exchange_pdf(
                    session=db,
                    holder_id=holder_id,
                    complaint_id=self._complaint_id,
                    today=today_paris(),
                )
        except LookupError:
            self.errors = {"form": "Cette réclamation est introuvable."}
            return None
        return rx.download(
            data=pdf, filename=f"reclamation-{self.complaint.reference or 'espace'}.pdf"
        )
