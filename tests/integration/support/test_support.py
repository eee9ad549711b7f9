"""Secure messaging on the real database: validation, statuses and response-time targets, the
holder's notices and e-mails (preferences respected, the adviser's text never e-mailed), ratings,
staff roles and the audit log, attachments, and ownership: holder B sending holder A's thread id to
every service function, every state handler and the download route gets nothing."""

from __future__ import annotations

import io
import types
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fpdf import FPDF
from PIL import Image
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from espace import routes
from espace.api.routes import build_api
from espace.claims import declaration, declaration_contents, declaration_sending
from espace.claims.models import StaffAuditLog
from espace.core import storage
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.demo.seed import DEMO_EMAIL
from espace.demo.support import seed_support
from espace.identity import sessions
from espace.identity.models import StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import preferences
from espace.notifications.models import Notification, OutboxMessage
from espace.state.messages import NewMessageState, ThreadState
from espace.state.staff_inbox import StaffInboxState
from espace.state.staff_thread import StaffThreadState
from espace.support import thread_handling, thread_inbox, thread_rules, thread_views
from espace.support import threads as support
from espace.support.models import SupportAttachment, SupportMessage, SupportThread
from espace.support.thread_rules import SupportError
from tests import factories
from tests.events import run_handler

COOKIE = "espace_session"
STAFF_TEXT = "Votre franchise contractuelle est de 150 euros, code interne Z-77"


