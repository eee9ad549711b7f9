"""/contrat/conditions: general conditions with table of contents, anchors, links and glossary."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.layout import app_shell, loading
from espace.state.conditions import (
    Article,
    GlossaryEntry,
    Paragraph,
    Segment,
    TocEntry,
)
from espace.state.conditions import (
    ConditionsState as K,
)


def segment(seg: Segment) -> rx.Component:
    return rx.match(
        seg.kind,
        ("ref", rx.el.a(seg.text, href="#" + seg.target, class_name="xref")),
        (
            "term",
            rx.el.a(
                seg.text,
                href="#glossaire-" + seg.target,
                title=seg.definition,
                class_name="term",
                aria_description=seg.definition,
            ),
        ),
        rx.el.span(seg.text),
    )


def paragraph(p: Paragraph) -> rx.Component:
    return rx.el.p(rx.foreach(p.segments, segment))


def article(a: Article) -> rx.Component:
    return rx.el.article(
        rx.el.h2(a.number, " — ", a.title, class_name="article-title"),
        rx.cond(
            a.particular != "",
            rx.el.div(
                rx.el.strong("Vos conditions particulières (formule ", K.formula, ") : "),
                a.particular,
                class_name="particular",
                role="note",
            ),
        ),
        rx.foreach(a.paragraphs, paragraph),
        rx.el.a("↑ Sommaire", href="#sommaire", class_name="back-top"),
        id=a.slug,
        class_name="cg-article",
        tab_index=-1,
    )


def toc_entry(entry: TocEntry) -> rx.Component:
    return rx.el.li(
        rx.el.a(entry.number, " — ", entry.title, href="#" + entry.slug),
        rx.cond(
            entry.changed,
            rx.el.span(" · modifié par vos conditions particulières", class_name="changed"),
        ),
    )


def glossary_entry(entry: GlossaryEntry) -> rx.Component:
    return rx.el.div(
        rx.el.dt(entry.term),
        rx.el.dd(entry.definition),
        id="glossaire-" + entry.key,
        class_name="gloss",
        tab_index=-1,
    )


def conditions_page() -> rx.Component:
    return app_shell(
        "Conditions générales",
        rx.cond(
            K.loaded,
            rx.el.div(
                rx.el.p(
                    "Version ",
                    K.version,
                    rx.cond(
                        K.number != "",
                        rx.el.span(
                            " · contrat ",
                            rx.el.a(K.number, href=routes.CONTRACT + "?n=" + K.number),
                            " · formule ",
                            K.formula,
                        ),
                    ),
                    class_name="field-hint",
                ),
                rx.el.nav(
                    rx.el.h2("Sommaire", class_name="card-title"),
                    rx.el.ol(rx.foreach(K.toc, toc_entry), class_name="toc"),
                    class_name="card",
                    id="sommaire",
                    aria_label="Sommaire des conditions générales",
                ),
                rx.el.div(rx.foreach(K.articles, article), class_name="card cg"),
                rx.el.section(
                    rx.el.h2("Glossaire", class_name="card-title"),
                    rx.el.dl(rx.foreach(K.glossary, glossary_entry), class_name="glossary"),
                    class_name="card",
                    id="glossaire",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Ce que disent vos conditions générales, avec ce que vos conditions particulières y "
            "changent."
        ),
    )
