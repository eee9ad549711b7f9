"""The help centre (knowledge base): articles by category."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import content
from espace.core.db import session_scope
from espace.state.session import SessionState
from espace.support import help_feedback


@dataclasses.dataclass
class LinkView:
    label: str = ""
    href: str = ""


@dataclasses.dataclass
class ArticleView:
    slug: str = ""
    title: str = ""
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    links: list[LinkView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class CategoryView:
    key: str = ""
    label: str = ""
    articles: list[ArticleView] = dataclasses.field(default_factory=list)


def _categories() -> list[CategoryView]:
    views = []
    for key, label in content.CATEGORIES.items():
        articles = [
            ArticleView(a.slug, a.title, a.body.split("\n\n"), [LinkView(t, h) for t, h in a.links])
            for a in content.ARTICLES
            if a.category == key
        ]
        views.append(CategoryView(key, label, articles))
    return views


class HelpState(SessionState):
    loaded: bool = False
    categories: list[CategoryView] = _categories()
    feedback: dict[str, str] = {}  # slug -> "yes" | "no": the holder's answer to "was this helpful"

    @rx.event
    def load(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self._load_header(holder_id)
        with session_scope() as db:
            self.feedback = {
                slug: "yes" if helpful else "no"
                for slug, helpful in help_feedback.answers(session=db, holder_id=holder_id).items()
            }
        self.loaded = True
        return None

    @rx.event
    def rate(self, slug: str, helpful: bool):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        if content.article(str(slug)) is None:
            return None
        with session_scope() as db:
            help_feedback.record(
                session=db, holder_id=holder_id, slug=str(slug), helpful=helpful is True
            )
        self.feedback = {**self.feedback, str(slug): "yes" if helpful is True else "no"}
        return None
