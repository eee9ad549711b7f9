"""A holder's notification preferences: which channels each category of notice goes to, and
"critical only". Security notices always reach the holder in the portal and by e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, select

from espace.core.models import utcnow
from espace.notifications.models import NotificationCategory, NotificationSettings

CHANNELS: tuple[str, ...] = ("in_app", "email", "sms", "push")
CHANNEL_LABELS: dict[str, str] = {
    "in_app": "Dans mon espace",
    "email": "E-mail",
    "sms": "SMS",
    "push": "Notification sur l'appareil",
}
CATEGORIES: tuple[str, ...] = tuple(category.value for category in NotificationCategory)
CATEGORY_LABELS: dict[str, str] = {
    NotificationCategory.CLAIMS.value: "Sinistres",
    NotificationCategory.PAYMENTS.value: "Paiements",
    NotificationCategory.MESSAGES.value: "Messages de vos conseillers",
    NotificationCategory.DOCUMENTS.value: "Documents",
    NotificationCategory.SECURITY.value: "Sécurité",
    NotificationCategory.PREVENTION.value: "Conseils de prévention",
    NotificationCategory.OFFERS.value: "Offres",
}

# The shorter names of the notification centre (the bell), where the category tags each notice.
SHORT_CATEGORY_LABELS: dict[str, str] = {
    **CATEGORY_LABELS,
    NotificationCategory.MESSAGES.value: "Messages",
    NotificationCategory.PREVENTION.value: "Prévention",
}


def _row(
    *, in_app: bool = True, email: bool = False, sms: bool = False, push: bool = False
) -> dict[str, bool]:
    return {"in_app": in_app, "email": email, "sms": sms, "push": push}


# Prevention and offers are marketing: no e-mail without the holder's consent.
DEFAULTS: dict[str, dict[str, bool]] = {
    NotificationCategory.CLAIMS.value: _row(email=True),
    NotificationCategory.PAYMENTS.value: _row(email=True),
    NotificationCategory.MESSAGES.value: _row(email=True),
    NotificationCategory.DOCUMENTS.value: _row(email=True),
    NotificationCategory.SECURITY.value: _row(email=True),
    NotificationCategory.PREVENTION.value: _row(),
    NotificationCategory.OFFERS.value: _row(),
}

# Channels the holder cannot turn off (the page shows them ticked and disabled).
LOCKED: frozenset[tuple[str, str]] = frozenset(
    {
        (NotificationCategory.SECURITY.value, "in_app"),
        (NotificationCategory.SECURITY.value, "email"),
    }
)


class PrefsError(ValueError):
    """An unknown category or channel, or a value that is not a boolean."""


@dataclass(frozen=True)
class Prefs:
    critical_only: bool
    matrix: dict[str, dict[str, bool]]  # every category and channel, defaults filled in

    def allows(self, category: str, channel: str) -> bool:
        return self.matrix[category][channel]


def is_locked(category: str, channel: str) -> bool:
    return (str(category), channel) in LOCKED


def _row_of(session: Session, holder_id: int) -> NotificationSettings | None:
    return session.exec(
        select(NotificationSettings).where(NotificationSettings.holder_id == holder_id)
    ).first()


def _merged(stored: Mapping) -> dict[str, dict[str, bool]]:
    matrix = {category: dict(DEFAULTS[category]) for category in CATEGORIES}
    for category, channels in (stored or {}).items():
        if category in matrix and isinstance(channels, Mapping):
            for channel, value in channels.items():
                if channel in CHANNELS and isinstance(value, bool):
                    matrix[category][channel] = value
    for category, channel in LOCKED:
        matrix[category][channel] = True
    return matrix


def settings_for(*, session: Session, holder_id: int) -> Prefs:
    row = _row_of(session, holder_id)
    if row is None:
        return Prefs(critical_only=False, matrix=_merged({}))
    return Prefs(critical_only=row.critical_only, matrix=_merged(row.channels))


def _validated(matrix: Mapping) -> dict[str, dict[str, bool]]:
    if not isinstance(matrix, Mapping):
        raise PrefsError("Préférences de notification invalides.")
    clean: dict[str, dict[str, bool]] = {}
    for category, channels in matrix.items():
        if category not in CATEGORIES or not isinstance(channels, Mapping):
            raise PrefsError(f"Catégorie de notification inconnue : {category}.")
        for channel, value in channels.items():
            if channel not in CHANNELS:
                raise PrefsError(f"Canal de notification inconnu : {channel}.")
            if not isinstance(value, bool):
                raise PrefsError("Chaque choix doit être activé ou désactivé.")
            if not is_locked(category, channel):
                clean.setdefault(str(category), {})[channel] = value
    return clean


def save(*, session: Session, holder_id: int, matrix: Mapping, critical_only: bool) -> Prefs:
    """Store the holder's choices (merged over earlier ones); locked channels stay on whatever is
    sent."""
    clean = _validated(matrix)
    if not isinstance(critical_only, bool):
        raise PrefsError("Choix « notifications importantes uniquement » invalide.")
    row = _row_of(session, holder_id) or NotificationSettings(holder_id=holder_id, channels={})
    channels = {
        category: dict(values)
        for category, values in (row.channels or {}).items()
        if category in CATEGORIES
    }
    for category, values in clean.items():
        channels.setdefault(category, {}).update(values)
    row.channels = channels  # a new dict, so the JSON column is seen as changed
    row.critical_only = critical_only
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return Prefs(critical_only=critical_only, matrix=_merged(channels))


def decide(prefs: Prefs, *, category: str, channel: str, critical: bool = False) -> bool:
    """Whether a notice of this category goes to this channel under these preferences."""
    category = str(category)
    if channel not in CHANNELS:
        raise PrefsError(f"Canal de notification inconnu : {channel}.")
    if is_locked(category, channel):
        return True
    if category not in CATEGORIES:
        return channel == "in_app"
    critical = critical or category == NotificationCategory.SECURITY
    if channel == "in_app" and critical:
        return True
    if prefs.critical_only and not critical and channel != "in_app":
        return False
    return prefs.allows(category, channel)


def wants(
    *,
    session: Session,
    holder_id: int,
    category: NotificationCategory | str,
    channel: str,
    critical: bool = False,
) -> bool:
    return decide(
        settings_for(session=session, holder_id=holder_id),
        category=str(category),
        channel=channel,
        critical=critical,
    )
