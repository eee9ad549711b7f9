"""/gestion/sinistre: what was declared (the holder and the contract, the declaration, the items,
the decision and indemnity, the files)."""

from __future__ import annotations

import reflex as rx

from espace.components.facts import fact
from espace.pages.staff_claim_parts import _badge, _section
from espace.state.staff_claim_rows import AnswerItem, FileRow, ItemRow
from espace.state.staff_claims import StaffClaimState as C


def people_card() -> rx.Component:
    return _section(
        "Assuré et contrat",
        "holder",
        rx.el.dl(
            fact("Assuré", C.holder_name),
            rx.el.div(
                rx.el.dt("E-mail"),
                # an address wraps after its "@", never in the middle of a word
                rx.el.dd(
                    rx.cond(
                        C.holder_email.contains("@"),
                        rx.fragment(
                            C.holder_email.split("@")[0] + "@",
                            rx.el.wbr(),
                            C.holder_email.split("@")[1],
                        ),
                        C.holder_email,
                    ),
                    class_name="email",
                ),
                class_name="fact",
            ),
            fact("Téléphone", C.holder_phone),
            fact("Adresse", C.holder_address),
            fact("Contrat", C.contract_number),
            fact("Formule", C.formula),
            fact("Logement assuré", C.property_address),
            fact("Gestionnaire", rx.cond(C.handler_name != "", C.handler_name, "Non attribué")),
            fact("Expert", rx.cond(C.expert_name != "", C.expert_name, "Aucun")),
            rx.cond(C.visit != "", fact("Visite de l'expert", C.visit)),
            class_name="facts",
        ),
    )


def _pair(item: AnswerItem) -> rx.Component:
    return rx.el.div(rx.el.dt(item.question), rx.el.dd(item.answer), class_name="fact")


def declaration_card() -> rx.Component:
    return _section(
        "Déclaration",
        "declaration",
        rx.el.dl(
            fact("Événement", C.peril_label),
            fact("Survenu le", C.occurred),
            fact("Déclaré le", C.submitted),
            fact(
                "Délai de déclaration",
                rx.fragment(
                    C.deadline,
                    " ",
                    rx.cond(
                        C.late_declaration, _badge("Hors délai", "warn"), _badge("Dans les délais")
                    ),
                ),
            ),
            fact("Lieu", C.location),
            rx.foreach(C.answers, _pair),
            class_name="facts",
        ),
        rx.el.h3("Description", class_name="card-subtitle"),
        rx.el.p(C.description, class_name="staff-prewrap"),
    )


def _item_row(item: ItemRow) -> rx.Component:
    return rx.el.tr(
        rx.el.th(item.description, scope="row"),
        rx.el.td(item.category, data_label="Catégorie"),
        rx.el.td(item.purchased, data_label="Acheté le"),
        rx.el.td(item.price, class_name="num", data_label="Prix d'achat"),
        rx.el.td(item.estimate, class_name="num", data_label="Estimation"),
    )


def items_card() -> rx.Component:
    return _section(
        "Biens déclarés",
        "items",
        rx.el.div(
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(
                        *[
                            rx.el.th(c, scope="col")
                            for c in (
                                "Bien",
                                "Catégorie",
                                "Acheté le",
                                "Prix d'achat",
                                "Estimation",
                            )
                        ]
                    )
                ),
                rx.el.tbody(rx.foreach(C.items, _item_row)),
                rx.el.tfoot(
                    rx.el.tr(
                        rx.el.th("Total déclaré", scope="row", col_span=4),
                        rx.el.td(
                            rx.el.strong(C.declared_total), class_name="num", data_label="Total"
                        ),
                    )
                ),
                class_name="table table-cards",
            ),
            class_name="table-wrap",
            tab_index=0,
            role="region",
            aria_label="Biens déclarés",
        ),
        rx.cond(
            C.estimate_lines.length() > 0,
            rx.fragment(
                rx.el.h3(
                    "Estimation montrée à l'assuré lors de la déclaration",
                    class_name="card-subtitle",
                ),
                rx.el.dl(rx.foreach(C.estimate_lines, _pair), class_name="facts"),
                rx.cond(
                    C.estimate_explanation != "",
                    rx.el.p(C.estimate_explanation, class_name="field-hint"),
                ),
            ),
        ),
    )


def indemnity_card() -> rx.Component:
    return rx.cond(
        (C.indemnity != "") | (C.refusal_reason != "") | (C.requested_documents != ""),
        _section(
            "Décision et indemnisation",
            "decision",
            rx.cond(
                C.indemnity != "",
                rx.fragment(
                    rx.el.dl(
                        fact("Dommages retenus", C.assessed_damage),
                        fact("Plafond", C.ceiling),
                        fact("Franchise", C.deductible),
                        fact("Indemnité", rx.el.span(C.indemnity, id="indemnity-amount")),
                        class_name="facts",
                    ),
                    rx.el.p(C.indemnity_detail, class_name="field-hint", id="indemnity-detail"),
                ),
            ),
            rx.cond(C.payment != "", rx.el.p("Paiement : ", C.payment)),
            rx.cond(
                C.requested_documents != "",
                rx.el.p("Documents demandés : ", C.requested_documents, class_name="staff-prewrap"),
            ),
            rx.cond(
                C.refusal_reason != "",
                rx.el.p("Motif du refus : ", C.refusal_reason, class_name="staff-prewrap"),
            ),
        ),
    )


def _file(item: FileRow) -> rx.Component:
    return rx.el.li(
        rx.cond(
            item.photo,
            rx.el.a(
                rx.el.img(
                    src=item.thumbnail_url,
                    alt=item.alt,
                    class_name="staff-thumb",
                    loading="lazy",
                    width="96",
                    height="96",
                ),
                href=item.url,
                target="_blank",
                rel="noopener",
            ),
            rx.el.span(rx.icon("file-text", size=24, aria_hidden="true"), class_name="doc-icon"),
        ),
        rx.el.div(
            rx.el.p(
                rx.el.a(
                    item.name,
                    href=item.url,
                    target="_blank",
                    rel="noopener",
                    custom_attrs={"reloadDocument": True},
                )
            ),
            rx.el.p(
                item.kind,
                " · ajouté le ",
                item.uploaded,
                " par ",
                item.uploader,
                class_name="muted",
            ),
            class_name="doc-body",
        ),
        class_name="doc-row",
    )


def files_card() -> rx.Component:
    return _section(
        "Pièces du dossier",
        "files",
        rx.cond(
            C.files.length() == 0,
            rx.el.p("Aucune pièce jointe.", class_name="empty"),
            rx.el.ul(rx.foreach(C.files, _file), class_name="doc-list"),
        ),
    )
