"""The holder's claim screens' display rows (plain values only: everything here is sent to the
browser), their converters and the upload helpers shared by the wizard and the tracker."""

from __future__ import annotations

import dataclasses

from espace import routes
from espace.claims import declaration_queries, perils, recognition, uploads
from espace.claims.labels import FILE_KIND_LABELS
from espace.claims.models import Claim, ClaimFile, ClaimItem
from espace.contracts.models import Contract, InsuredProperty
from espace.core import formatting as fmt
from espace.core.db import savepoint

HOLDER_FILE_KINDS = [
    ["auto", "Détecter (photo ou document)"],
    ["invoice", "Facture"],
    ["quote", "Devis"],
    ["document", "Autre document (plainte, constat…)"],
]


# ----- display rows (plain values only: everything here is sent to the browser) ---------------


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class QuestionView:
    id: str = ""
    label: str = ""
    kind: str = ""
    hint: str = ""
    required: bool = True
    value: str = ""
    error: str = ""
    visible: bool = True
    options: list[Option] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ItemView:
    id: int = 0
    description: str = ""
    category: str = ""
    purchase: str = ""
    estimate: str = ""


@dataclasses.dataclass
class FileView:
    id: int = 0
    name: str = ""
    kind: str = ""
    size: str = ""
    uploaded: str = ""
    by: str = ""
    is_photo: bool = False
    url: str = ""
    preview_url: str = ""
    thumb_url: str = ""
    note: str = ""  # "Prise le …", "Facture reconnue : 320,00 € (vérifiez le montant)"
    warn: bool = False  # a photo taken before the loss


@dataclasses.dataclass
class AssistanceView:
    what: str = ""
    status: str = ""
    stage: str = ""  # requested | accepted | scheduled | completed | refused
    detail: str = ""


@dataclasses.dataclass
class Fact:
    label: str = ""
    value: str = ""


@dataclasses.dataclass
class ClaimCard:
    number: str = ""
    draft_id: int = 0
    peril: str = ""
    contract: str = ""
    status: str = ""
    stage: str = ""
    date: str = ""
    next_step: str = ""
    amount: str = ""
    late: bool = False


@dataclasses.dataclass
class StepView:
    label: str = ""
    state: str = ""
    date: str = ""


@dataclasses.dataclass
class EventView:
    label: str = ""
    date: str = ""
    detail: str = ""
    next_step: str = ""


@dataclasses.dataclass
class MessageView:
    author: str = ""
    mine: bool = False
    date: str = ""
    body: str = ""


def _size(n: int) -> str:
    return (
        f"{fmt.number(round(n / 1024 / 1024, 1))} Mo"
        if n >= 1024 * 1024
        else f"{max(1, n // 1024)} Ko"
    )


def file_view(
    record: ClaimFile, staff_names: dict[int, str], claim: Claim | None = None
) -> FileView:
    occurred = declaration_queries.occurred_local(claim) if claim is not None else None
    note, warn = recognition.photo_note(record.captured_at, occurred.date() if occurred else None)
    return FileView(
        note=note or recognition.document_note(record.kind, record.detected_amount_cents),
        warn=warn,
        id=record.id,
        name=record.filename,
        kind=FILE_KIND_LABELS.get(record.kind, record.kind),
        size=_size(record.size_bytes),
        uploaded=fmt.datetime_fr(record.uploaded_at),
        by=staff_names.get(record.uploaded_by_staff_id, "Espace Assurances")
        if record.uploaded_by_staff_id
        else "Vous",
        is_photo=bool(record.thumbnail_key),
        url=routes.claim_file_url(record.id),
        preview_url=routes.claim_file_url(record.id, inline=True),
        thumb_url=routes.claim_file_url(record.id, thumbnail=True) if record.thumbnail_key else "",
    )


def item_view(item: ClaimItem) -> ItemView:
    purchase = ", ".join(
        x
        for x in (
            fmt.date_fr(item.purchase_date) if item.purchase_date else "",
            fmt.money(item.purchase_price_cents) if item.purchase_price_cents else "",
        )
        if x
    )
    return ItemView(
        id=item.id,
        description=item.description,
        category=perils.ITEM_CATEGORY_LABELS.get(item.category, item.category),
        purchase=purchase or "—",
        estimate=fmt.money(item.estimate_cents),
    )


def estimate_facts(estimate: dict) -> list[Fact]:
    if not estimate.get("covered"):
        return []
    return [
        Fact("Garantie", estimate["guarantee"]),
        Fact("Montant déclaré", fmt.money(estimate["damage_cents"])),
        Fact("Franchise", fmt.money(estimate["deductible_cents"])),
        Fact("Plafond", fmt.money(estimate["ceiling_cents"])),
        Fact("Indemnité estimée", fmt.money(estimate["indemnity_cents"])),
    ]


def _contract_label(contract: Contract, prop: InsuredProperty) -> str:
    return f"{contract.number} · {prop.address_line1}, {prop.city}"


async def read_uploads(files: list) -> list[tuple[bytes, str]]:
    """The uploaded files' bytes and names, read on the loop (the service checks each one)."""
    return [(await upload.read(), upload.name or "fichier") for upload in files or []]


def add_uploads(db, claim: Claim, files: list, kind: str, add) -> tuple[int, list[str]]:
    """Add each file on its own (a refused file leaves the others); return (added, French
    refusals). ``files``: ``read_uploads``'s (bytes, name) pairs; blocking, call it off the loop."""
    added, problems = 0, []
    for data, name in files:
        try:
            with savepoint(db):
                add(
                    session=db,
                    claim=claim,
                    data=data,
                    filename=name,
                    kind="" if kind == "auto" else kind,
                )
            added += 1
        except uploads.UploadRejected as error:
            problems.append(error.message)
    return added, problems
