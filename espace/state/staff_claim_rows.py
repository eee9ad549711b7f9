"""The staff claims back office's display rows (the queue, one claim) and the options of its
filters and forms (also used by the pages)."""

from __future__ import annotations

import dataclasses

from espace import routes
from espace.claims import peril_data, stages, workflow_views
from espace.claims.labels import FILE_KIND_LABELS
from espace.claims.models import ClaimFileKind, ClaimStatus
from espace.contracts import labels
from espace.core import formatting as fmt

S = ClaimStatus


# ----- the queue's filters (also used by the page) ---------------------------------------------

STATUS_FILTERS: list[list[str]] = [["open", "En cours"], ["", "Toutes les étapes"]] + [
    [status.value, stages.label(status)] for status in S if status != S.DRAFT
]
PERIL_FILTERS: list[list[str]] = [["", "Tous les événements"]] + [
    [p.code, p.label] for p in peril_data.PERILS
]
AGE_FILTERS: list[list[str]] = [
    ["", "Toutes"],
    ["lt7", "Moins de 7 jours"],
    ["7to30", "De 7 à 30 jours"],
    ["gt30", "Plus de 30 jours"],
]

# What staff may add with "Ajouter un document".
DOCUMENT_KINDS: list[list[str]] = [
    [kind.value, FILE_KIND_LABELS[kind]]
    for kind in (
        ClaimFileKind.CORRESPONDENCE,
        ClaimFileKind.QUOTE,
        ClaimFileKind.INVOICE,
        ClaimFileKind.PAYMENT_PROOF,
    )
]
CATEGORY_OPTIONS: list[list[str]] = [
    [str(code), text] for code, text in labels.GUARANTEE_CATEGORY.items()
]


@dataclasses.dataclass
class QueueItem:
    number: str = ""
    url: str = ""
    holder: str = ""
    contract: str = ""
    peril: str = ""
    status: str = ""
    received: str = ""
    age: int = 0
    due: str = ""
    late: bool = False
    handler: str = ""
    expert: str = ""
    express: bool = False
    declared: str = ""
    indemnity: str = ""


def to_queue_item(row: workflow_views.QueueRow) -> QueueItem:
    return QueueItem(
        number=row.number,
        url=f"{routes.STAFF_CLAIM}?n={row.number}",
        holder=row.holder_name,
        contract=row.contract_number,
        peril=row.peril,
        status=row.status,
        received=fmt.date_fr(row.submitted_at),
        age=row.age_days,
        due=fmt.date_fr(row.due_at) or "—",
        late=row.late,
        handler=row.handler or "—",
        expert=row.expert or "—",
        express=row.express,
        declared=fmt.money(row.declared_cents),
        indemnity=fmt.money(row.indemnity_cents) or "—",
    )


@dataclasses.dataclass
class AnswerItem:
    question: str = ""
    answer: str = ""


@dataclasses.dataclass
class ItemRow:
    description: str = ""
    category: str = ""
    purchased: str = ""
    price: str = ""
    estimate: str = ""


@dataclasses.dataclass
class FileRow:
    name: str = ""
    kind: str = ""
    uploaded: str = ""
    uploader: str = ""
    photo: bool = False
    url: str = ""
    thumbnail_url: str = ""
    alt: str = ""


@dataclasses.dataclass
class EventRow:
    label: str = ""
    at: str = ""
    detail: str = ""
    next_step: str = ""
    by: str = ""


@dataclasses.dataclass
class MessageRow:
    author: str = ""
    at: str = ""
    body: str = ""
    from_staff: bool = False


@dataclasses.dataclass
class AuditRow:
    who: str = ""
    action: str = ""
    at: str = ""
    detail: str = ""


@dataclasses.dataclass
class ReadRow:
    who: str = ""
    role: str = ""
    at: str = ""
    what: str = ""