def _jpeg(color: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
    return buffer.getvalue()


def _pdf(text: str = "Devis du plombier") -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(datetime(2026, 1, 5, tzinfo=UTC))  # the same bytes at each call
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def _open(db, holder_id: int, **fields) -> SupportThread:
    values = {
        "subject": "Question sur mon contrat",
        "category": "contract",
        "body": "Bonjour, une question.",
    }
    return support.open_thread(session=db, holder_id=holder_id, **{**values, **fields})


def _field(call) -> str:
    with pytest.raises(SupportError) as error:
        call()
    return error.value.field


def _sent_claim(db, person):
    contract = factories.contract(db, person)
    now = utcnow()
    claim = declaration.start_draft(
        session=db, holder_id=person.id, account_id=None, contract_id=contract.id
    )
    declaration.set_peril(session=db, claim=claim, peril_code="fire")
    declaration.set_answers(
        session=db,
        claim=claim,
        raw={"firefighters_called": "no", "fire_origin": "cooking", "someone_injured": "no"},
        today=now.date(),
    )
    declaration.set_when(
        session=db,
        claim=claim,
        day_text=(now - timedelta(days=1)).date().isoformat(),
        time_text="",
        description="Un feu de poêle a noirci la cuisine.",
        now=now,
    )
    declaration_contents.add_item(
        session=db,
        claim=claim,
        description="Hotte",
        category="appliances",
        purchase_date="",
        purchase_price="",
        estimate_text="400",
        today=now.date(),
    )
    declaration_sending.submit(session=db, claim=claim, now=now)
    return claim


# ----- opening a thread ---------------------------------------------------------------------------


def test_open_thread_validates_each_field_in_french(db):
    person, other = factories.holder(db), factories.holder(db)
    mine, theirs = factories.contract(db, person), factories.contract(db, other)
    assert _field(lambda: _open(db, person.id, subject="ab")) == "subject"
    assert _field(lambda: _open(db, person.id, subject="x" * 121)) == "subject"
    assert _field(lambda: _open(db, person.id, body="  ")) == "body"
    assert _field(lambda: _open(db, person.id, body="x" * 5001)) == "body"
    assert _field(lambda: _open(db, person.id, category="complaint")) == "category"
    assert _field(lambda: _open(db, person.id, contract_id=theirs.id)) == "contract"
    assert _field(lambda: _open(db, person.id, contract_id=999_999)) == "contract"
    their_claim = _sent_claim(db, other)
    assert (
        _field(lambda: _open(db, person.id, category="claim", claim_id=their_claim.id)) == "claim"
    )
    draft = declaration.start_draft(
        session=db, holder_id=person.id, account_id=None, contract_id=mine.id
    )
    assert _field(lambda: _open(db, person.id, category="claim", claim_id=draft.id)) == "claim"
    assert (
        db.exec(
            select(func.count())
            .select_from(SupportThread)
            .where(SupportThread.holder_id == person.id)
        ).one()
        == 0
    )
    with pytest.raises(ValueError):
        _open(db, person.id, origin="fax")
    thread = _open(db, person.id, subject="  Mon contrat  ", contract_id=mine.id, body="x" * 5000)
    assert (
        thread.subject == "Mon contrat"
        and thread.contract_id == mine.id
        and thread.origin == "portal"
    )
    own_claim = _sent_claim(db, person)
    assert _open(db, person.id, category="claim", claim_id=own_claim.id).claim_id == own_claim.id
    assert thread_views.linked_label(session=db, thread=thread) == f"Contrat {mine.number}"


def test_an_assistant_escalation_keeps_the_transcript_before_the_holders_message(db):
    person = factories.holder(db)
    thread = _open(
        db,
        person.id,
        origin="assistant",
        body="Je voudrais parler à un conseiller.",
        transcript=[
            ("holder", "Ma fenêtre est cassée"),
            ("assistant", "Est-ce un bris de glace ?"),
            ("holder", "  "),
            ("holder", "Oui, la baie vitrée."),
        ],
    )
    rows = thread_views.messages(session=db, thread_id=thread.id)
    assert [(m.author, m.body) for m in rows] == [
        ("holder", "Ma fenêtre est cassée"),
        ("assistant", "Est-ce un bris de glace ?"),
        ("holder", "Oui, la baie vitrée."),
        ("holder", "Je voudrais parler à un conseiller."),
    ]
    assert [thread_views.in_transcript(thread, m) for m in rows] == [True, True, True, False]
    assert thread.origin == "assistant" and thread.status == "open"
    with pytest.raises(ValueError):
        _open(db, person.id, transcript=[("staff", "Je suis un conseiller")])


# ----- statuses and targets -----------------------------------------------------------------------


def test_statuses_and_response_time_targets_follow_the_conversation(db):
    person, handler = factories.holder(db), factories.staff(db, role="handler")
    thread = _open(db, person.id, category="claim")
    assert thread.status == "open" and thread.reply_due_at == thread_rules.reply_due(
        "claim", thread.created_at
    )
    first_due = thread.reply_due_at
    support.reply(
        session=db, holder_id=person.id, thread_id=thread.id, body="J'ajoute une précision."
    )
    assert thread.reply_due_at == first_due  # an answer already owed keeps its target

    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=thread.id, body="Bonjour, voici la réponse."
    )
    assert thread.status == "waiting" and thread.reply_due_at is None
    assert thread.first_reply_at is not None and thread.assigned_staff_id == handler.id
    first_reply = thread.first_reply_at
    message = support.reply(
        session=db, holder_id=person.id, thread_id=thread.id, body="Merci, et pour la suite ?"
    )
    assert thread.status == "open" and thread.reply_due_at == thread_rules.reply_due(
        "claim", message.created_at
    )
    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=thread.id, body="La suite arrive."
    )
    assert thread.first_reply_at == first_reply  # the figures measure the first answer

    support.resolve_by_holder(session=db, holder_id=person.id, thread_id=thread.id)
    assert (
        thread.status == "resolved"
        and thread.resolved_at is not None
        and thread.reply_due_at is None
    )
    support.reply(
        session=db,
        holder_id=person.id,
        thread_id=thread.id,
        body="Finalement, encore une question.",
    )
    assert (
        thread.status == "open" and thread.resolved_at is None and thread.reply_due_at is not None
    )

    thread_handling.resolve(session=db, staff_id=handler.id, thread_id=thread.id)
    assert thread.status == "resolved"
    assert (
        _field(
            lambda: thread_handling.staff_reply(
                session=db, staff_id=handler.id, thread_id=thread.id, body="x"
            )
        )
        == "body"
    )
    assert (
        _field(
            lambda: thread_handling.resolve(session=db, staff_id=handler.id, thread_id=thread.id)
        )
        == "action"
    )
    thread_handling.reopen(session=db, staff_id=handler.id, thread_id=thread.id)
    assert thread.status == "open" and thread.reply_due_at is not None
    assert (
        _field(lambda: thread_handling.reopen(session=db, staff_id=handler.id, thread_id=thread.id))
        == "action"
    )
    actions = db.exec(
        select(StaffAuditLog.action)
        .where(StaffAuditLog.object_type == "support_thread", StaffAuditLog.object_id == thread.id)
        .order_by(StaffAuditLog.id)
    ).all()
    assert actions == ["reply", "reply", "resolve", "reopen"]


