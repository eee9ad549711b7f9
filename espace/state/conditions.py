"""/contrat/conditions?n=…: the general conditions as navigable text, with what the holder's
particular conditions change highlighted, cross-references as links and a glossary."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.contracts import catalogue, portfolio
from espace.contracts import conditions_data as cg
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.session import SessionState


@dataclasses.dataclass
class Segment:
    kind: str = "text"  # text | ref | term
    text: str = ""
    target: str = ""  # anchor of the article, or glossary key
    definition: str = ""


@dataclasses.dataclass
class Paragraph:
    segments: list[Segment] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Article:
    number: str = ""
    slug: str = ""
    title: str = ""
    chapter: str = ""
    paragraphs: list[Paragraph] = dataclasses.field(default_factory=list)
    particular: str = ""  # what the particular conditions change, for this contract's formula


@dataclasses.dataclass
class TocEntry:
    number: str = ""
    slug: str = ""
    title: str = ""
    changed: bool = False


@dataclasses.dataclass
class GlossaryEntry:
    key: str = ""
    term: str = ""
    definition: str = ""


def build_articles(formula_code: str) -> list[Article]:
    overrides: dict[str, list[str]] = {}
    for item in cg.PARTICULAR_OVERRIDES.get(formula_code, []):
        overrides.setdefault(item["article"], []).append(item["text"])
    articles = []
    for art in cg.ARTICLES:
        paragraphs = [
            Paragraph(
                [
                    Segment(
                        seg["kind"],
                        seg["text"],
                        seg.get("target", ""),
                        cg.GLOSSARY[seg["target"]]["definition"] if seg["kind"] == "term" else "",
                    )
                    for seg in cg.render_paragraph(text)
                ]
            )
            for text in art["paragraphs"]
        ]
        articles.append(
            Article(
                art["number"],
                art["slug"],
                art["title"],
                art.get("chapter", ""),
                paragraphs,
                " ".join(overrides.get(art["number"], [])),
            )
        )
    return articles


class ConditionsState(SessionState):
    loaded: bool = False
    number: str = ""
    formula: str = ""
    version: str = cg.GENERAL_CONDITIONS_VERSION
    articles: list[Article] = []
    toc: list[TocEntry] = []
    glossary: list[GlossaryEntry] = []

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        with session_scope() as db:
            contract = portfolio.owned_contract(
                session=db,
                holder_id=me.holder_id,
                number=self.router.url.query_parameters.get("n", ""),
            )
            formula = catalogue.formula(
                session=db, formula_id=contract.formula_id if contract else None
            )
        self.number = contract.number if contract else ""
        self.formula = formula.name if formula else ""
        self.articles = build_articles(formula.code if formula else "")
        self.toc = [TocEntry(a.number, a.slug, a.title, bool(a.particular)) for a in self.articles]
        self.glossary = [
            GlossaryEntry(key, item["term"], item["definition"])
            for key, item in sorted(cg.GLOSSARY.items(), key=lambda kv: kv[1]["term"].lower())
        ]
        self.loaded = True
        # The articles render after this handler: honour a #anchor the page was opened with.
        return rx.call_script(
            "if(location.hash){setTimeout(function(){var e=document.getElementById("
            "decodeURIComponent(location.hash.slice(1)));if(e){e.scrollIntoView();"
            "e.focus({preventScroll:true});}},80);}"
        )
