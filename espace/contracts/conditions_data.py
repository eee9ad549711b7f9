"""The general conditions (conditions générales) of the MRH contract as structured data.

The text is a file, ``content/conditions/<version>.md`` (one per version of the contract; the
parser is ``espace.content.parse_conditions``). `ARTICLES` holds it article by article, in French,
with its ``$fields`` filled by `fields()` (the insurer's identity, the catalogue's and the tariff's
amounts). Paragraphs carry two markups that the web page turns into links (see `render_paragraph`):

- ``[[Art. 16]]``: a cross-reference to another article, written exactly as its ``number``;
- ``{{franchise}}`` or ``{{plafond|plafonds}}``: a glossary term, ``{{key}}`` or
  ``{{key|displayed text}}``, where ``key`` is a key of `GLOSSARY`.

`PARTICULAR_OVERRIDES` lists, per formula, what the particular conditions change compared to the
general ones, as plain text (no markup). Its amounts are computed from `cover_data.COVER`, so
both always agree.
"""

from __future__ import annotations

import re

from espace import content
from espace.contracts import tariff_data
from espace.contracts.catalogue_data import (
    FORMULA_NAMES,
    GUARANTEES,
    NATURAL_DISASTER_DEDUCTIBLE_CENTS,
)
from espace.contracts.cover_data import COVER
from espace.core import formatting as fmt
from espace.core.insurer import insurer
from espace.core.settings import get_settings
from espace.core.text import fold

GENERAL_CONDITIONS_VERSION = "CG-MRH-2026-01"

NBSP = "\u00a0"


def format_euros(cents: int) -> str:
    """A whole amount in euros, French style: ``4 500 000 €`` (narrow no-break thousands
    separator)."""
    return f"{fmt.number(cents // 100)}{NBSP}€"


def _amount_in(text: str, index: int = -1) -> int:
    """Cents of the `index`-th euro amount written in a catalogue note (``"… jusqu'à 3 000 €"``)."""
    amounts = re.findall(r"(\d[\d \u00a0\u202f]*)\s?€", text)
    if not amounts:
        raise ValueError(f"no amount in {text!r}")
    return int(re.sub(r"\D", "", amounts[index])) * 100


def _number_in(text: str, unit: str) -> int:
    """The number written before `unit` in a catalogue note (``"30 % du capital"``,
    ``"5 nuits"``)."""
    match = re.search(rf"(\d+)\s?{unit}", text)
    if match is None:
        raise ValueError(f"no {unit!r} in {text!r}")
    return int(match.group(1))


def _deductible_levels() -> str:
    """The contract deductibles the tariff offers: ``150 €, 300 €, 500 € ou 1 000 €``."""
    levels = [format_euros(cents) for cents in sorted(tariff_data.CURRENT["deductible_coef_bp"])]
    return levels[0] if len(levels) == 1 else f"{', '.join(levels[:-1])} ou {levels[-1]}"


def fields() -> dict[str, str]:
    """What the text's ``$fields`` stand for: the insurer's identity (settings) and the amounts of
    the catalogue and the tariff, so that the conditions never disagree with them."""
    settings, company = get_settings(), insurer()
    return {
        "insurer_name": company.name,
        "insurer_address": company.address,
        "insurer_phone": company.phone,
        "assistance_phone": company.assistance_phone,
        "dpo_email": company.dpo_email,
        "complaints_email": company.complaints_email,
        "mediator_name": settings.mediator_name,
        "mediator_address": settings.mediator_address,
        "mediator_site": settings.mediator_url.removeprefix("https://"),
        "legal_deductible": format_euros(NATURAL_DISASTER_DEDUCTIBLE_CENTS),
        "deductible_levels": _deductible_levels(),
    }


_EUROS = re.compile(r"(?<![\d,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})*)[ \u00a0]€")


def _typeset(text: str) -> str:
    """Amounts written ``1 000 €`` in the file, printed with French no-break spaces."""
    return _EUROS.sub(lambda m: format_euros(int(re.sub(r"\D", "", m.group(1))) * 100), text)


TEXT = content.conditions(GENERAL_CONDITIONS_VERSION, fields())

ARTICLES: list[dict] = [
    {
        "number": article.number,
        "slug": article.slug,
        "title": article.title,
        "chapter": article.chapter,
        "paragraphs": [_typeset(paragraph) for paragraph in article.paragraphs],
    }
    for article in TEXT.articles
]

ARTICLES_BY_NUMBER: dict[str, dict] = {article["number"]: article for article in ARTICLES}
ARTICLES_BY_SLUG: dict[str, dict] = {article["slug"]: article for article in ARTICLES}


def chapters() -> list[tuple[str, list[dict]]]:
    """The articles grouped by chapter, in the order of the text."""
    groups: list[tuple[str, list[dict]]] = []
    for article in ARTICLES:
        if not groups or groups[-1][0] != article["chapter"]:
            groups.append((article["chapter"], []))
        groups[-1][1].append(article)
    return groups


# ---------------------------------------------------------------------------------------------
# Glossary
# ---------------------------------------------------------------------------------------------

