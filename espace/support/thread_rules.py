"""Secure messaging: the limits, the labels, the response-time targets and the pure rules (due
dates, durations, what a subject, a message or a category must be).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from espace.claims import stages
from espace.identity.models import StaffRole
from espace.support.models import ThreadCategory, ThreadStatus

T = ThreadStatus

# Response-time targets, in working days (France, public holidays excluded): the answer is due by
# 18:00 Paris time on that working day. A claim question is answered by the next working day.
REPLY_TARGET_WORKING_DAYS: dict[str, int] = {
    ThreadCategory.CLAIM: 1,
    ThreadCategory.CONTRACT: 2,
    ThreadCategory.PAYMENT: 2,
    ThreadCategory.OTHER: 2,
}
SUBJECT_MIN, SUBJECT_MAX = 3, 120
BODY_MAX = 5000
RATING_COMMENT_MAX = 1000
MAX_FILES_PER_MESSAGE = 5
MAX_FILES_PER_THREAD = 20
MAX_TRANSCRIPT_MESSAGES = 100
ORIGINS = ("portal", "assistant")
INBOX_ROLES = (StaffRole.HANDLER, StaffRole.MANAGER)  # experts have no inbox
FIGURES_DAYS = 30

CATEGORY_LABELS = {
    ThreadCategory.CONTRACT: "Contrat",
    ThreadCategory.CLAIM: "Sinistre",
    ThreadCategory.PAYMENT: "Paiement",
    ThreadCategory.OTHER: "Autre question",
}
HOLDER_STATUS_LABELS = {
    T.OPEN: "En cours de traitement",
    T.WAITING: "En attente de votre réponse",
    T.RESOLVED: "Résolu",
}
STAFF_STATUS_LABELS = {
    T.OPEN: "À traiter",
    T.WAITING: "En attente de l'assuré",
    T.RESOLVED: "Résolu",
}
# The advisers' actions recorded in a thread's audit trail, as the inbox's history shows them.
AUDIT_LABELS = {
    "take": "Prise en charge",
    "assign": "Attribution",
    "reply": "Réponse envoyée",
    "resolve": "Résolue",
    "reopen": "Rouverte",
}
ASSISTANT_NAME = "Assistant Espace"


class SupportError(ValueError):
    """A French message for the person, tied to a form field when ``field`` is set."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ----- pure rules ------------------------------------------------------------------------------


def reply_due(category: str, start: datetime) -> datetime:
    """When the insurer's answer is due for a message written at ``start``."""
    due = stages.due_after(start, REPLY_TARGET_WORKING_DAYS.get(category, 2))
    assert due is not None  # None only without a number of days
    return due


def time_left(due: datetime | None, now: datetime) -> str:
    """'Reste 3 h', 'Reste 1 j 4 h', 'En retard de 2 h' ('' without a target)."""
    if due is None:
        return ""
    seconds = int((due - now).total_seconds())
    hours = abs(seconds) // 3600
    days, rest = divmod(hours, 24)
    text = (
        f"{days} j {rest} h"
        if days
        else (f"{hours} h" if hours else f"{max(1, abs(seconds) // 60)} min")
    )
    return f"Reste {text}" if seconds >= 0 else f"En retard de {text}"


def duration_text(delta: timedelta | None) -> str:
    """'2 h 05 min', '45 min', '1 j 3 h' ('—' when unknown)."""
    if delta is None:
        return "—"
    minutes = max(0, int(delta.total_seconds()) // 60)
    hours, mins = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} j {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def _clean_text(text: str | None, *, field: str, minimum: int, maximum: int, what: str) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) < minimum:
        raise SupportError(
            f"Écrivez {what} ({minimum} caractère{'s' if minimum > 1 else ''} au moins).", field
        )
    if len(cleaned) > maximum:
        raise SupportError(
            f"{what[0].upper()}{what[1:]} est trop long : {maximum:,} caractères au plus.".replace(
                ",", "\u202f"
            ),
            field,
        )
    return cleaned


def clean_subject(subject: str | None) -> str:
    return _clean_text(
        subject,
        field="subject",
        minimum=SUBJECT_MIN,
        maximum=SUBJECT_MAX,
        what="l'objet du message",
    )


def clean_body(body: str | None) -> str:
    return _clean_text(body, field="body", minimum=1, maximum=BODY_MAX, what="votre message")


def clean_category(category: str | None) -> str:
    if category not in set(ThreadCategory):
        raise SupportError("Choisissez le sujet de votre demande.", "category")
    return str(category)