def test_unread_flags_for_holder_and_staff(db):
    person, handler = factories.holder(db), factories.staff(db, role="handler")
    thread = _open(db, person.id)
    [summary] = thread_views.list_threads(session=db, holder_id=person.id)
    assert summary.unread is False  # the holder's own message
    row = next(
        r
        for r in thread_inbox.inbox(
            session=db, staff_id=handler.id, filters=thread_inbox.InboxFilters(status="")
        )
        if r.id == thread.id
    )
    assert row.unread is True
    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=thread.id, body="Réponse"
    )
    [summary] = thread_views.list_threads(session=db, holder_id=person.id)
    assert summary.unread is True and summary.status == "waiting"
    assert [t.id for t in thread_views.needing_attention(session=db, holder_id=person.id)] == [
        thread.id
    ]
    thread.holder_read_at = utcnow() + timedelta(seconds=1)
    db.add(thread)
    [summary] = thread_views.list_threads(session=db, holder_id=person.id)
    assert summary.unread is False
    assert [t.id for t in thread_views.needing_attention(session=db, holder_id=person.id)] == [
        thread.id
    ]  # still waiting


# ----- what the holder is told --------------------------------------------------------------------


def _mails(db, email: str) -> list[OutboxMessage]:
    return list(
        db.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
        ).all()
    )


def test_a_staff_reply_is_announced_without_its_text(db):
    person, handler = factories.holder(db), factories.staff(db, role="handler")
    thread = _open(db, person.id, subject="Franchise dégât des eaux")
    before = len(_mails(db, person.email))
    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=thread.id, body=STAFF_TEXT
    )
    [mail] = _mails(db, person.email)[before:]
    assert mail.category == "messages" and "« Franchise dégât des eaux »" in mail.subject
    assert f"{routes.MESSAGE}?n={thread.id}" in mail.body and "espace" in mail.body
    assert (
        "Z-77" not in mail.body
        and "contractuelle" not in mail.body
        and STAFF_TEXT not in mail.subject + mail.body
    )
    notice = db.exec(
        select(Notification)
        .where(Notification.holder_id == person.id)
        .order_by(Notification.id.desc())
    ).first()
    assert notice.category == "messages" and notice.link == f"{routes.MESSAGE}?n={thread.id}"
    assert "Z-77" not in notice.title + notice.body


def test_the_e_mail_respects_the_holders_preferences(db):
    person, handler = factories.holder(db), factories.staff(db, role="handler")
    preferences.save(
        session=db,
        holder_id=person.id,
        critical_only=False,
        matrix={"messages": {"email": False, "in_app": True}},
    )
    thread = _open(db, person.id)
    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=thread.id, body="Réponse"
    )
    assert _mails(db, person.email) == []
    assert (
        db.exec(
            select(Notification).where(
                Notification.holder_id == person.id, Notification.category == "messages"
            )
        ).first()
        is not None
    )
    preferences.save(
        session=db, holder_id=person.id, critical_only=True, matrix={"messages": {"email": True}}
    )
    support.reply(session=db, holder_id=person.id, thread_id=thread.id, body="Merci")
    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=thread.id, body="Avec plaisir"
    )
    assert _mails(db, person.email) == []  # "critical only": a message is not critical


def test_resolving_invites_the_holder_to_rate(db):
    person, handler = factories.holder(db), factories.staff(db, role="handler")
    thread = _open(db, person.id, subject="Attestation scolaire")
    thread_handling.resolve(session=db, staff_id=handler.id, thread_id=thread.id)
    [mail] = _mails(db, person.email)
    assert "résolue" in mail.subject and f"{routes.MESSAGE}?n={thread.id}" in mail.body
    assert (
        db.exec(
            select(Notification).where(
                Notification.holder_id == person.id, Notification.title.contains("résolue")
            )
        ).first()
        is not None
    )


