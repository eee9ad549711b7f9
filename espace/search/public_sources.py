"""What everybody may find (scope ``pub``: the FAQ, the general conditions' articles and the
glossary) and the holders of a formula (its guarantees with their ceiling, deductible, exclusions
and examples), as SearchDocs; a holder's own data and the back office's cards are in ``sources``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlmodel import Session, col, select

from espace import routes
from espace.contracts import labels
from espace.contracts.models import Formula, FormulaGuarantee, Guarantee
from espace.core import formatting as fmt
from espace.search.index import SearchDoc
from espace.search.sources import PUBLIC, formula_scope


def faq_docs() -> Iterator[SearchDoc]:
    from espace import content

    for article in content.help_centre().articles:
        body = "\n\n".join([article.body, " ".join(article.keywords)])
        yield SearchDoc(
            key=f"faq:{article.slug}",
            kind="faq",
            scope=PUBLIC,
            title=article.title,
            body=body,
            url=f"{routes.HELP}#{article.slug}",
            category=content.help_centre().categories.get(article.category, ""),
        )


def condition_docs() -> Iterator[SearchDoc]:
    from espace.contracts import conditions_data as cg

    for article in cg.ARTICLES:
        body = "\n\n".join(cg.visible_text(p) for p in article["paragraphs"])
        yield SearchDoc(
            key=f"article:{article['slug']}",
            kind="article",
            scope=PUBLIC,
            title=f"{article['number']} — {article['title']}",
            body=body,
            url=f"{routes.CONDITIONS}?n={{contract}}#{article['slug']}",
        )
    for key, entry in cg.GLOSSARY.items():
        yield SearchDoc(
            key=f"glossary:{cg.glossary_anchor(key)}",
            kind="glossary",
            scope=PUBLIC,
            title=entry["term"],
            body=entry["definition"],
            url=f"{routes.CONDITIONS}?n={{contract}}#glossaire-{key}",
        )


def related_terms(*labels_: str) -> list[str]:
    """The usual names (first expression of each thesaurus group) of what a guarantee's labels name:
    "Vol et vandalisme" is also "cambriolage" and "dépôt de plainte" for people who search for
    it."""
    from espace.search import text, thesaurus

    parts = {p.strip() for label in labels_ for p in re.split(r",|\bet\b|\(", label) if p.strip()}
    known = text.fold(" ".join(labels_))
    found: list[str] = []
    for part in sorted(parts):
        for group in thesaurus.groups_for(part):
            if group[0] not in found and text.fold(group[0]) not in known:
                found.append(group[0])
    return found


def guarantee_docs(session: Session) -> Iterator[SearchDoc]:
    from espace.contracts.coverage import deductible_text, example

    rows = session.exec(
        select(FormulaGuarantee, Guarantee, Formula)
        .join(Guarantee, col(Guarantee.id) == FormulaGuarantee.guarantee_id)
        .join(Formula, col(Formula.id) == FormulaGuarantee.formula_id)
    ).all()
    for cover, guarantee, formula in rows:
        ceiling = (
            fmt.money(cover.ceiling_cents)
            if cover.ceiling_cents is not None
            else cover.ceiling_note
        )
        kind = cover.deductible_kind
        deductible = (
            "la franchise choisie dans votre contrat"
            if kind == "contract"
            else deductible_text(kind, cover.deductible_value, None)[0]
        )
        yes, no = example(guarantee.category)
        category = labels.label(labels.GUARANTEE_CATEGORY, guarantee.category)
        related = related_terms(guarantee.name, category)
        body = (
            f"{guarantee.description}\n\nCatégorie : {category}. "
            f"Plafond : {ceiling}. Franchise : {deductible}. "
            f"{guarantee.article_refs} des conditions générales.\n\n"
            # Labels repeated in every guarantee would make all of them answer "non couvert": the
            # example that is not covered is introduced without those words.
            f"Exemple couvert : {yes} Exemple hors garantie : {no}\n\nExclusions : "
            + " ".join(cover.exclusions)
            + (f"\n\nVoir aussi : {', '.join(related)}." if related else "")
        )
        yield SearchDoc(
            key=f"guarantee:{formula.code.lower()}:{guarantee.code.lower()}",
            kind="guarantee",
            scope=formula_scope(formula.code),
            title=f"{guarantee.name} (formule {formula.name})",
            body=body,
            url=f"{routes.CONTRACT}?n={{contract}}",
            category=guarantee.category,
        )


def public_docs(session: Session) -> list[SearchDoc]:
    return [*faq_docs(), *condition_docs(), *guarantee_docs(session)]
