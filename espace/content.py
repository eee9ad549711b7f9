"""Content shipped as files: the help centre's articles and the search thesaurus.

The default folder is ``content/`` at the project root; ``ESPACE_CONTENT_DIR`` points to another
one, so that an insurer ships its own articles (and thesaurus) without touching code. A file missing
from that folder falls back to the default one.

- ``aide/_index.yaml``: the themes of the help centre (in display order) and the contact details;
- ``aide/<slug>.md``: one article per file, YAML front matter (``title``, ``category``, ``order``,
  ``keywords``, ``links``) then the answer in plain text, paragraphs separated by a blank line;
- ``search/thesaurus.txt``: one group of equivalent expressions per line, then abbreviations.

Loaded once per process (``reload()`` forgets it). The module keeps the names the help pages and the
assistant used (``ARTICLES``, ``CATEGORIES``, ``article()``, ``ASSISTANCE_PHONE``...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

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
    contact: dict[str, str]


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
        contact={str(k): str(v) for k, v in (index.get("contact") or {}).items()},
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


def article(slug: str | None) -> FaqArticle | None:
    """The article with this slug, or None."""
    return help_centre().by_slug.get(slug or "")


def __getattr__(name: str):
    """The help centre's data under the names the pages and the assistant use."""
    values = {
        "ARTICLES": lambda c: c.articles,
        "BY_SLUG": lambda c: c.by_slug,
        "CATEGORIES": lambda c: c.categories,
        "ASSISTANCE_PHONE": lambda c: c.contact.get("assistance_phone", ""),
        "CUSTOMER_SERVICE_PHONE": lambda c: c.contact.get("customer_service_phone", ""),
        "DPO_EMAIL": lambda c: c.contact.get("dpo_email", ""),
    }
    if name in values:
        return values[name](help_centre())
    raise AttributeError(name)