# ----- ratings ------------------------------------------------------------------------------------


def test_a_rating_comes_after_resolution_between_1_and_5_and_only_once(db):
    person = factories.holder(db)
    thread = _open(db, person.id)

    def rate(value, comment=""):
        return support.rate(
            session=db, holder_id=person.id, thread_id=thread.id, rating=value, comment=comment
        )

    assert _field(lambda: rate(5)) == "rating"
    support.resolve_by_holder(session=db, holder_id=person.id, thread_id=thread.id)
    for wrong in (0, 6, -1, True):
        assert _field(lambda wrong=wrong: rate(wrong)) == "rating"
    assert _field(lambda: rate(4, "x" * 1001)) == "comment"
    rate(4, "  Rapide  ")
    assert (thread.rating, thread.rating_comment) == (4, "Rapide") and thread.rated_at is not None
    assert _field(lambda: rate(5)) == "rating"
    assert thread.rating == 4


# ----- staff roles and assignment -----------------------------------------------------------------


def test_experts_have_no_inbox(db):
    person, expert = factories.holder(db), factories.staff(db, role="expert")
    thread = _open(db, person.id)
    calls = [
        lambda: thread_inbox.inbox(session=db, staff_id=expert.id),
        lambda: thread_inbox.figures(session=db, staff_id=expert.id),
        lambda: thread_inbox.staff_thread(session=db, staff_id=expert.id, thread_id=thread.id),
        lambda: thread_handling.take(session=db, staff_id=expert.id, thread_id=thread.id),
        lambda: thread_handling.staff_reply(
            session=db, staff_id=expert.id, thread_id=thread.id, body="x"
        ),
        lambda: thread_handling.resolve(session=db, staff_id=expert.id, thread_id=thread.id),
        lambda: thread_handling.reopen(session=db, staff_id=expert.id, thread_id=thread.id),
        lambda: thread_handling.mark_staff_read(
            session=db, staff_id=expert.id, thread_id=thread.id
        ),
        lambda: thread_inbox.attachment_for_staff(session=db, staff_id=expert.id, attachment_id=1),
        lambda: thread_inbox.audit_log(session=db, staff_id=expert.id, thread_id=thread.id),
    ]
    for call in calls:
        with pytest.raises(StaffForbidden):
            call()
    inactive = factories.staff(db, role="manager")
    inactive.is_active = False
    db.add(inactive)
    with pytest.raises(StaffForbidden):
        thread_inbox.inbox(session=db, staff_id=inactive.id)
    assert thread.status == "open" and thread.assigned_staff_id is None


def test_a_handler_takes_for_himself_and_a_manager_assigns_anyone(db):
    person = factories.holder(db)
    handler, other, manager = (
        factories.staff(db, role=r) for r in ("handler", "handler", "manager")
    )
    expert = factories.staff(db, role="expert")
    thread = _open(db, person.id)
    with pytest.raises(StaffForbidden):
        thread_handling.assign(
            session=db, staff_id=handler.id, thread_id=thread.id, assignee_id=other.id
        )
    thread_handling.take(session=db, staff_id=handler.id, thread_id=thread.id)
    assert thread.assigned_staff_id == handler.id
    thread_handling.assign(
        session=db, staff_id=manager.id, thread_id=thread.id, assignee_id=other.id
    )
    assert thread.assigned_staff_id == other.id
    assert (
        _field(
            lambda: thread_handling.assign(
                session=db, staff_id=manager.id, thread_id=thread.id, assignee_id=expert.id
            )
        )
        == "assignee"
    )
    assert (
        _field(lambda: thread_handling.take(session=db, staff_id=handler.id, thread_id=999_999))
        == "thread"
    )
    log = thread_inbox.audit_log(session=db, staff_id=manager.id, thread_id=thread.id)
    assert [(entry.action, entry.staff_id, who) for entry, who in reversed(log)] == [
        ("take", handler.id, handler.full_name),
        ("assign", manager.id, manager.full_name),
    ]
    assert all(entry.object_type == "support_thread" for entry, _who in log)


