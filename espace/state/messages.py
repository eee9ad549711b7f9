"""Secure messaging for the holder: the list (/messages), a new message (/messages/nouveau) and one
conversation (/message?n=<id>).

Thin: every handler re-reads the session and calls ``support.threads``, which loads the thread with
the holder's id in the query. The thread's id stays on the server (``_thread_id``); forms are not
cleared on an error, so nothing typed is lost."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import routes
from espace.claims import declaration_queries
from espace.claims.perils import label as peril_label
from espace.claims.uploads import MAX_BYTES
from espace.claims.workflow_views import staff_names
from espace.contracts import portfolio
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.state.form_values import text as _text
from espace.state.handlers import holder_event, off_loop
from espace.state.session import SessionState
from espace.support import thread_rules, thread_views
from espace.support import threads as support
from espace.support.models import MessageAuthor, SupportThread, ThreadCategory, ThreadStatus

NEW_UPLOAD_ID = "message-files"
REPLY_UPLOAD_ID = "reply-files"
CATEGORY_OPTIONS: list[list[str]] = [
    [ThreadCategory.CONTRACT.value, "Mon contrat"],
    [ThreadCategory.CLAIM.value, "Un sinistre"],
    [ThreadCategory.PAYMENT.value, "Un paiement"],
    [ThreadCategory.OTHER.value, "Autre question"],
]
# Badge look per status (the stylesheet colours badges by data-status).
STATUS_BADGE = {
    ThreadStatus.OPEN: "scheduled",
    ThreadStatus.WAITING: "suspended",
    ThreadStatus.RESOLVED: "terminated",
}


@dataclasses.dataclass
class FileLink:
    name: str = ""
    url: str = ""
    size: str = ""


@dataclasses.dataclass
class MessageView:
    author: str = ""
    kind: str = ""  # holder | staff | assistant
    mine: bool = False
    date: str = ""
    body: str = ""
    files: list[FileLink] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ThreadCard:
    url: str = ""
    subject: str = ""
    category: str = ""
    status: str = ""
    badge: str = ""
    date: str = ""
    unread: bool = False
    from_assistant: bool = False


def size_text(n: int) -> str:
    return (
        f"{fmt.number(round(n / 1024 / 1024, 1))} Mo"
        if n >= 1024 * 1024
        else f"{max(1, n // 1024)} Ko"
    )


def message_views(
    db, thread: SupportThread, *, viewer: str
) -> tuple[list[MessageView], list[MessageView]]:
    """(the assistant conversation carried into the thread, the conversation itself), named for
    ``viewer`` ("holder": "Vous" and the adviser's name; "staff": the holder's name and the
    adviser's)."""
    names = staff_names(session=db)
    holder = portfolio.holder(session=db, holder_id=thread.holder_id)
    files = thread_views.attachments_by_message(session=db, thread_id=thread.id)
    transcript, conversation = [], []
    for message in thread_views.messages(session=db, thread_id=thread.id):
        if message.author == MessageAuthor.HOLDER:
            author = "Vous" if viewer == "holder" else holder.display_name
        elif message.author == MessageAuthor.STAFF:
            author = names.get(message.staff_id, "Votre conseiller")
        else:
            author = thread_rules.ASSISTANT_NAME
        view = MessageView(
            author=author,
            kind=message.author,
            mine=message.author
            == (MessageAuthor.HOLDER if viewer == "holder" else MessageAuthor.STAFF),
            date=fmt.datetime_fr(message.created_at),
            body=message.body,
            files=[
                FileLink(f.filename, routes.message_file_url(f.id), size_text(f.size_bytes))
                for f in files.get(message.id, [])
            ],
        )
        (transcript if thread_views.in_transcript(thread, message) else conversation).append(view)
    return transcript, conversation


async def read_files(files: list) -> list[tuple[bytes, str]]:
    """The uploaded files' bytes (at most one byte past the limit: the service refuses them by
    size)."""
    return [
        (await upload.read(MAX_BYTES + 1), upload.name or "fichier")
        for upload in (files or [])[: thread_rules.MAX_FILES_PER_MESSAGE + 1]
    ]


def _int_or_none(text: str) -> int | None:
    return int(text) if str(text).strip().isdigit() else None


# ----- the list --------------------------------------------------------------------------------


class MessagesState(SessionState):
    loaded: bool = False
    threads: list[ThreadCard] = []

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        with session_scope() as db:
            rows = thread_views.list_threads(session=db, holder_id=holder_id)
        self.threads = [
            ThreadCard(
                url=f"{routes.MESSAGE}?n={t.id}",
                subject=t.subject,
                category=thread_rules.CATEGORY_LABELS.get(t.category, t.category),
                status=thread_rules.HOLDER_STATUS_LABELS.get(t.status, t.status),
                badge=STATUS_BADGE.get(t.status, ""),
                date=fmt.datetime_fr(t.last_message_at),
                unread=t.unread,
                from_assistant=t.origin == "assistant",
            )
            for t in rows
        ]
        self.loaded = True
        return None


# ----- a new message ---------------------------------------------------------------------------


class NewMessageState(SessionState):
    loaded: bool = False
    category: str = ""
    contract_options: list[list[str]] = []
    claim_options: list[list[str]] = []
    errors: dict[str, str] = {}

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        self.errors = {}
        wanted = self.router.url.query_parameters.get("sujet", "")
        self.category = wanted if wanted in set(ThreadCategory) else ""
        with session_scope() as db:
            self.contract_options = [
                [str(c.id), f"{c.number} · {p.address_line1}, {p.city}"]
                for c, p in portfolio.holder_contracts(session=db, holder_id=holder_id)
            ]
            self.claim_options = [
                [str(c.id), f"{c.number} · {peril_label(c.peril)}"]
                for c in declaration_queries.list_claims(session=db, holder_id=holder_id)
                if c.number is not None
            ]
        self.loaded = True
        return None

    @rx.event
    def set_category(self, value: str):
        self.category = value if value in set(ThreadCategory) else ""
        self.errors = {
            k: v for k, v in self.errors.items() if k not in ("category", "contract", "claim")
        }

    @holder_event
    async def send(self, me: Principal, files: list[rx.UploadFile], form: dict):
        holder_id = me.holder_id
        category = _text(form, "category", 12)
        linked = {
            "contract_id": _int_or_none(_text(form, "contract", 12))
            if category == ThreadCategory.CONTRACT
            else None,
            "claim_id": _int_or_none(_text(form, "claim", 12))
            if category == ThreadCategory.CLAIM
            else None,
        }
        attachments = await read_files(files)
        return await off_loop(self._open, holder_id, form, category, linked, attachments)

    def _open(self, holder_id: int, form: dict, category: str, linked: dict, attachments: list):
        try:
            with session_scope() as db:
                thread = support.open_thread(
                    session=db,
                    holder_id=holder_id,
                    subject=_text(form, "subject", 300),
                    category=category,
                    body=_text(form, "body", thread_rules.BODY_MAX + 1),
                    attachments=attachments,
                    **linked,
                )
                thread_id = thread.id
        except thread_rules.SupportError as error:
            self.errors = {error.field or "form": str(error)}
            return None
        self.errors = {}
        return [
            rx.clear_selected_files(NEW_UPLOAD_ID),
            rx.redirect(f"{routes.MESSAGE}?n={thread_id}&envoye=1"),
        ]


# ----- one conversation -------------------------------------------------------------------------


class ThreadState(SessionState):
    loaded: bool = False
    found: bool = False
    subject: str = ""
    category: str = ""
    linked: str = ""
    status: str = ""
    status_label: str = ""
    badge: str = ""
    transcript: list[MessageView] = []
    conversation: list[MessageView] = []
    rating: int = 0
    rating_comment: str = ""
    errors: dict[str, str] = {}
    flash: str = ""
    form_version: int = 0  # bumped after a success: the forms are drawn again, empty

    _thread_id: int = 0

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        param = self.router.url.query_parameters.get("n", "")[:12]
        self._thread_id = int(param) if param.isdigit() else 0
        self.errors = {}
        self.flash = (
            "Votre message est envoyé : un conseiller vous répond au plus vite."
            if (self.router.url.query_parameters.get("envoye") == "1")
            else ""
        )
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            thread = support.holder_thread(
                session=db, holder_id=holder_id, thread_id=self._thread_id
            )
            self.found = thread is not None
            if thread is None:
                self.transcript, self.conversation, self.subject = [], [], ""
                return
            support.mark_read(session=db, holder_id=holder_id, thread_id=thread.id)
            self.subject, self.status = thread.subject, thread.status
            self.category = thread_rules.CATEGORY_LABELS.get(thread.category, thread.category)
            self.linked = thread_views.linked_label(session=db, thread=thread)
            self.status_label = thread_rules.HOLDER_STATUS_LABELS.get(thread.status, thread.status)
            self.badge = STATUS_BADGE.get(thread.status, "")
            self.transcript, self.conversation = message_views(db, thread, viewer="holder")
            self.rating, self.rating_comment = thread.rating or 0, thread.rating_comment

    def _act(self, call, success: str):
        """Re-check the session, run ``call(db, holder_id, thread_id)``, show the outcome (errors by
        field)."""
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self.flash = ""
        try:
            with session_scope() as db:
                call(db, holder_id, self._thread_id)
        except thread_rules.SupportError as error:
            self.errors = {error.field or "form": str(error)}
            return None
        self.errors, self.flash = {}, success
        self.form_version += 1
        self._refresh(holder_id)
        return None

    @holder_event
    async def reply(self, me: Principal, files: list[rx.UploadFile], form: dict):
        body, attachments = _text(form, "body", thread_rules.BODY_MAX + 1), await read_files(files)
        return await off_loop(self._reply, body, attachments)

    def _reply(self, body: str, attachments: list):
        outcome = self._act(
            lambda db, me, tid: support.reply(
                session=db, holder_id=me, thread_id=tid, body=body, attachments=attachments
            ),
            "Votre message est envoyé.",
        )
        if outcome is None and not self.errors:
            return rx.clear_selected_files(REPLY_UPLOAD_ID)
        return outcome

    @holder_event
    def resolve(self, me: Principal):
        return self._act(
            lambda db, me, tid: support.resolve_by_holder(session=db, holder_id=me, thread_id=tid),
            "Conversation marquée comme résolue. Merci !",
        )

    @holder_event
    def rate(self, me: Principal, form: dict):
        rating = _int_or_none(_text(form, "rating", 2)) or 0
        comment = _text(form, "comment", thread_rules.RATING_COMMENT_MAX + 1)
        return self._act(
            lambda db, me, tid: support.rate(
                session=db, holder_id=me, thread_id=tid, rating=rating, comment=comment
            ),
            "Merci pour votre avis.",
        )
