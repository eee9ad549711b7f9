"""Demo conversations: the demo holder's question about her direct debit (answered, resolved and
rated) and one about her water damage (an adviser answered, waiting for her reply); two questions
of other holders so the staff inbox has work, one of them late and one carried over from the
assistant. Idempotent: nothing is added when the demo holder already has a conversation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, delete, select

from espace.claims.models import Claim, StaffAuditLog
from espace.contracts.models import Contract
from espace.core.models import utcnow
from espace.identity.models import Account, StaffRole, StaffUser
from espace.notifications.models import Notification, OutboxMessage
from espace.support import thread_handling, thread_rules, thread_views, threads
from espace.support.models import SupportMessage, SupportThread, ThreadStatus


def _dated(session: Session, thread: SupportThread, start: datetime, step: timedelta) -> None:
    """Spread the thread's messages from ``start`` by ``step`` as if it had lived in the past (the
    assistant transcript stays just before the thread), and date what follows from them
    accordingly."""
    rows = session.exec(
        select(SupportMessage)
        .where(SupportMessage.thread_id == thread.id)
        .order_by(SupportMessage.created_at, SupportMessage.id)
    ).all()
    transcript = [m for m in rows if thread_views.in_transcript(thread, m)]
    for index, message in enumerate(transcript):
        message.created_at = start - timedelta(minutes=len(transcript) - index)
    for index, message in enumerate(rows[len(transcript) :]):
        message.created_at = start + step * index
    session.add_all(rows)
    last, staff = rows[-1].created_at, [m.created_at for m in rows if m.author == "staff"]
    thread.created_at, thread.last_message_at = start, last
    thread.first_reply_at = staff[0] if staff else None
    thread.staff_read_at = last if staff else None  # nobody has read an unanswered question yet
    thread.holder_read_at = last if thread.status == ThreadStatus.RESOLVED else start
    if thread.status == ThreadStatus.OPEN:
        thread.reply_due_at = thread_rules.reply_due(thread.category, last)
    if thread.resolved_at:
        thread.resolved_at = thread.rated_at = last + step
    session.add(thread)
    for log in session.exec(
        select(StaffAuditLog).where(
            StaffAuditLog.object_type == "support_thread", StaffAuditLog.object_id == thread.id
        )
    ).all():
        log.at = last
        session.add(log)
    for notice in session.exec(
        select(Notification).where(Notification.link == thread_views.thread_link(thread))
    ).all():
        notice.created_at = last
        notice.read_at = last if thread.status == ThreadStatus.RESOLVED else None
        session.add(notice)


def seed_support(session: Session, *, demo_holder_id: int) -> int:
    """The demo conversations; returns how many were added."""
    if (
        session.exec(
            select(SupportThread.id).where(SupportThread.holder_id == demo_holder_id)
        ).first()
        is not None
    ):
        return 0
    now = utcnow()
    staff = {s.role: s for s in session.exec(select(StaffUser)).all()}
    handler, manager = staff[StaffRole.HANDLER], staff[StaffRole.MANAGER]
    first_outbox = (
        session.exec(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())).first() or 0
    )
    _debit_question(session, demo_holder_id, handler, now)
    _water_question(session, demo_holder_id, handler, now)
    others = [
        a.holder_id
        for a in session.exec(
            select(Account).where(Account.holder_id != demo_holder_id).order_by(Account.id).limit(2)
        ).all()
    ]
    count = 2 + _inbox_work(session, others, manager, now)
    # Demo e-mails were "sent" in the past: keep the outbox for what happens from now on.
    session.exec(delete(OutboxMessage).where(OutboxMessage.id > first_outbox))
    session.flush()
    return count


def _debit_question(session: Session, holder_id: int, handler: StaffUser, now: datetime) -> None:
    lyon = session.exec(
        select(Contract).where(Contract.holder_id == holder_id).order_by(Contract.number)
    ).first()
    thread = threads.open_thread(
        session=session,
        holder_id=holder_id,
        category="payment",
        subject="Changer la date de mes prélèvements",
        body=(
            "Bonjour,\n\nMon salaire est versé le 28 : pourriez-vous prélever ma cotisation "
            "mensuelle le 5 du mois plutôt que le 1er ? Il s'agit du contrat "
            f"{lyon.number if lyon else ''}.\n\nMerci, Camille Martin"
        ),
    )
    thread_handling.staff_reply(
        session=session,
        staff_id=handler.id,
        thread_id=thread.id,
        body=(
            "Bonjour Madame Martin,\n\nC'est fait : à partir du mois prochain, votre cotisation "
            "sera prélevée le 5. Votre nouvel échéancier est disponible dans « Mes paiements "
            "».\n\nBonne journée, Sophie Bernard"
        ),
    )
    threads.reply(
        session=session, holder_id=holder_id, thread_id=thread.id, body="Parfait, merci beaucoup !"
    )
    thread_handling.resolve(session=session, staff_id=handler.id, thread_id=thread.id)
    threads.rate(
        session=session,
        holder_id=holder_id,
        thread_id=thread.id,
        rating=5,
        comment="Réponse rapide et claire.",
    )
    _dated(session, thread, now - timedelta(days=40), timedelta(hours=5))


def _water_question(session: Session, holder_id: int, handler: StaffUser, now: datetime) -> None:
    claim = session.exec(
        select(Claim).where(
            Claim.holder_id == holder_id, Claim.peril == "water_damage", Claim.number.is_not(None)
        )
    ).first()
    thread = threads.open_thread(
        session=session,
        holder_id=holder_id,
        category="claim",
        claim_id=claim.id if claim else None,
        subject="Devis du plombier pour le dégât des eaux",
        body="Bonjour,\n\nLe plombier est passé et m'a remis un devis pour la reprise du parquet. "
        "Dois-je attendre la visite de l'expert pour lancer les travaux ?",
    )
    thread_handling.staff_reply(
        session=session,
        staff_id=handler.id,
        thread_id=thread.id,
        body=(
            "Bonjour Madame Martin,\n\nMerci pour votre message. Attendez la visite de l'expert "
            "avant de commencer les travaux : il doit constater les dommages. Pouvez-vous nous "
            "envoyer le devis du plombier en pièce jointe, ici ?\n\nSophie Bernard"
        ),
    )
    _dated(session, thread, now - timedelta(days=2), timedelta(hours=3))


def _inbox_work(session: Session, holder_ids: list[int], manager: StaffUser, now: datetime) -> int:
    if len(holder_ids) < 2:
        return 0
    late = threads.open_thread(
        session=session,
        holder_id=holder_ids[0],
        category="contract",
        subject="Ajouter ma compagne au contrat",
        body=(
            "Bonjour, ma compagne vient s'installer chez moi : faut-il l'ajouter au contrat "
            "habitation ?"
        ),
    )
    _dated(session, late, now - timedelta(days=6), timedelta(hours=1))
    escalated = threads.open_thread(
        session=session,
        holder_id=holder_ids[1],
        category="other",
        origin="assistant",
        subject="Attestation pour ma future location",
        body="Je voudrais parler à un conseiller, s'il vous plaît.",
        transcript=[
            (
                "holder",
                "Il me faut une attestation pour le logement que je vais louer le mois prochain.",
            ),
            (
                "assistant",
                "Une attestation porte sur le logement assuré par votre contrat. Pour un nouveau "
                "logement, le contrat doit d'abord être modifié ou souscrit : un conseiller peut "
                "vous aider.",
            ),
            ("holder", "D'accord."),
        ],
    )
    thread_handling.assign(
        session=session, staff_id=manager.id, thread_id=escalated.id, assignee_id=manager.id
    )
    _dated(session, escalated, now - timedelta(hours=3), timedelta(minutes=1))
    return 2