def test_inbox_filters_and_figures(db):
    people = [factories.holder(db) for _ in range(3)]
    handler, manager = factories.staff(db, role="handler"), factories.staff(db, role="manager")
    figures_before = thread_inbox.figures(session=db, staff_id=handler.id)
    claim_thread = _open(db, people[0].id, category="claim", subject="Sinistre en cours")
    late = _open(db, people[1].id, category="payment", subject="Prélèvement en double")
    late.reply_due_at = utcnow() - timedelta(hours=3)
    db.add(late)
    answered = _open(db, people[2].id, category="other", subject="Changement d'adresse")
    thread_handling.staff_reply(
        session=db, staff_id=handler.id, thread_id=answered.id, body="C'est noté."
    )
    ours = {claim_thread.id, late.id, answered.id}

    def ids(**filters):
        return {
            r.id
            for r in thread_inbox.inbox(
                session=db, staff_id=manager.id, filters=thread_inbox.InboxFilters(**filters)
            )
        } & ours

    assert ids() == ours
    assert ids(status="open") == {claim_thread.id, late.id}
    assert ids(status="waiting") == {answered.id}
    assert ids(category="claim") == {claim_thread.id}
    assert ids(late_only=True) == {late.id}
    assert ids(assigned="unassigned") == {claim_thread.id, late.id}
    assert {
        r.id
        for r in thread_inbox.inbox(
            session=db, staff_id=handler.id, filters=thread_inbox.InboxFilters(assigned="mine")
        )
    } & ours == {answered.id}
    late_row = next(
        r for r in thread_inbox.inbox(session=db, staff_id=manager.id) if r.id == late.id
    )
    assert late_row.late and late_row.time_left.startswith("En retard de") and late_row.holder_name
    rows = [r.id for r in thread_inbox.inbox(session=db, staff_id=manager.id) if r.id in ours]
    assert rows.index(late.id) < rows.index(claim_thread.id)  # the most urgent answer first
    figures = thread_inbox.figures(session=db, staff_id=manager.id)
    assert figures.open_count == figures_before.open_count + 2
    assert figures.late_count == figures_before.late_count + 1
    assert figures.median_first_reply is not None


# ----- attachments --------------------------------------------------------------------------------


def test_attachments_are_checked_by_content_and_stored_privately(db):
    person, handler = factories.holder(db), factories.staff(db, role="handler")
    thread = _open(
        db, person.id, attachments=[(_jpeg(), "../../photo fuite.jpg"), (_pdf(), "devis.pdf")]
    )
    rows = db.exec(
        select(SupportAttachment)
        .where(SupportAttachment.thread_id == thread.id)
        .order_by(SupportAttachment.id)
    ).all()
    assert [(r.filename, r.mime_type) for r in rows] == [
        ("photo fuite.jpg", "image/jpeg"),
        ("devis.pdf", "application/pdf"),
    ]
    assert storage.get(rows[1].storage_key) == _pdf()
    assert thread_views.attachments_by_message(session=db, thread_id=thread.id).keys() == {
        rows[0].message_id
    }
    assert (
        thread_views.attachment_for_holder(
            session=db, holder_id=person.id, attachment_id=rows[0].id
        )
        == rows[0]
    )
    assert (
        thread_inbox.attachment_for_staff(session=db, staff_id=handler.id, attachment_id=rows[0].id)
        == rows[0]
    )
    thread_handling.staff_reply(
        session=db,
        staff_id=handler.id,
        thread_id=thread.id,
        body="Voici le courrier.",
        attachments=[(_pdf("Courrier"), "courrier.pdf")],
    )
    assert (
        db.exec(
            select(func.count())
            .select_from(SupportAttachment)
            .where(SupportAttachment.thread_id == thread.id)
        ).one()
        == 3
    )