GLOSSARY: dict[str, dict[str, str]] = {
    key: {"term": term, "definition": _typeset(definition)}
    for key, (term, definition) in TEXT.glossary.items()
}


def glossary_anchor(key: str) -> str:
    """An ASCII anchor for a glossary key: ``"valeur à neuf"`` -> ``"valeur-a-neuf"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(key)).strip("-")


# ---------------------------------------------------------------------------------------------
# Particular conditions: what each formula changes compared to the general conditions
# ---------------------------------------------------------------------------------------------

_GUARANTEE_ARTICLES = {code: number for code, _category, _name, _description, number in GUARANTEES}
_GUARANTEE_NAMES = {code: name for code, _category, name, _description, _number in GUARANTEES}
_FORMULA_NAMES = FORMULA_NAMES


def _cover(formula: str, guarantee: str) -> tuple:
    return COVER[formula][guarantee]


def _ceiling(formula: str, guarantee: str) -> str:
    return format_euros(_cover(formula, guarantee)[0])


def _not_covered(formula: str, guarantee: str) -> dict:
    return {
        "article": _GUARANTEE_ARTICLES[guarantee],
        "text": f"La garantie {_GUARANTEE_NAMES[guarantee]} n'est pas acquise dans la formule "
        f"{_FORMULA_NAMES[formula]}.",
    }


def _liability(formula: str) -> dict:
    ceiling_cents, note, *_rest = _cover(formula, "RC_VIE_PRIVEE")
    return {
        "article": "Art. 12",
        "text": f"La garantie est accordée à hauteur de {format_euros(ceiling_cents)} par "
        "sinistre, dont "
        f"{format_euros(_amount_in(note))} pour les dommages matériels.",
    }


def _assistance(formula: str, extra: str = "") -> dict:
    ceiling_cents, note, *_rest = _cover(formula, "ASSISTANCE")
    return {
        "article": "Art. 14",
        "text": f"Les prestations d'assistance sont prises en charge dans la limite de "
        f"{format_euros(ceiling_cents)} par sinistre ; le relogement d'urgence est pris en charge "
        f"pendant {_number_in(note, 'nuits')} nuits au plus.{extra}",
    }


def _leak_search(formula: str) -> str:
    return format_euros(_amount_in(_cover(formula, "DEGATS_EAUX")[1]))


def _valuables_share(formula: str) -> int:
    return _number_in(_cover(formula, "VOL")[1], "%")


def _legal_protection_threshold(formula: str) -> str:
    return format_euros(_amount_in(_cover(formula, "PROTECTION_JURIDIQUE")[1]))


_OPTIONAL_LEGAL_PROTECTION = (
    "La protection juridique n'est pas incluse dans la formule {formula} ; elle peut être "
    "souscrite "
    "en option, avec un plafond et un seuil d'intervention fixés lors de sa souscription."
)

PARTICULAR_OVERRIDES: dict[str, list[dict]] = {
    "ESSENTIELLE": [
        {
            "article": "Art. 5",
            "text": "Les bâtiments sont indemnisés sur la base de leur valeur de reconstruction, "
            "vétusté "
            "déduite, et le mobilier dans la limite du capital mobilier. Les brûlures de fumeurs "
            "sans incendie ne sont pas garanties.",
        },
        {
            "article": "Art. 6",
            "text": "Les dommages sont garantis dans la limite du capital mobilier et des frais de "
            "remise en "
            "état ; la recherche de fuite est prise en charge au titre de ces frais. Les "
            "infiltrations "
            "par les façades ne sont pas garanties.",
        },
        {
            "article": "Art. 7",
            "text": "Les clôtures, antennes et stores extérieurs ne sont pas garantis.",
        },
        _not_covered("ESSENTIELLE", "VOL"),
        _not_covered("ESSENTIELLE", "BRIS_GLACE"),
        _not_covered("ESSENTIELLE", "DOMMAGES_ELEC"),
        _liability("ESSENTIELLE"),
        {
            "article": "Art. 13",
            "text": _OPTIONAL_LEGAL_PROTECTION.format(formula=FORMULA_NAMES["ESSENTIELLE"]),
        },
        _assistance("ESSENTIELLE"),
    ],
    "CONFORT": [
        {
            "article": "Art. 5",
            "text": "Les bâtiments sont indemnisés sur la base de leur valeur de reconstruction, "
            "vétusté "
            "déduite, et le mobilier dans la limite du capital mobilier. Les brûlures de fumeurs "
            "sans incendie ne sont pas garanties.",
        },
        {
            "article": "Art. 6",
            "text": "Les frais de recherche de fuite sont pris en charge jusqu'à "
            f"{_leak_search('CONFORT')} "
            "par sinistre. Les infiltrations par les façades ne sont pas garanties.",
        },
        {
            "article": "Art. 7",
            "text": "Les clôtures, antennes et stores extérieurs ne sont pas garantis.",
        },
        {
            "article": "Art. 9",
            "text": "Les objets de valeur sont garantis dans la limite de "
            f"{_valuables_share('CONFORT')} % "
            "du capital mobilier. Le vol commis dans les parties communes de l'immeuble n'est pas "
            "garanti.",
        },
        {
            "article": "Art. 10",
            "text": f"La garantie est accordée à hauteur de {_ceiling('CONFORT', 'BRIS_GLACE')} "
            "par sinistre, "
            f"après application d'une franchise spécifique de "
            f"{format_euros(_cover('CONFORT', 'BRIS_GLACE')[3])}.",
        },
        {
            "article": "Art. 11",
            "text": f"La garantie est accordée à hauteur de {_ceiling('CONFORT', 'DOMMAGES_ELEC')} "
            "par sinistre. "
            "La vétusté est déduite pour les appareils de plus de 5 ans ; les appareils de plus de "
            "10 ans ne sont pas garantis.",
        },
        _liability("CONFORT"),
        {
            "article": "Art. 13",
            "text": _OPTIONAL_LEGAL_PROTECTION.format(formula=FORMULA_NAMES["CONFORT"]),
        },
        _assistance("CONFORT"),
    ],
    "INTEGRALE": [
        {
            "article": "Art. 5",
            "text": "Les bâtiments et le mobilier sont indemnisés en valeur à neuf (voir Art. 19). "
            "Par dérogation aux conditions générales, les brûlures de fumeurs sans incendie sont "
            "garanties.",
        },
        {
            "article": "Art. 6",
            "text": "Les frais de recherche de fuite sont pris en charge jusqu'à "
            f"{_leak_search('INTEGRALE')} "
            "par sinistre. Les infiltrations accidentelles par les façades sont garanties.",
        },
        {
            "article": "Art. 7",
            "text": "Les dommages sont indemnisés en valeur à neuf. Les clôtures sont garanties ; "
            "les antennes "
            "et stores extérieurs restent exclus.",
        },
        {
            "article": "Art. 9",
            "text": "Les objets de valeur sont garantis dans la limite de "
            f"{_valuables_share('INTEGRALE')} % "
            "du capital mobilier. Le vol commis dans les parties communes de l'immeuble est "
            "garanti.",
        },
        {
            "article": "Art. 10",
            "text": f"La garantie est accordée à hauteur de {_ceiling('INTEGRALE', 'BRIS_GLACE')} "
            "par sinistre, "
            "sans franchise.",
        },
        {
            "article": "Art. 11",
            "text": "La garantie est accordée à hauteur de "
            f"{_ceiling('INTEGRALE', 'DOMMAGES_ELEC')} par sinistre. "
            "Les appareils de moins de 5 ans sont indemnisés en valeur à neuf ; au-delà, la "
            "vétusté "
            "est déduite, sans limite d'âge des appareils garantis.",
        },
        _liability("INTEGRALE"),
        {
            "article": "Art. 13",
            "text": "La protection juridique est incluse : nous prenons en charge les frais "
            "jusqu'à "
            f"{_ceiling('INTEGRALE', 'PROTECTION_JURIDIQUE')} par litige, avec un seuil "
            "d'intervention "
            f"de {_legal_protection_threshold('INTEGRALE')}.",
        },
        _assistance(
            "INTEGRALE",
            " L'assistance s'applique également aux événements survenus hors du logement assuré.",
        ),
    ],
}


# ---------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"\[\[(?P<ref>[^\[\]{}]*)\]\]|\{\{(?P<term>[^\[\]{}]*)\}\}")
_STRAY = ("[[", "]]", "{{", "}}")


def render_paragraph(text: str) -> list[dict]:
    """Split a paragraph into segments for the web page.

    Each segment is ``{"kind": "text" | "ref" | "term", "text": shown text, "target": ...}``:
    the target is the article's slug for a ref, the glossary key for a term and ``""`` for text.
    Raises ValueError for an unknown article or glossary key, or a markup left open.
    """
    segments: list[dict] = []

    def add_text(chunk: str) -> None:
        if not chunk:
            return
        if any(marker in chunk for marker in _STRAY):
            raise ValueError(f"unbalanced markup in {chunk!r}")
        if segments and segments[-1]["kind"] == "text":
            segments[-1]["text"] += chunk
        else:
            segments.append({"kind": "text", "text": chunk, "target": ""})

    position = 0
    for match in _MARKUP.finditer(text):
        add_text(text[position : match.start()])
        position = match.end()
        if match.group("ref") is not None:
            number = match.group("ref").strip()
            article = ARTICLES_BY_NUMBER.get(number)
            if article is None:
                raise ValueError(f"unknown article {number!r}")
            segments.append({"kind": "ref", "text": number, "target": article["slug"]})
        else:
            key, _bar, shown = match.group("term").partition("|")
            key = key.strip()
            if key not in GLOSSARY:
                raise ValueError(f"unknown glossary key {key!r}")
            segments.append({"kind": "term", "text": shown or key, "target": key})
    add_text(text[position:])
    return segments


def visible_text(text: str) -> str:
    """The paragraph as the reader sees it, without the markup."""
    return "".join(segment["text"] for segment in render_paragraph(text))
