"""Search for the holder: the header box with suggestions, and the results page with filters."""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import quote

import reflex as rx

from espace import routes
from espace.contracts import labels
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.search import engine
from espace.search.engine import SearchFilters
from espace.state.session import SessionState


@dataclasses.dataclass
class Part:
    text: str = ""
    mark: bool = False


@dataclasses.dataclass
class HitView:
    title: list[Part] = dataclasses.field(default_factory=list)
    snippet: list[Part] = dataclasses.field(default_factory=list)
    url: str = ""
    is_file: bool = False
    meta: str = ""


@dataclasses.dataclass
class Group:
    kind: str = ""
    label: str = ""
    hits: list[HitView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Suggestion:
    title: str = ""
    kind: str = ""
    url: str = ""
    is_file: bool = False


def _parts(parts: list[tuple[str, bool]]) -> list[Part]:
    return [Part(t, m) for t, m in parts]


def _meta(hit: engine.Hit) -> str:
    bits = [engine.KINDS.get(hit.kind, hit.kind)]
    if hit.day:
        bits.append(fmt.date_fr(hit.day))
    if hit.amount_cents is not None and hit.kind in ("document", "claim", "payment"):
        bits.append(fmt.money(hit.amount_cents))
    if hit.contract:
        bits.append(hit.contract)
    return " · ".join(bits)


class SearchBoxState(SessionState):
    """The header's search field: suggestions as you type (keywords only, for speed)."""

    box_query: str = ""
    suggestions: list[Suggestion] = []

    @rx.event
    def suggest(self, value: str):
        self.box_query = str(value)[:200]
        holder_id = self._holder_id()
        if holder_id is None or len(self.box_query.strip()) < 2:
            self.suggestions = []
            return
        with session_scope() as db:
            found = engine.search(
                session=db,
                holder_id=holder_id,
                query=self.box_query,
                limit=6,
                prefix=True,
                semantic=False,
            )
        self.suggestions = [
            Suggestion(
                "".join(t for t, _ in h.title_parts),
                engine.KINDS.get(h.kind, h.kind),
                h.url,
                h.url.startswith("/api/"),
            )
            for h in found.hits
        ]

    @rx.event
    def submit(self, form: dict):
        query = str(form.get("q") or "").strip()[:200]
        self.suggestions = []
        if not query:
            return None
        return rx.redirect(f"{routes.SEARCH}?q={quote(query)}")

    @rx.event
    def close(self):
        self.suggestions = []


class SearchState(SessionState):
    loaded: bool = False
    query: str = ""
    did_you_mean: str = ""
    groups: list[Group] = []
    total: int = 0
    f_kind: str = ""
    f_start: str = ""
    f_end: str = ""
    f_min: str = ""
    f_max: str = ""
    f_category: str = ""
    f_contract: str = ""
    filter_error: str = ""
    indexing: bool = False  # the index is being built: results may be incomplete
    indexing_progress: str = ""
    kind_options: list[list[str]] = [[k, v] for k, v in engine.KINDS.items()]
    category_options: list[list[str]] = [[str(k), v] for k, v in labels.GUARANTEE_CATEGORY.items()]
    contract_options: list[list[str]] = []
    form_version: int = 0

    @rx.event
    def load(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self._load_header(holder_id)
        params = self.router.url.query_parameters
        self.query = str(params.get("q", ""))[:200]
        for name in ("f_kind", "f_start", "f_end", "f_min", "f_max", "f_category", "f_contract"):
            setattr(self, name, str(params.get(name[2:], ""))[:40])
        self.form_version += 1
        self._run(holder_id)
        self.loaded = True
        return None

    def _filters(self) -> SearchFilters | None:
        try:
            low = fmt.parse_euros(self.f_min) if self.f_min else None
            high = fmt.parse_euros(self.f_max) if self.f_max else None
        except ValueError:
            self.filter_error = "Montant invalide : par exemple 150 ou 1 234,50."
            return None
        start, end = fmt.parse_iso_date(self.f_start), fmt.parse_iso_date(self.f_end)
        if start and end and start > end:
            self.filter_error = "La date de début doit précéder la date de fin."
            return None
        self.filter_error = ""
        return SearchFilters(
            kinds=(self.f_kind,) if self.f_kind in engine.KINDS else (),
            start=start,
            end=end,
            min_cents=low,
            max_cents=high,
            category=self.f_category,
            contract=self.f_contract,
        )

    def _run(self, holder_id: int) -> None:
        from sqlmodel import select

        from espace.contracts.models import Contract

        with session_scope() as db:
            self.contract_options = [
                [c.number, c.number]
                for c in db.exec(
                    select(Contract)
                    .where(Contract.holder_id == holder_id)
                    .order_by(Contract.number)
                ).all()
            ]
            filters = self._filters()
            if filters is None:
                self.groups, self.total, self.did_you_mean = [], 0, ""
                return
            found = engine.search(
                session=db, holder_id=holder_id, query=self.query, filters=filters
            )
        self.did_you_mean = found.did_you_mean
        self.indexing = found.indexing is not None
        done, total = found.indexing or (0, 0)
        self.indexing_progress = f"{round(100 * done / total)} %" if total else ""
        groups: dict[str, Group] = {}
        for hit in found.hits:
            group = groups.setdefault(
                hit.kind, Group(hit.kind, engine.KINDS.get(hit.kind, hit.kind), [])
            )
            group.hits.append(
                HitView(
                    _parts(hit.title_parts),
                    _parts(hit.snippet),
                    hit.url,
                    hit.url.startswith("/api/"),
                    _meta(hit),
                )
            )
        self.groups = list(groups.values())
        self.total = len(found.hits)

    @rx.event
    def apply(self, form: dict):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self.query = str(form.get("q") or "").strip()[:200]
        for name in ("f_kind", "f_start", "f_end", "f_min", "f_max", "f_category", "f_contract"):
            setattr(self, name, str(form.get(name) or "")[:40])
        self._run(holder_id)
        query = "&".join(
            f"{name[2:]}={quote(getattr(self, name))}"
            for name in ("f_kind", "f_start", "f_end", "f_min", "f_max", "f_category", "f_contract")
            if getattr(self, name)
        )
        url = f"{routes.SEARCH}?q={quote(self.query)}" + (f"&{query}" if query else "")
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")

    @rx.event
    def use_suggestion(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self.query, self.did_you_mean = self.did_you_mean, ""
        self.form_version += 1
        self._run(holder_id)
        return rx.call_script(
            "window.history.replaceState(null, '', "
            f"{json.dumps(routes.SEARCH + '?q=' + quote(self.query))})"
        )

    @rx.event
    def clear_filters(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        for name in ("f_kind", "f_start", "f_end", "f_min", "f_max", "f_category", "f_contract"):
            setattr(self, name, "")
        self.form_version += 1
        self._run(holder_id)
        return None
