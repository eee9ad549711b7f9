"""Development-only: the messages the portal 'sent', so a person trying the demo can read codes."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.notifications import outbox
from espace.state.handlers import blocking_event
from espace.state.session import client_is_local


@dataclasses.dataclass
class OutboxItem:
    id: int = 0
    channel: str = ""
    recipient: str = ""
    subject: str = ""
    when: str = ""
    parts: list[list[str]] = dataclasses.field(default_factory=list)  # [text, "link" | ""]


def mailbox_open_to(router) -> bool:
    """Only outside production, and only to a browser on this machine: the codes and links it shows
    would take over any account. An event handler is reachable by anyone who can open a socket."""
    return get_settings().env != "prod" and client_is_local(router)


class OutboxState(rx.State):
    items: list[OutboxItem] = []
    enabled: bool = False

    @blocking_event
    def load(self):
        self.enabled = mailbox_open_to(self.router)
        if not self.enabled:
            self.items = []
            return rx.redirect("/404")
        with session_scope() as db:
            self.items = [
                OutboxItem(
                    m.id,
                    m.channel,
                    m.recipient,
                    m.subject or "SMS",
                    fmt.datetime_fr(m.created_at),
                    [
                        [text, "link" if is_link else ""]
                        for text, is_link in outbox.split_links(m.body)
                    ],
                )
                for m in outbox.latest(session=db)
            ]
        return None
