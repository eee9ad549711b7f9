""" "Cet article vous a-t-il aidé ?": one answer per holder and help article, the latest one
counts."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from espace import content
from espace.core.db import savepoint
from espace.core.models import utcnow
from espace.support.models import ArticleFeedback


def record(*, session: Session, holder_id: int, slug: str, helpful: bool) -> ArticleFeedback:
    if content.article(slug) is None:
        raise ValueError("Cet article n'existe pas.")
    query = select(ArticleFeedback).where(
        ArticleFeedback.holder_id == holder_id, ArticleFeedback.article_slug == slug
    )
    row = session.exec(query).first()
    if row is None:
        try:
            # two quick clicks: the second insert meets the first one's row
            with savepoint(session):
                row = ArticleFeedback(holder_id=holder_id, article_slug=slug, helpful=bool(helpful))
                session.add(row)
            return row
        except IntegrityError:
            row = session.exec(query).one()
    row.helpful, row.answered_at = bool(helpful), utcnow()
    session.add(row)
    session.flush()
    return row


def answers(*, session: Session, holder_id: int) -> dict[str, bool]:
    """The holder's answers by article."""
    rows = session.exec(select(ArticleFeedback).where(ArticleFeedback.holder_id == holder_id)).all()
    return {row.article_slug: row.helpful for row in rows}


def tally(*, session: Session) -> dict[str, tuple[int, int]]:
    """Per article: (helpful, not helpful) answers, for the editors of the help centre."""
    rows = session.exec(
        select(ArticleFeedback.article_slug, ArticleFeedback.helpful, func.count()).group_by(
            col(ArticleFeedback.article_slug), col(ArticleFeedback.helpful)
        )
    ).all()
    counts: dict[str, list[int]] = {}
    for slug, helpful, count in rows:
        counts.setdefault(slug, [0, 0])[0 if helpful else 1] += count
    return {slug: (yes, no) for slug, (yes, no) in counts.items()}
