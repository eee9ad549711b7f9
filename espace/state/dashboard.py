"""'Tableau de bord': the holder's widgets, arranged and saved per holder (found on any device)."""

from __future__ import annotations

import dataclasses
import json

import reflex as rx

from espace.core.db import session_scope
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.dashboard import widgets
from espace.dashboard.attention import needing_attention
from espace.dashboard.widgets import Slot
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.quick_attestation import issue_today
from espace.state.session import SessionState


@dataclasses.dataclass
class SlotView:
    id: str = ""
    title: str = ""
    size: int = 1
    first: bool = False
    last: bool = False


@dataclasses.dataclass
class CatalogueItem:
    id: str = ""
    title: str = ""
    description: str = ""


@dataclasses.dataclass
class Pair:
    label: str = ""
    value: str = ""


@dataclasses.dataclass
class ClaimCardView:
    number: str = ""
    peril: str = ""
    stage: str = ""
    step: str = ""
    progress: int = 0
    next: str = ""
    link: str = ""


@dataclasses.dataclass
class ContractCardView:
    id: int = 0
    number: str = ""
    place: str = ""
    formula: str = ""
    categories: list[str] = dataclasses.field(default_factory=list)
    more: int = 0
    link: str = ""


@dataclasses.dataclass
class AttentionView:
    kind: str = ""
    text: str = ""
    action: str = ""
    link: str = ""


@dataclasses.dataclass
class LinkItem:
    title: str = ""
    detail: str = ""
    date: str = ""
    link: str = ""
    unread: bool = False


class DashboardState(SessionState):
    loaded: bool = False
    editing: bool = False
    slots: list[SlotView] = []
    catalogue: list[CatalogueItem] = []
    flash: str = ""
    next_payment: list[Pair] = []
    next_payment_note: str = ""
    claims: list[ClaimCardView] = []
    contracts: list[ContractCardView] = []
    notifications: list[LinkItem] = []
    messages: list[LinkItem] = []
    documents: list[LinkItem] = []
    security_score: int = 0
    security_todo: list[str] = []
    attestation_error: str = ""
    attention: list[AttentionView] = []

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self.flash, self.attestation_error = "", ""
        self._refresh(me)
        with session_scope() as db:
            self.attention = [
                AttentionView(a.kind, a.text, a.action, a.link)
                for a in needing_attention(
                    session=db, holder_id=me.holder_id, today=utcnow().astimezone(PARIS).date()
                )
            ]
        self.loaded = True
        return None

    def _refresh(self, principal, wanted: set[str] | None = None) -> None:
        """Read the data of the ``wanted`` widgets (default: every widget shown) and only theirs."""
        with session_scope() as db:
            slots = widgets.layout(session=db, holder_id=principal.holder_id)
            wanted = {s.id for s in slots} if wanted is None else wanted
            data = widgets.collect(
                session=db,
                holder_id=principal.holder_id,
                account_id=principal.account_id,
                session_id=principal.session_id,
                today=utcnow().astimezone(PARIS).date(),
                wanted=wanted,
            )
        self._show_slots(slots)
        self._show_data(data, wanted)

    def _show_data(self, data, wanted: set[str]) -> None:
        if "next_payment" in wanted:
            self.next_payment = [Pair(label, value) for label, value in data.next_payment]
            self.next_payment_note = data.next_payment_note
        if "claims" in wanted:
            self.claims = [ClaimCardView(**c) for c in data.claims]
        if wanted & {"attestations", "guarantees"}:
            self.contracts = [ContractCardView(**c) for c in data.contracts]
        if "notifications" in wanted:
            self.notifications = [
                LinkItem(n["title"], "", n["date"], n["link"], n["unread"])
                for n in data.notifications
            ]
        if "messages" in wanted:
            self.messages = [
                LinkItem(m["title"], m["body"], m["date"], m["link"], m["unread"])
                for m in data.messages
            ]
        if "documents" in wanted:
            self.documents = [LinkItem(d["title"], "", d["date"], d["url"]) for d in data.documents]
        if "security" in wanted:
            self.security_score, self.security_todo = data.security_score, data.security_todo

    def _show_slots(self, slots: list[Slot]) -> None:
        self.slots = [
            SlotView(s.id, widgets.BY_ID[s.id].title, s.size, i == 0, i == len(slots) - 1)
            for i, s in enumerate(slots)
        ]
        shown = {s.id for s in slots}
        self.catalogue = [
            CatalogueItem(w.id, w.title, w.description)
            for w in widgets.CATALOGUE
            if w.id not in shown
        ]

    def _change(self, me, change) -> None:
        """Apply a layout change to the saved layout (the server's copy, not the browser's) and save
        it. Only what moved is sent again: a widget that appears is the only one whose data is
        read (a move used to recompute the whole dashboard)."""
        shown = {slot.id for slot in self.slots}
        with session_scope() as db:
            slots = widgets.save(
                session=db,
                holder_id=me.holder_id,
                slots=change(widgets.layout(session=db, holder_id=me.holder_id)),
            )
        self._show_slots(slots)
        appeared = {slot.id for slot in slots} - shown
        if appeared:
            self._refresh(me, wanted=appeared)

    @rx.event
    def toggle_editing(self):
        self.editing = not self.editing

    @holder_event
    def add_widget(self, me: Principal, widget_id: str):
        if str(widget_id) in widgets.BY_ID:
            self._change(me, lambda slots: widgets.add(slots, str(widget_id)))
            self.flash = f"Module « {widgets.BY_ID[str(widget_id)].title} » ajouté."
        return None

    @holder_event
    def remove_widget(self, me: Principal, widget_id: str):
        self._change(me, lambda slots: widgets.remove(slots, str(widget_id)))
        return None

    @holder_event
    def move_widget(self, me: Principal, widget_id: str, delta: int):
        step = -1 if int(delta) < 0 else 1
        self._change(me, lambda slots: widgets.move(slots, str(widget_id), step))
        button = f"move-{widget_id}-{'up' if step < 0 else 'down'}"
        return rx.call_script(f"document.getElementById({json.dumps(button)})?.focus()")

    @holder_event
    def resize_widget(self, me: Principal, widget_id: str):
        self._change(me, lambda slots: widgets.resize(slots, str(widget_id)))
        return None

    @holder_event
    def reorder(self, me: Principal, form: dict):
        """Drag and drop (assets/dashboard.js writes the new order into the hidden field)."""
        order = [part for part in str(form.get("order") or "").split(",") if part][:20]
        self._change(me, lambda slots: widgets.reorder(slots, order))
        return None

    @holder_event
    def reset_layout(self, me: Principal):
        self._change(me, lambda _slots: widgets.default_layout())
        self.flash = "Tableau de bord rétabli tel qu'à l'origine."
        return None

    @holder_event
    def quick_attestation(self, me: Principal, contract_id: int):
        """One tap: a standard attestation for today, downloaded at once."""
        url, self.attestation_error = issue_today(holder_id=me.holder_id, contract_id=contract_id)
        return rx.call_script(f"window.location.href = {json.dumps(url)}") if url else None
