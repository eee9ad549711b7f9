"""Assistant Espace: the conversation shown on the page, and the hand-over to an adviser.

The conversation lives on the server: the transcript sent to an adviser is the backend copy
(``_transcript``), written only by ``ask``, never what the browser could claim was said."""

from __future__ import annotations

import dataclasses
import json

import reflex as rx

from espace import routes
from espace.core.db import session_scope
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.quick_attestation import issue_today
from espace.state.session import SessionState
from espace.support import assistant, assistant_questions, assistant_replies

MAX_TURNS = 40  # questions kept in one conversation (the page and the hand-over)

# After an answer: the question asked at the top of the screen, its answer below, the field ready
# for the next one.
SHOW_LATEST = (
    "setTimeout(function(){var b=document.querySelectorAll('#assistant-log .chat-mine');var "
    "q=b[b.length-1];if(q){q.scrollIntoView({block:'start',behavior:'smooth'});}var "
    "f=document.getElementById('assistant-question');if(f){f.focus({preventScroll:true});}},150)"
)

CATEGORY_OPTIONS = [
    ["contract", "Mon contrat"],
    ["claim", "Un sinistre"],
    ["payment", "Un paiement"],
    ["other", "Autre demande"],
]


@dataclasses.dataclass
class ActionView:
    label: str = ""
    href: str = ""
    kind: str = "link"
    contract_id: int = 0


@dataclasses.dataclass
class SourceView:
    label: str = ""
    href: str = ""


@dataclasses.dataclass
class TurnView:
    author: str = "assistant"  # holder | assistant
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    actions: list[ActionView] = dataclasses.field(default_factory=list)
    sources: list[SourceView] = dataclasses.field(default_factory=list)
    understood: bool = True


def _view(reply: assistant_replies.Reply) -> TurnView:
    return TurnView(
        "assistant",
        list(reply.paragraphs),
        [ActionView(a.label, a.href, a.kind, a.contract_id) for a in reply.actions],
        [SourceView(s.label, s.href) for s in reply.sources],
        reply.understood,
    )


def _plain(reply: assistant_replies.Reply) -> str:
    """The answer as the adviser reads it in the thread: text, then its sources."""
    lines = list(reply.paragraphs)
    if reply.sources:
        lines.append("Sources : " + " ; ".join(s.label for s in reply.sources))
    return "\n".join(lines)


class AssistantState(SessionState):
    loaded: bool = False
    turns: list[TurnView] = []
    suggestions: list[str] = list(assistant.SUGGESTIONS)
    form_version: int = 0
    error: str = ""
    # Hand-over to an adviser
    escalating: bool = False
    escalate_subject: str = ""
    escalate_category: str = "other"
    escalate_errors: dict[str, str] = {}
    category_options: list[list[str]] = CATEGORY_OPTIONS
    _transcript: list[tuple[str, str]] = []
    _category: str = "other"
    _owner: int = 0  # the holder this conversation belongs to (a browser tab may change hands)

    def _forget(self) -> None:
        self.turns, self._transcript, self._category = [], [], "other"
        self.escalating, self.escalate_subject, self.escalate_errors, self.error = False, "", {}, ""

    def _own(self, holder_id: int) -> None:
        """A conversation started by someone else in this tab (before a sign-out) is never shown nor
        sent."""
        if self._owner != holder_id:
            self._forget()
            self._owner = holder_id

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        self._own(holder_id)
        self.loaded = True
        return None

    def _ask(self, question: str):
        principal = self._holder_principal()
        if principal is None:
            return self._to_login()
        self._own(principal.holder_id)
        question = (question or "").strip()[: assistant_questions.MAX_QUESTION_CHARS]
        if not question:
            self.error = "Écrivez votre question."
            return None
        if len(self._transcript) >= 2 * MAX_TURNS:
            self.error = (
                "Cette conversation est longue : effacez-la pour en commencer une autre, ou "
                "parlez à un conseiller."
            )
            return None
        with session_scope() as db:
            reply = assistant.answer(
                session=db,
                holder_id=principal.holder_id,
                question=question,
                today=utcnow().astimezone(PARIS).date(),
            )
        self.error = ""
        self.turns = [*self.turns, TurnView("holder", [question]), _view(reply)]
        self._transcript = [*self._transcript, ("holder", question), ("assistant", _plain(reply))]
        if reply.category != "other" or self._category == "other":
            self._category = reply.category
        if not self.escalate_subject:
            self.escalate_subject = question[:120]
        self.form_version += 1
        return rx.call_script(SHOW_LATEST)

    @holder_event
    def ask(self, me: Principal, form: dict):
        return self._ask(str(form.get("question", "")))

    @holder_event
    def ask_suggestion(self, me: Principal, question: str):
        if question not in assistant.SUGGESTIONS:
            return None
        return self._ask(question)

    @holder_event
    def download_attestation(self, me: Principal, contract_id: int):
        url, self.error = issue_today(holder_id=me.holder_id, contract_id=contract_id)
        return rx.call_script(f"window.location.href = {json.dumps(url)}") if url else None

    @holder_event
    def clear(self, me: Principal):
        self._forget()
        self.form_version += 1
        return None

    @holder_event
    def start_escalation(self, me: Principal):
        self.escalating, self.escalate_errors = True, {}
        self.escalate_category = self._category
        if not self.escalate_subject:
            self.escalate_subject = "Question à un conseiller"
        return None

    @rx.event
    def cancel_escalation(self):
        self.escalating, self.escalate_errors = False, {}

    @holder_event
    def escalate(self, me: Principal, form: dict):
        """Open a message thread carrying the whole conversation, then show it."""
        from espace.support import threads

        if self._owner != me.holder_id or not self._transcript:
            self._own(me.holder_id)
            self.escalate_errors = {
                "body": "Posez d'abord votre question à l'assistant, ou écrivez directement "
                "à un conseiller depuis « Mes messages »."
            }
            return None
        subject = str(form.get("subject", "")).strip()
        category = str(form.get("category", "other"))
        body = (
            str(form.get("body", "")).strip()
            or "Je souhaite parler à un conseiller au sujet de ma conversation avec l'assistant."
        )
        self.escalate_subject, self.escalate_category = subject[:120], category
        try:
            with session_scope() as db:
                thread = threads.open_thread(
                    session=db,
                    holder_id=me.holder_id,
                    subject=subject,
                    category=category,
                    body=body,
                    origin="assistant",
                    transcript=list(self._transcript),
                )
                thread_id = thread.id
        except ValueError as error:
            self.escalate_errors = {getattr(error, "field", "") or "body": str(error)}
            return None
        self._forget()
        return rx.redirect(f"{routes.MESSAGE}?n={thread_id}&envoye=1")
