"""Content shipped as files: the help centre's articles, the search thesaurus and the general
conditions.

The default folder is ``content/`` at the project root; ``ESPACE_CONTENT_DIR`` points to another
one, so that an insurer ships its own articles (and thesaurus) without touching code. A file missing
from that folder falls back to the default one.

- ``aide/_index.yaml``: the themes of the help centre (in display order);
- ``aide/<slug>.md``: one article per file, YAML front matter (``title``, ``category``, ``order``,
  ``keywords``, ``links``) then the answer in plain text, paragraphs separated by a blank line;
- ``search/thesaurus.txt``: one group of equivalent expressions per line, then abbreviations;
- ``conditions/<version>.md``: the general conditions of one version of the contract (see
  ``parse_conditions``).

The insurer's phone numbers and addresses are not content: they come from settings
(``espace/core/insurer.py``), and the texts name them with ``$insurer_phone``-style fields.

Loaded once per process (``reload()`` forgets it). The module keeps the names the help pages and the
assistant used (``ARTICLES``, ``CATEGORIES``, ``article()``, ``ASSISTANCE_PHONE``...)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

import yaml

from espace.core.insurer import insurer
from espace.core.settings import PROJECT_ROOT, get_settings

DEFAULT_DIR = PROJECT_ROOT / "content"
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class ContentError(ValueError):
    """A content file that cannot be read: the app refuses to start rather than show half a help
    centre."""


@dataclass(frozen=True)
class FaqArticle:
    slug: str  # url-safe, unique: the file name
    category: str  # a key of CATEGORIES
    title: str  # the question, as a holder would ask it
    body: str  # the answer; paragraphs separated by "\n\n"
    keywords: tuple[str, ...] = ()  # extra words people type
    links: tuple[tuple[str, str], ...] = ()  # (label, internal route)


@dataclass(frozen=True)
class HelpCentre:
    categories: dict[str, str]
    articles: tuple[FaqArticle, ...]
    by_slug: dict[str, FaqArticle]


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[tuple[str, ...], ...]
    abbreviations: dict[str, str]
    ambiguous: tuple[str, ...] = ()  # words that bring no group alone (several senses)


def content_dir() -> Path:
    return Path(get_settings().content_dir)


def _file(relative: str) -> Path:
    """The insurer's file when it exists, else the default one."""
    own = content_dir() / relative
    return own if own.exists() else DEFAULT_DIR / relative


def _article(path: Path, categories: dict[str, str]) -> tuple[int, FaqArticle]:
    match = _FRONT.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ContentError(f"{path}: front matter (--- ... ---) missing")
    try:
        front = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: {error}") from error
    slug = path.stem
    title, category = str(front.get("title") or "").strip(), str(front.get("category") or "")
    if not _SLUG.match(slug) or not title or category not in categories:
        raise ContentError(f"{path}: slug, title or category ({category!r}) invalid")
    links = tuple(
        (str(link["label"]), str(link["route"]))
        for link in front.get("links") or ()
        if str(link.get("route", "")).startswith("/")
    )
    body = "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", match.group(2).strip()))
    article = FaqArticle(
        slug=slug,
        category=category,
        title=title,
        body=body,
        keywords=tuple(str(k) for k in front.get("keywords") or ()),
        links=links,
    )
    return int(front.get("order") or 0), article


@lru_cache(maxsize=1)
def help_centre() -> HelpCentre:
    index = yaml.safe_load(_file("aide/_index.yaml").read_text(encoding="utf-8")) or {}
    categories = {str(k): str(v) for k, v in (index.get("categories") or {}).items()}
    folder = content_dir() / "aide"
    folder = folder if any(folder.glob("*.md")) else DEFAULT_DIR / "aide"
    found = [_article(path, categories) for path in sorted(folder.glob("*.md"))]
    order = list(categories)
    articles = tuple(
        a for _n, a in sorted(found, key=lambda x: (order.index(x[1].category), x[0], x[1].slug))
    )
    return HelpCentre(
        categories=categories,
        articles=articles,
        by_slug={a.slug: a for a in articles},
    )


def parse_thesaurus(text: str) -> Thesaurus:
    groups: list[tuple[str, ...]] = []
    abbreviations: dict[str, str] = {}
    ambiguous: list[str] = []
    section = "groups"
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line.lower()
            section = (
                "abbreviations" if "abr" in name else "ambiguous" if "ambig" in name else "groups"
            )
            continue
        if section == "ambiguous":
            ambiguous.append(line)
            continue
        if section == "abbreviations":
            short, _, long = line.partition("=")
            if short.strip() and long.strip():
                abbreviations[short.strip()] = long.strip()
            continue
        group = tuple(dict.fromkeys(e.strip() for e in line.split("|") if e.strip()))
        if len(group) > 1:
            groups.append(group)
    return Thesaurus(tuple(groups), abbreviations, tuple(ambiguous))


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    return parse_thesaurus(_file("search/thesaurus.txt").read_text(encoding="utf-8"))


def reload() -> None:
    help_centre.cache_clear()
    thesaurus.cache_clear()
    _conditions_file.cache_clear()


