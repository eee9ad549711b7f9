"""The texts of e-mails and SMS: Jinja2 templates in ``espace/notifications/templates/``, rendered
here and nowhere else.

- ``email/<name>.txt``: a ``subject`` block and a ``body`` block (plain text: the text part, and
  what the development mailbox shows); ``email/layout.html`` gives every e-mail its HTML part
  (the same text in paragraphs, its links clickable), added when the e-mail is sent;
- ``sms/<name>.txt``: the text of an SMS (an e-mail may ``include`` it to say the same thing).

Context values are plain strings and numbers, formatted by the caller (``core.formatting``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from espace.core.insurer import insurer

_ENV = Environment(
    loader=PackageLoader("espace.notifications", "templates"),
    autoescape=select_autoescape(["html"]),  # the text parts are not HTML: nothing to escape
    undefined=StrictUndefined,  # a missing value fails the render (and its test), never prints ""
    trim_blocks=True,
    lstrip_blocks=True,
)
_URL = re.compile(r"(https?://[^\s<>\"']+)")
_BREAKS = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def email(name: str, **context: Any) -> Email:
    """The subject and text of the e-mail ``email/<name>.txt``."""
    template = _ENV.get_template(f"email/{name}.txt")
    values = template.new_context({"insurer": insurer(), **context})
    return Email(
        # one line; a no-break space stays ("12,50\u00a0€", as ``core.formatting`` writes it)
        subject=_BREAKS.sub(" ", "".join(template.blocks["subject"](values))).strip(),
        body="".join(template.blocks["body"](values)).strip(),
    )


def sms(name: str, **context: Any) -> str:
    """The text of the SMS ``sms/<name>.txt``."""
    return _ENV.get_template(f"sms/{name}.txt").render(insurer=insurer(), **context).strip()


def html(subject: str, text: str) -> str:
    """The HTML part of an e-mail: its text in the layout, one paragraph per block of lines,
    links clickable (every value escaped)."""
    paragraphs = [
        [_URL.split(line) for line in block.split("\n")]
        for block in re.split(r"\n\s*\n", text.strip())
    ]
    return _ENV.get_template("email/layout.html").render(
        subject=subject, paragraphs=paragraphs, insurer=insurer()
    )
