"""Complaints: the deadlines (acknowledgement, answer), the limits and labels, the mediator, and
the pure rules on a complaint's dates (late, mediator open, days left).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from espace.core.formatting import PARIS
from espace.core.settings import get_settings
from espace.core.working_days import add_working_days
from espace.identity.models import StaffRole
from espace.support.models import Complaint, ComplaintStatus, ComplaintTopic

ACKNOWLEDGEMENT_WORKING_DAYS = 10
ANSWER_MONTHS = 2
SUBJECT_MIN, SUBJECT_MAX = 3, 120
BODY_MIN, BODY_MAX = 10, 5000
STAFF_ROLES = (StaffRole.HANDLER, StaffRole.MANAGER)
FIGURES_DAYS = 90

TOPIC_LABELS: dict[str, str] = {  # keyed by ComplaintTopic, whose members are their text
    ComplaintTopic.CLAIM: "Un sinistre",
    ComplaintTopic.PAYMENT: "Un paiement",
    ComplaintTopic.CONTRACT: "Mon contrat",
    ComplaintTopic.SERVICE: "La qualité du service",
}
STATUS_LABELS: dict[str, str] = {  # keyed by ComplaintStatus
    ComplaintStatus.OPEN: "En cours d'examen",
    ComplaintStatus.ANSWERED: "Répondue",
}
ACKNOWLEDGEMENT_TEXT = (
    "Nous avons bien reçu votre réclamation {reference} le {filed}. Elle est examinée par notre "
    "service Réclamations, qui vous répondra au plus tard le {due}."
)


class ComplaintError(ValueError):
    """A French message for the person, tied to a form field when ``field`` is set."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Mediator:
    name: str
    address: str
    url: str
    conditions: str


def mediator() -> Mediator:
    """The insurance mediator, from the insurer's settings."""
    settings = get_settings()
    return Mediator(
        name=settings.mediator_name,
        address=settings.mediator_address,
        url=settings.mediator_url,
        conditions=(
            "Vous pouvez saisir gratuitement le médiateur si vous n'êtes pas d'accord avec notre "
            "réponse, ou si vous n'avez pas reçu de réponse deux mois après l'envoi de votre "
            "réclamation. Joignez votre réclamation et notre réponse (l'échange complet se "
            "télécharge en PDF ci-dessous). Le médiateur rend son avis dans les 90 jours ; le "
            "recours à la médiation ne vous prive pas du droit de saisir les tribunaux. Il ne "
            "peut être saisi si une action en justice est en cours ou si le litige a plus d'un an "
            "après votre réclamation écrite."
        ),
    )


# ----- pure rules ------------------------------------------------------------------------------


def _paris_date(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def acknowledgement_due(filed: date) -> date:
    """The latest acknowledgement date: 10 working days after receipt."""
    return add_working_days(filed, ACKNOWLEDGEMENT_WORKING_DAYS)


def answer_due(filed: date) -> date:
    """The latest answer date: two months after receipt (31 December + 2 months: 28/29 February)."""
    return filed + relativedelta(months=ANSWER_MONTHS)


def is_late(complaint: Complaint, today: date) -> bool:
    return complaint.status == ComplaintStatus.OPEN and today > complaint.answer_due_on


def mediator_open(complaint: Complaint, today: date) -> bool:
    """The mediator route is shown: no answer after two months, or the holder disagrees."""
    return is_late(complaint, today) or complaint.holder_disagreed_at is not None


def days_left(complaint: Complaint, today: date) -> str:
    """'Reste 12 jours', 'Échéance aujourd'hui', 'En retard de 3 jours' ('' once answered)."""
    if complaint.status != ComplaintStatus.OPEN:
        return ""
    delta = (complaint.answer_due_on - today).days
    if delta == 0:
        return "Échéance aujourd'hui"
    plural = "s" if abs(delta) > 1 else ""
    return f"Reste {delta} jour{plural}" if delta > 0 else f"En retard de {-delta} jour{plural}"


def _clean(text: str | None, *, field: str, minimum: int, maximum: int, what: str) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) < minimum:
        raise ComplaintError(f"Écrivez {what} ({minimum} caractères au moins).", field)
    if len(cleaned) > maximum:
        raise ComplaintError(f"Le texte est trop long : {maximum} caractères au plus.", field)
    return cleaned