def test_refused_files_stop_the_whole_message(db):
    person = factories.holder(db)
    count = db.exec(select(func.count()).select_from(SupportThread)).one()
    assert (
        _field(
            lambda: _open(
                db,
                person.id,
                attachments=[(_jpeg(), "a.jpg"), (b"MZ\x90\x00 not a photo", "b.jpg")],
            )
        )
        == "files"
    )
    assert (
        _field(lambda: _open(db, person.id, attachments=[(_jpeg(), f"{n}.jpg") for n in range(6)]))
        == "files"
    )
    assert (
        _field(
            lambda: _open(
                db, person.id, attachments=[(b"\xff\xd8" + b"0" * (10 * 1024 * 1024), "big.jpg")]
            )
        )
        == "files"
    )
    assert db.exec(select(func.count()).select_from(SupportThread)).one() == count
    thread = _open(db, person.id, attachments=[(_jpeg(), f"{n}.jpg") for n in range(5)])
    for _ in range(3):
        support.reply(
            session=db,
            holder_id=person.id,
            thread_id=thread.id,
            body="Encore des photos",
            attachments=[(_jpeg(), f"{n}.jpg") for n in range(5)],
        )
    messages_before = len(thread_views.messages(session=db, thread_id=thread.id))
    with pytest.raises(SupportError) as error:
        support.reply(
            session=db,
            holder_id=person.id,
            thread_id=thread.id,
            body="Une de plus",
            attachments=[(_jpeg(), "21.jpg")],
        )
    assert error.value.field == "files" and "20 fichiers" in str(error.value)
    assert len(thread_views.messages(session=db, thread_id=thread.id)) == messages_before


# ----- ownership: services ------------------------------------------------------------------------


def test_holder_b_gets_nothing_from_holder_as_thread_in_any_service(db):
    alice, bob = factories.holder(db), factories.holder(db)
    thread = _open(db, alice.id, attachments=[(_jpeg(), "a.jpg")])
    attachment = db.exec(
        select(SupportAttachment).where(SupportAttachment.thread_id == thread.id)
    ).one()
    thread_id = thread.id
    assert support.holder_thread(session=db, holder_id=bob.id, thread_id=thread_id) is None
    assert support.mark_read(session=db, holder_id=bob.id, thread_id=thread_id) is False
    assert (
        thread_views.attachment_for_holder(
            session=db, holder_id=bob.id, attachment_id=attachment.id
        )
        is None
    )
    assert thread_views.list_threads(session=db, holder_id=bob.id) == []
    assert thread_views.needing_attention(session=db, holder_id=bob.id) == []
    for call in (
        lambda: support.reply(
            session=db, holder_id=bob.id, thread_id=thread_id, body="Je lis tout"
        ),
        lambda: support.resolve_by_holder(session=db, holder_id=bob.id, thread_id=thread_id),
        lambda: support.rate(session=db, holder_id=bob.id, thread_id=thread_id, rating=1),
    ):
        assert _field(call) == "thread"
    assert [m.body for m in thread_views.messages(session=db, thread_id=thread_id)] == [
        "Bonjour, une question."
    ]
    assert thread.status == "open" and thread.rating is None


# ----- ownership: state handlers (as Reflex would call them for B's browser) ----------------------


def _staff_token(db, staff: StaffUser) -> str:
    return sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, staff_id=staff.id)
    )


@pytest.fixture
def two_holders(engine):
    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        contract, claim = factories.contract(db, alice), _sent_claim(db, alice)
        thread = _open(db, alice.id, attachments=[(_jpeg(), "a.jpg")])
        expert, handler = factories.staff(db, role="expert"), factories.staff(db, role="handler")
        return SimpleNamespace(
            alice=factories.signed_in(db, alice),
            bob=factories.signed_in(db, bob),
            thread=thread.id,
            contract=contract.id,
            claim=claim.id,
            attachment=db.exec(
                select(SupportAttachment.id).where(SupportAttachment.thread_id == thread.id)
            ).one(),
            expert=(expert.id, _staff_token(db, expert)),
            handler=(handler.id, _staff_token(db, handler)),
            bob_id=bob.id,
        )

    data = factories.committed(setup)
    yield data

    def teardown(db):
        for staff_id in (data.expert[0], data.handler[0]):
            user = db.get(StaffUser, staff_id)
            user.is_active = False
            db.add(user)

    factories.committed(teardown)


