"""Keeping the index current: a full rebuild (``espace reindex``), and the items touched by each
committed database transaction re-indexed right after the commit."""

from __future__ import annotations

import hashlib
import logging
import threading

from sqlalchemy import event
from sqlmodel import Session, select

from espace.billing.models import Payment
from espace.claims.models import Claim, ClaimEvent, ClaimItem, ClaimMessage
from espace.contracts.models import Contract
from espace.core.db import session_scope
from espace.documents.models import Document
from espace.identity.models import Policyholder
from espace.search import embeddings, sources
from espace.search.index import SearchDoc, SearchIndex, get_index

log = logging.getLogger(__name__)
BATCH = 8  # small batches: queries get the model between two batches


def _digest(doc: SearchDoc) -> str:
    return hashlib.sha256(doc.indexed_text[: embeddings.PASSAGE_CHARS].encode()).hexdigest()


def embed(docs: list[SearchDoc], index: SearchIndex | None = None) -> None:
    """Vectors for the documents, reusing those already computed for the same text."""
    if not docs or not embeddings.available():
        return
    index = index or get_index()
    digests = [_digest(d) for d in docs]
    known = index.cached_vectors(digests)
    missing = [(d, digest) for d, digest in zip(docs, digests, strict=True) if digest not in known]
    for doc, digest in zip(docs, digests, strict=True):
        if digest in known:
            doc.vector = known[digest]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        vectors = embeddings.passages([d.indexed_text for d, _ in chunk])
        if vectors is None:
            return
        for (doc, _doc_digest), vector in zip(chunk, vectors, strict=True):
            doc.vector = vector
        index.cache_vectors(
            [(digest, vector) for (_d, digest), vector in zip(chunk, vectors, strict=True)]
        )


def rebuild(*, session: Session, index: SearchIndex | None = None) -> int:
    """Everything, from scratch. Returns the number of items."""
    index = index or get_index()
    index.clear()
    docs = sources.public_docs(session)
    embed(docs, index)
    index.upsert(docs)
    total = len(docs)
    for holder_id in session.exec(select(Policyholder.id)).all():
        docs = sources.holder_docs(session, holder_id)
        embed(docs, index)
        index.upsert(docs)
        total += len(docs)
    index.mark_built()
    return total


def ensure_built(*, index: SearchIndex | None = None) -> None:
    """Build the index on a fresh installation, or when a first build was interrupted."""
    index = index or get_index()
    if not index.is_built():
        with session_scope() as db:
            count = rebuild(session=db, index=index)
        log.info("search index built: %s items", count)


def ensure_built_in_background() -> threading.Thread:
    thread = threading.Thread(target=ensure_built, name="search-index", daemon=True)
    thread.start()
    return thread


# ----- after each commit ----------------------------------------------------------------------


def _touched_key(obj) -> tuple[str, int] | None:
    if isinstance(obj, Document):
        return ("document", obj.id)
    if isinstance(obj, Claim):
        return ("claim", obj.id)
    if isinstance(obj, (ClaimEvent, ClaimItem)):
        return ("claim", obj.claim_id)
    if isinstance(obj, ClaimMessage):
        return ("message", obj.id)
    if isinstance(obj, Payment):
        return ("payment", obj.id)
    return None


def _collect(session, _flush_context) -> None:
    touched = session.info.setdefault("search_touched", set())
    for obj in list(session.new) + list(session.dirty):
        key = _touched_key(obj)
        if key and key[1] is not None:
            touched.add(key)
    for obj in session.deleted:
        key = _touched_key(obj)
        if key and key[1] is not None:
            session.info.setdefault("search_deleted", set()).add(key)


def _after_commit(session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the real commit comes later
        return
    touched = session.info.pop("search_touched", set())
    deleted = session.info.pop("search_deleted", set())
    if not touched and not deleted:
        return
    try:
        refresh(touched=touched, deleted=deleted, bind=session.bind)
    except Exception:  # noqa: BLE001 - the index is rebuilt by `espace reindex`; a save never fails for it
        log.exception("search index update failed")


def _after_rollback(session) -> None:
    session.info.pop("search_touched", None)
    session.info.pop("search_deleted", None)


def refresh(
    *,
    touched: set[tuple[str, int]],
    deleted: set[tuple[str, int]] = frozenset(),
    bind=None,
    index: SearchIndex | None = None,
) -> None:
    index = index or get_index()
    gone = [f"{kind}:{ident}" for kind, ident in deleted]
    docs: list[SearchDoc] = []
    with Session(bind) if bind is not None else session_scope() as db:
        numbers = {}
        for kind, ident in touched:
            built = _build(db, kind, ident, numbers)
            if built is None:
                gone.append(f"{kind}:{ident}")
            else:
                docs.append(built)
    if gone:
        index.delete(gone)
    embed(docs, index)
    index.upsert(docs)


def _contract_number(db, contract_id, cache: dict) -> str:
    if contract_id is None:
        return ""
    if contract_id not in cache:
        contract = db.get(Contract, contract_id)
        cache[contract_id] = contract.number if contract else ""
    return cache[contract_id]


def _place(db, contract_id, cache: dict) -> str:
    if ("place", contract_id) not in cache:
        cache[("place", contract_id)] = sources.contract_place(db, contract_id)
    return cache[("place", contract_id)]


def _build(db, kind: str, ident: int, numbers: dict) -> SearchDoc | None:
    if kind == "document":
        doc = db.get(Document, ident)
        return (
            sources.document_doc(
                doc,
                _contract_number(db, doc.contract_id, numbers),
                _place(db, doc.contract_id, numbers),
            )
            if doc
            else None
        )
    if kind == "claim":
        claim = db.get(Claim, ident)
        if claim is None or claim.number is None:  # drafts are not searchable
            return None
        return sources.claim_doc(
            db,
            claim,
            _contract_number(db, claim.contract_id, numbers),
            _place(db, claim.contract_id, numbers),
        )
    if kind == "message":
        message = db.get(ClaimMessage, ident)
        claim = db.get(Claim, message.claim_id) if message else None
        return sources.message_doc(message, claim) if claim else None
    if kind == "payment":
        payment = db.get(Payment, ident)
        return (
            sources.payment_doc(
                payment,
                _contract_number(db, payment.contract_id, numbers),
                _place(db, payment.contract_id, numbers),
            )
            if payment
            else None
        )
    return None


_installed = False


def install() -> None:
    """Listen to every ORM session of the process (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _collect)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
    _installed = True


def uninstall() -> None:
    global _installed
    if not _installed:
        return
    event.remove(Session, "after_flush", _collect)
    event.remove(Session, "after_commit", _after_commit)
    event.remove(Session, "after_soft_rollback", _after_soft_rollback)
    _installed = False


def _after_soft_rollback(session, previous_transaction) -> None:
    if (
        previous_transaction.parent is None
    ):  # a savepoint rolled back: what was pending before it stays
        _after_rollback(session)