# ---- general conditions -------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionsArticle:
    number: str  # "Art. 16": what cross-references ([[Art. 16]]) name
    slug: str  # "art-16": its anchor
    title: str
    chapter: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Conditions:
    version: str  # "CG-MRH-2026-01": printed on the documents and the contract
    title: str
    articles: tuple[ConditionsArticle, ...]
    glossary: dict[str, tuple[str, str]]  # key (the term in lower case) -> (term, definition)


_ARTICLE = re.compile(r"^Art\. (\d+) — (.+)$")
GLOSSARY_CHAPTER = "Lexique"


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs separated by blank lines; the lines of one paragraph joined by a space."""
    text = "\n".join(lines).strip()
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def parse_conditions(text: str, values: Mapping[str, str], *, name: str = "") -> Conditions:
    """The general conditions from their text: YAML front matter (``version``, ``title``), then
    ``# Chapter`` headings, each holding ``## Art. N — Title`` articles whose paragraphs are
    separated by a blank line (a paragraph may be wrapped over several lines). The last chapter,
    ``# Lexique``, holds the glossary: ``## Term`` then its definition.

    ``$field`` (or ``${field}``) is replaced by ``values[field]`` (amounts, the insurer's phone and
    address...): a field that ``values`` lacks is an error, so a typo never reaches a holder. The
    link markup ``[[Art. N]]`` and ``{{term}}`` is kept for the page to render."""
    match = _FRONT.match(text)
    if not match:
        raise ContentError(f"{name}: front matter (--- ... ---) missing")
    front = yaml.safe_load(match.group(1)) or {}
    try:
        body = Template(match.group(2)).substitute(values)
    except (KeyError, ValueError) as error:
        raise ContentError(f"{name}: unknown or malformed field {error}") from error
    sections: list[tuple[str, str, list[str]]] = []  # (chapter, heading, lines)
    chapter = ""
    for line in body.splitlines():
        if line.startswith("# "):
            chapter = line[2:].strip()
        elif line.startswith("## "):
            if not chapter:
                raise ContentError(f"{name}: {line!r} comes before any chapter")
            sections.append((chapter, line[3:].strip(), []))
        elif line.strip() and not sections:
            raise ContentError(f"{name}: text before the first article: {line!r}")
        elif sections:
            sections[-1][2].append(line)
    articles: list[ConditionsArticle] = []
    glossary: dict[str, tuple[str, str]] = {}
    for chapter, heading, lines in sections:
        paragraphs = _paragraphs(lines)
        if not paragraphs:
            raise ContentError(f"{name}: {heading!r} has no text")
        if chapter == GLOSSARY_CHAPTER:
            glossary[heading.lower()] = (heading, " ".join(paragraphs))
            continue
        found = _ARTICLE.match(heading)
        if not found:
            raise ContentError(f"{name}: {heading!r} is not 'Art. N — Title'")
        number = found.group(1)
        articles.append(
            ConditionsArticle(
                number=f"Art. {number}",
                slug=f"art-{number}",
                title=found.group(2).strip(),
                chapter=chapter,
                paragraphs=tuple(paragraphs),
            )
        )
    numbers = [a.number for a in articles]
    if len(set(numbers)) != len(numbers):
        raise ContentError(f"{name}: an article number is used twice")
    return Conditions(
        version=str(front.get("version") or ""),
        title=str(front.get("title") or ""),
        articles=tuple(articles),
        glossary=glossary,
    )


@lru_cache(maxsize=8)
def _conditions_file(version: str) -> tuple[str, str]:
    if not re.fullmatch(r"[A-Za-z0-9-]{1,40}", version):
        raise ContentError(f"conditions version {version!r} is not a file name")
    path = _file(f"conditions/{version}.md")
    if not path.exists():
        raise ContentError(f"no general conditions {version} in {content_dir()} or {DEFAULT_DIR}")
    return path.read_text(encoding="utf-8"), str(path)


def conditions(version: str, values: Mapping[str, str]) -> Conditions:
    """The general conditions of ``version`` (``conditions/<version>.md``, the insurer's folder
    first), their fields filled with ``values``."""
    text, path = _conditions_file(version)
    parsed = parse_conditions(text, values, name=path)
    if parsed.version != version:
        raise ContentError(f"{path}: says version {parsed.version!r}, expected {version!r}")
    return parsed


def article(slug: str | None) -> FaqArticle | None:
    """The article with this slug, or None."""
    return help_centre().by_slug.get(slug or "")


def __getattr__(name: str):
    """The help centre's data under the names the pages and the assistant use."""
    values = {
        "ARTICLES": lambda c: c.articles,
        "BY_SLUG": lambda c: c.by_slug,
        "CATEGORIES": lambda c: c.categories,
    }
    if name in values:
        return values[name](help_centre())
    contact = {
        "ASSISTANCE_PHONE": "assistance_phone",
        "CUSTOMER_SERVICE_PHONE": "phone",
        "DPO_EMAIL": "dpo_email",
    }
    if name in contact:
        return getattr(insurer(), contact[name])
    raise AttributeError(name)
