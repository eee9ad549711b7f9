"""'Aide': the knowledge base, by category, each article with an anchor the search links to."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import assistance_link, customer_service_link
from espace.components.layout import app_shell, loading
from espace.state.help import ArticleView, CategoryView, HelpState


def _was_helpful(item: ArticleView) -> rx.Component:
    answer = HelpState.feedback.get(item.slug, "")
    return rx.el.div(
        rx.cond(
            answer == "",
            rx.el.div(
                rx.el.span("Cet article vous a-t-il aidé ?", id="utile-" + item.slug),
                rx.el.button(
                    "Oui",
                    type="button",
                    on_click=HelpState.rate(item.slug, True),
                    class_name="button-small",
                    aria_describedby="utile-" + item.slug,
                ),
                rx.el.button(
                    "Non",
                    type="button",
                    on_click=HelpState.rate(item.slug, False),
                    class_name="button-small",
                    aria_describedby="utile-" + item.slug,
                ),
                class_name="button-row faq-feedback-ask",
            ),
            rx.el.p(
                "Merci pour votre avis. ",
                rx.cond(
                    answer == "no",
                    rx.fragment(
                        "Désolés de ne pas avoir répondu à votre question : ",
                        rx.el.a("demandez à l'assistant", href=routes.ASSISTANT),
                        " ou ",
                        rx.el.a("écrivez à un conseiller", href=routes.MESSAGE_NEW),
                        ". Un désaccord avec nous ? ",
                        rx.el.a("Faites une réclamation", href=routes.COMPLAINTS),
                        ".",
                    ),
                ),
                role="status",
                class_name="field-hint",
            ),
        ),
        class_name="faq-feedback",
    )


def article(item: ArticleView) -> rx.Component:
    return rx.el.details(
        rx.el.summary(item.title, class_name="faq-question"),
        rx.foreach(item.paragraphs, lambda p: rx.el.p(p)),
        rx.cond(
            item.links.length() > 0,
            rx.el.p(
                rx.foreach(
                    item.links,
                    lambda link: rx.el.a(link.label, href=link.href, class_name="button-small"),
                ),
                class_name="button-row",
            ),
        ),
        _was_helpful(item),
        id=item.slug,
        class_name="faq-item",
    )


def category(item: CategoryView) -> rx.Component:
    return rx.el.section(
        rx.el.h2(item.label, class_name="card-title", id="aide-" + item.key),
        rx.foreach(item.articles, article),
        class_name="card",
    )


# An article opened from a search result or a link (#slug) is unfolded and shown (a file: no inline
# script for the Content-Security-Policy to allow).
OPEN_ANCHOR_SCRIPT = "/help-anchor.js"


def help_page() -> rx.Component:
    return app_shell(
        "Aide",
        rx.cond(
            HelpState.loaded,
            rx.el.div(
                rx.el.p(
                    "Une question ? Cherchez-la avec la barre de recherche en haut de la page, "
                    "parcourez les réponses ci-dessous, ou ",
                    rx.el.a("posez-la à l'assistant", href=routes.ASSISTANT),
                    ".",
                    class_name="field-hint",
                ),
                rx.el.nav(
                    rx.foreach(
                        HelpState.categories,
                        lambda c: rx.el.a(
                            c.label, href="#aide-" + c.key, class_name="button-small"
                        ),
                    ),
                    class_name="button-row",
                    aria_label="Thèmes de l'aide",
                ),
                rx.foreach(HelpState.categories, category),
                rx.el.p(
                    "Urgence 24 h/24 (fuite, effraction, incendie) : ",
                    assistance_link(),
                    ". Service client : ",
                    customer_service_link(),
                    ".",
                    class_name="notice",
                ),
                rx.el.p(
                    rx.el.a(
                        "Déclarer un sinistre",
                        href=routes.CLAIM_NEW,
                        class_name="button button-primary",
                    )
                ),
                rx.script(src=OPEN_ANCHOR_SCRIPT),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Les réponses aux questions les plus fréquentes.",
    )