def _stand_in(cls, *, holder=None, staff_id=None, **fields):
    me = SimpleNamespace(errors={}, flash="", form_version=0, **fields)
    for name in ("_act", "_refresh", "_fill", "_reply", "_open"):
        if hasattr(cls, name):
            setattr(me, name, types.MethodType(getattr(cls, name), me))
    me._holder_id = lambda: holder.holder_id if holder else None
    me._staff_id = lambda: staff_id
    me._to_login = me._to_staff_login = lambda: "login"
    return me


class _Upload:
    name = "piece.jpg"

    async def read(self, size: int = -1):
        return _jpeg("red")


def _snapshot(thread_id: int) -> tuple:
    with Session(get_engine()) as db:
        thread = db.get(SupportThread, thread_id)
        count = db.exec(
            select(func.count())
            .select_from(SupportMessage)
            .where(SupportMessage.thread_id == thread_id)
        ).one()
        files = db.exec(
            select(func.count())
            .select_from(SupportAttachment)
            .where(SupportAttachment.thread_id == thread_id)
        ).one()
        return (
            thread.status,
            thread.rating,
            thread.holder_read_at,
            thread.assigned_staff_id,
            count,
            files,
        )


def test_thread_handlers_refuse_another_holders_thread(two_holders):
    bob = two_holders.bob[1]
    before = _snapshot(two_holders.thread)
    me = _stand_in(
        ThreadState,
        holder=bob,
        _thread_id=two_holders.thread,
        found=True,
        transcript=[],
        conversation=[],
    )
    me._refresh(bob.holder_id)
    assert me.found is False and me.conversation == [] and me.transcript == []
    run_handler(ThreadState.reply, me, [_Upload()], {"body": "Je lis votre fil"})
    assert "introuvable" in me.errors.get("thread", "")
    run_handler(ThreadState.resolve, me)
    assert "introuvable" in me.errors.get("thread", "")
    run_handler(ThreadState.rate, me, {"rating": "1", "comment": "Nul"})
    assert "introuvable" in me.errors.get("thread", "")
    assert _snapshot(two_holders.thread) == before
    nobody = _stand_in(ThreadState, _thread_id=two_holders.thread)
    assert run_handler(ThreadState.resolve, nobody) == "login"
    assert run_handler(ThreadState.reply, nobody, [], {"body": "x"}) == "login"


def test_the_new_message_handler_refuses_another_holders_contract_and_claim(two_holders):
    bob = two_holders.bob[1]
    for category, field, linked_id in (
        ("contract", "contract", two_holders.contract),
        ("claim", "claim", two_holders.claim),
    ):
        me = _stand_in(NewMessageState, holder=bob)
        form = {
            "subject": "Votre contrat",
            "category": category,
            field: str(linked_id),
            "body": "Bonjour",
        }
        assert run_handler(NewMessageState.send, me, [], form) is None
        assert me.errors == {field: me.errors[field]} and "Choisissez" in me.errors[field]
    with Session(get_engine()) as db:
        assert thread_views.list_threads(session=db, holder_id=two_holders.bob_id) == []
    me = _stand_in(NewMessageState, holder=bob)
    outcome = run_handler(
        NewMessageState.send,
        me,
        [_Upload()],
        {"subject": "Ma question", "category": "other", "body": "Bonjour"},
    )
    assert me.errors == {} and outcome is not None
    with Session(get_engine()) as db:
        [mine] = thread_views.list_threads(session=db, holder_id=two_holders.bob_id)
        assert (
            db.exec(
                select(func.count())
                .select_from(SupportAttachment)
                .where(SupportAttachment.thread_id == mine.id)
            ).one()
            == 1
        )


