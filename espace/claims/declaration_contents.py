"""What a claim holds beyond its form: the damaged items and files of the draft (files checked by
content and kept privately; staff documents too), the draft's deletion, and what the holder adds
after sending (documents, messages).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from espace.claims import perils, recognition, stages, uploads
from espace.claims.declaration import (
    MAX_ITEMS,
    STEP_FILES,
    STEP_ITEMS,
    STEP_SUMMARY,
    ClaimInputError,
    _touch,
)
from espace.claims.declaration_queries import declared_total, items
from espace.claims.models import (
    Claim,
    ClaimFile,
    ClaimFileKind,
    ClaimItem,
    ClaimMessage,
    ClaimStatus,
)
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.documents import private_files
from espace.webhooks.events import emit


def _amount(text: str, field: str, errors: dict[str, str], *, required: bool) -> int | None:
    try:
        cents = fmt.parse_euros(text)
    except ValueError:
        errors[field] = "Montant invalide : par exemple 250 ou 1 234,50."
        return None
    if cents is None:
        if required:
            errors[field] = "Indiquez un montant."
        return None
    if cents <= 0 or cents > 100_000_000:
        errors[field] = "Le montant doit être compris entre 0,01 € et 1 000 000 €."
        return None
    return cents


def add_item(
    *,
    session: Session,
    claim: Claim,
    description: str,
    category: str,
    purchase_date: str,
    purchase_price: str,
    estimate_text: str,
    today: date,
) -> ClaimItem:
    errors: dict[str, str] = {}
    description = (description or "").strip()
    if len(description) < 2:
        errors["item_description"] = "Décrivez le bien (par exemple « Parquet du salon »)."
    if category not in perils.ITEM_CATEGORY_LABELS:
        errors["item_category"] = "Choisissez une catégorie."
    bought = None
    if (purchase_date or "").strip():
        bought = perils.parse_date(purchase_date)
        if bought is None:
            errors["item_purchase_date"] = "Date invalide : utilisez le format JJ/MM/AAAA."
        elif bought > today:
            errors["item_purchase_date"] = "La date d'achat ne peut pas être dans le futur."
    price = _amount(purchase_price, "item_purchase_price", errors, required=False)
    estimate_cents = _amount(estimate_text, "item_estimate", errors, required=True)
    if len(items(session=session, claim_id=claim.id)) >= MAX_ITEMS:
        errors["item_description"] = f"Une déclaration compte au plus {MAX_ITEMS} biens."
    if errors:
        raise ClaimInputError(errors)
    item = ClaimItem(
        claim_id=claim.id,
        description=description[:200],
        category=category,
        purchase_date=bought,
        purchase_price_cents=price,
        estimate_cents=estimate_cents,
    )
    session.add(item)
    session.flush()  # the new item is in the sum below (autoflush or not): never count it twice
    claim.declared_total_cents = declared_total(session=session, claim_id=claim.id)
    _touch(session, claim, STEP_ITEMS)
    return item


def remove_item(*, session: Session, claim: Claim, item_id: int) -> bool:
    item = session.exec(
        select(ClaimItem).where(ClaimItem.id == item_id, ClaimItem.claim_id == claim.id)
    ).first()
    if item is None:
        return False
    session.delete(item)
    session.flush()
    claim.declared_total_cents = declared_total(session=session, claim_id=claim.id)
    _touch(session, claim, claim.draft_step)
    return True


def items_done(*, session: Session, claim: Claim) -> None:
    if not items(session=session, claim_id=claim.id):
        raise ClaimInputError({"items": "Ajoutez au moins un bien endommagé, avec son estimation."})
    _touch(session, claim, STEP_FILES)


def add_file(
    *,
    session: Session,
    claim: Claim,
    data: bytes,
    filename: str,
    kind: str = "",
    staff_id: int | None = None,
) -> ClaimFile:
    """Check by content, store privately with a thumbnail for photos. Raises
    uploads.UploadRejected."""
    # The cap is the holder's: staff documents (expert report, letters) never count against it.
    count = (
        0
        if staff_id is not None
        else session.exec(
            select(func.count())
            .select_from(ClaimFile)
            .where(ClaimFile.claim_id == claim.id, ClaimFile.uploaded_by_staff_id.is_(None))
        ).one()
    )
    checked = uploads.check_upload(data=data, filename=filename, existing_count=count)
    thumb = uploads.thumbnail(data=data, mime_type=checked.mime_type)
    key, digest = private_files.put(session=session, data=data, extension=checked.extension)
    thumb_key = private_files.put(session=session, data=thumb, extension="jpg")[0] if thumb else ""
    detected_amount = None
    if kind not in ClaimFileKind.__members__.values():  # "Détecter": recognised by content
        kind = ClaimFileKind.PHOTO if checked.kind == "photo" else ClaimFileKind.DOCUMENT
        if checked.mime_type == "application/pdf":
            found = recognition.recognise_pdf(data)
            kind, detected_amount = found.kind or kind, found.amount_cents
    elif kind in (ClaimFileKind.INVOICE, ClaimFileKind.QUOTE) and checked.mime_type.endswith("pdf"):
        detected_amount = recognition.recognise_pdf(data).amount_cents
    captured = recognition.capture_time(data) if checked.kind == "photo" else None
    record = ClaimFile(
        claim_id=claim.id,
        kind=kind,
        filename=checked.filename,
        mime_type=checked.mime_type,
        size_bytes=checked.size_bytes,
        sha256=digest,
        storage_key=key,
        thumbnail_key=thumb_key,
        uploaded_by_staff_id=staff_id,
        captured_at=captured,
        detected_amount_cents=detected_amount,
    )
    session.add(record)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    return record


def remove_draft_file(*, session: Session, claim: Claim, file_id: int) -> bool:
    if claim.status != ClaimStatus.DRAFT:
        return False
    record = session.exec(
        select(ClaimFile).where(ClaimFile.id == file_id, ClaimFile.claim_id == claim.id)
    ).first()
    if record is None:
        return False
    session.delete(record)
    session.flush()
    private_files.delete_after_commit(
        session=session, keys=(record.storage_key, record.thumbnail_key)
    )
    return True


def files_done(*, session: Session, claim: Claim) -> None:
    _touch(session, claim, STEP_SUMMARY)


def delete_draft(*, session: Session, claim: Claim) -> None:
    """The draft, its items and its files (the stored files go once the transaction commits)."""
    if claim.status != ClaimStatus.DRAFT:
        return
    for model in (ClaimItem, ClaimFile):
        for row in session.exec(select(model).where(model.claim_id == claim.id)).all():
            session.delete(row)
            if isinstance(row, ClaimFile):
                private_files.delete_after_commit(
                    session=session, keys=(row.storage_key, row.thumbnail_key)
                )
    session.flush()
    session.delete(claim)
    session.flush()


# ----- after sending -------------------------------------------------------------------------


def add_document(
    *, session: Session, claim: Claim, data: bytes, filename: str, kind: str = ""
) -> ClaimFile:
    """The holder adds a document to a sent claim (at any time, even closed: it may reopen it)."""
    if claim.status == ClaimStatus.DRAFT:
        return add_file(session=session, claim=claim, data=data, filename=filename, kind=kind)
    record = add_file(session=session, claim=claim, data=data, filename=filename, kind=kind)
    stages.record(
        session=session,
        claim=claim,
        kind="documents_added",
        detail=f"« {record.filename} » ajouté.",
    )
    emit(
        "claim.document_added",
        {"claim_id": claim.id, "file_id": record.id, "holder_id": claim.holder_id},
        session=session,
    )
    return record


def post_message(
    *, session: Session, claim: Claim, body: str, staff_id: int | None = None
) -> ClaimMessage:
    body = (body or "").strip()
    if not body:
        raise ClaimInputError({"message": "Écrivez votre message avant de l'envoyer."})
    if len(body) > 4000:
        raise ClaimInputError(
            {"message": "Votre message est trop long (4 000 caractères au plus)."}
        )
    if claim.status == ClaimStatus.DRAFT:
        raise ClaimInputError({"message": "Envoyez d'abord votre déclaration."})
    message = ClaimMessage(claim_id=claim.id, staff_id=staff_id, body=body)
    session.add(message)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    if staff_id is None:  # the holder wrote
        emit(
            "claim.message_posted",
            {"claim_id": claim.id, "message_id": message.id, "holder_id": claim.holder_id},
            session=session,
        )
    return message


def mark_staff_messages_read(*, session: Session, claim: Claim) -> None:
    now = utcnow()
    for message in session.exec(
        select(ClaimMessage).where(
            ClaimMessage.claim_id == claim.id,
            ClaimMessage.staff_id.is_not(None),
            ClaimMessage.read_at.is_(None),
        )
    ).all():
        message.read_at = now
        session.add(message)