def test_staff_handlers_refuse_experts(two_holders):
    expert_id = two_holders.expert[0]
    before = _snapshot(two_holders.thread)
    me = _stand_in(
        StaffThreadState,
        staff_id=expert_id,
        _thread_id=two_holders.thread,
        found=True,
        transcript=[],
        conversation=[],
        audit=[],
        assignee_options=[],
    )
    me._refresh(expert_id)
    assert me.found is False and me.conversation == [] and "rôle" in me.errors["form"]
    for call in (
        lambda: run_handler(StaffThreadState.take, me),
        lambda: run_handler(StaffThreadState.resolve, me),
        lambda: run_handler(StaffThreadState.reopen, me),
        lambda: run_handler(StaffThreadState.assign, me, {"assignee": str(expert_id)}),
        lambda: run_handler(StaffThreadState.reply, me, [_Upload()], {"body": "Réponse"}),
    ):
        me.errors = {}
        call()
        assert "rôle" in me.errors["form"]
    assert _snapshot(two_holders.thread) == before
    inbox = _stand_in(
        StaffInboxState,
        staff_id=expert_id,
        rows=[],
        figures=[],
        error="",
        f_status="active",
        f_category="",
        f_assigned="all",
        f_late=False,
    )
    StaffInboxState._refresh(inbox, expert_id)
    assert inbox.rows == [] and "rôle" in inbox.error
    nobody = _stand_in(StaffThreadState, _thread_id=two_holders.thread)
    assert run_handler(StaffThreadState.take, nobody) == "login"


def test_a_handler_answers_through_the_state(two_holders):
    handler_id = two_holders.handler[0]
    me = _stand_in(StaffThreadState, staff_id=handler_id, _thread_id=two_holders.thread)
    run_handler(StaffThreadState.take, me)
    run_handler(StaffThreadState.reply, me, [], {"body": "  "})
    assert "body" in me.errors
    run_handler(StaffThreadState.reply, me, [_Upload()], {"body": "Voici la réponse."})
    assert (
        me.errors == {}
        and me.status == "waiting"
        and me.conversation[-1].author.startswith("Agent")
    )
    assert me.conversation[-1].files[0].url.startswith("/api/messages/fichiers/")
    assert me.can_take is False and me.can_assign is False


# ----- the download route -------------------------------------------------------------------------


@pytest.fixture
def client(engine):
    with TestClient(build_api(), base_url="http://localhost:8000") as test_client:
        yield test_client


def test_attachments_are_served_only_to_their_holder_and_inbox_staff(two_holders, client):
    url = routes.message_file_url(two_holders.attachment)
    assert client.get(url).status_code == 401
    client.cookies.set(COOKIE, two_holders.alice[0])
    mine = client.get(url)
    assert mine.status_code == 200 and mine.headers["content-type"] == "image/jpeg"
    assert (
        mine.headers["cache-control"] == "no-store"
        and "attachment" in mine.headers["content-disposition"]
    )
    assert client.get(routes.message_file_url(two_holders.attachment + 100_000)).status_code == 404
    client.cookies.set(COOKIE, two_holders.bob[0])
    refused = client.get(url)
    assert refused.status_code == 404 and refused.headers["cache-control"] == "no-store"
    client.cookies.set(COOKIE, two_holders.expert[1])
    assert client.get(url).status_code == 404
    client.cookies.set(COOKIE, two_holders.handler[1])
    assert client.get(url).status_code == 200


# ----- demo data ----------------------------------------------------------------------------------


def test_the_demo_holder_has_a_rated_and_a_waiting_conversation(db):
    from espace.identity.models import Account

    holder_id = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
    threads = thread_views.list_threads(session=db, holder_id=holder_id)
    assert {t.status for t in threads} == {"resolved", "waiting"}
    assert next(t for t in threads if t.status == "resolved").rating == 5
    waiting = next(t for t in threads if t.status == "waiting")
    assert (
        waiting.unread
        and [m.author for m in thread_views.messages(session=db, thread_id=waiting.id)][-1]
        == "staff"
    )
    assert seed_support(db, demo_holder_id=holder_id) == 0  # idempotent
    manager = db.exec(select(StaffUser).where(StaffUser.email.like("nadia%"))).one()
    assert any(r.late for r in thread_inbox.inbox(session=db, staff_id=manager.id))
    assert any(r.origin == "assistant" for r in thread_inbox.inbox(session=db, staff_id=manager.id))
