"""Keeping the index current: a full rebuild (``espace reindex``), and the items touched by each
committed database transaction re-indexed right after the commit.

A fresh installation builds the index before it serves (``run.sh`` runs ``espace reindex
--if-needed``). When the app starts on an index that is not built (a first start without run.sh,
or an interrupted build), it starts that same command as a **separate process** at low priority
(``nice``), never inside the web worker: embedding thousands of texts would take the worker's
cores and its event loop. Meanwhile the search page says that indexing is under way, with its
progress (``SearchIndex.progress``)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Set as AbstractSet
from contextlib import nullcontext

import numpy as np
from sqlalchemy import event
from sqlmodel import Session, col, select

from espace.billing.models import Payment
from espace.claims.models import Claim, ClaimEvent, ClaimItem, ClaimMessage
from espace.contracts.models import Contract
from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.documents.models import Document
from espace.identity.models import Policyholder
from espace.search import embeddings, public_sources, shared_vectors, sources
from espace.search.index import SearchDoc, SearchIndex, get_index
from espace.support.models import SupportMessage, SupportThread

log = logging.getLogger(__name__)
BATCH = 8  # small batches: queries get the model between two batches


def _digest(doc: SearchDoc) -> str:
    return hashlib.sha256(doc.indexed_text[: embeddings.PASSAGE_CHARS].encode()).hexdigest()


def embed(docs: list[SearchDoc], index: SearchIndex | None = None) -> None:
    """Vectors for the documents, reusing those already computed for the same text (by this index,
    or by any index of the machine when ``ESPACE_SEARCH_VECTOR_CACHE`` is set)."""
    if not docs or not embeddings.available():
        return
    index = index or get_index()
    digests = [_digest(d) for d in docs]
    known = index.cached_vectors(digests)
    missing = [(d, digest) for d, digest in zip(docs, digests, strict=True) if digest not in known]
    for doc, digest in zip(docs, digests, strict=True):
        if digest in known:
            doc.vector = known[digest]
    if not missing:
        return
    machine = shared_vectors.shared()
    if machine is None:
        _compute(missing, index)
        return
    by_digest: dict[str, list[SearchDoc]] = {}
    for doc, digest in missing:
        by_digest.setdefault(digest, []).append(doc)

    def compute(digests: list[str]) -> dict[str, np.ndarray]:
        return _compute([(by_digest[d][0], d) for d in digests], index)

    found = machine.share_work(list(by_digest), compute, batch=BATCH)
    index.cache_vectors(list(found.items()))
    for digest, same_text in by_digest.items():
        for doc in same_text:
            doc.vector = found.get(digest)


def _compute(missing: list[tuple[SearchDoc, str]], index: SearchIndex) -> dict[str, np.ndarray]:
    """Embed the documents (``BATCH`` at a time: queries get the model between two batches) and
    keep their vectors in the index's own cache; returns them by digest."""
    computed: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        vectors = embeddings.passages([d.indexed_text for d, _ in chunk])
        if vectors is None:
            break
        pairs = [(digest, vector) for (_d, digest), vector in zip(chunk, vectors, strict=True)]
        for (doc, _digest), vector in zip(chunk, vectors, strict=True):
            doc.vector = vector
        index.cache_vectors(pairs)
        computed.update(pairs)
    return computed


def rebuild(*, session: Session, index: SearchIndex | None = None, progress=None) -> int:
    """Everything, from scratch: help articles (from the content folder), general conditions,
    guarantees, every holder's own items and the back office's holder cards. Returns the number of
    items. The public items come first: search answers the questions of the help centre as soon as
    they are in."""
    index = index or get_index()
    holders = [
        i  # primary keys: never None
        for i in session.exec(select(Policyholder.id).order_by(col(Policyholder.id))).all()
        if i is not None
    ]
    index.clear()
    docs = public_sources.public_docs(session)
    embed(docs, index)
    index.upsert(docs)
    total = len(docs)
    index.set_progress(0, len(holders))
    for done, holder_id in enumerate(holders, 1):
        docs = sources.holder_docs(session, holder_id)
        embed(docs, index)
        docs += sources.staff_docs(session, holder_id)
        index.upsert(docs)
        total += len(docs)
        if done % 20 == 0 or done == len(holders):
            index.set_progress(done, len(holders))
            if progress:
                progress(done, len(holders))
    index.mark_built()
    if hasattr(index, "prune_changes"):
        index.prune_changes()
    return total


def _lock_path():
    return get_settings().data_dir / "search-build.lock"


def ensure_built(*, index: SearchIndex | None = None) -> bool:
    """Build the index unless it is built (a fresh installation, or an interrupted build). One
    builder at a time on this machine (a lock file) and, for the PostgreSQL index shared by every
    machine, in the deployment (an advisory lock): a second caller returns at once. Returns whether
    it built."""
    index = index or get_index()
    if index.is_built():
        return False
    path = _lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # another process is building it
        shared = index.build_lock() if hasattr(index, "build_lock") else nullcontext(True)
        with shared as mine:
            if not mine or index.is_built():
                return False  # another machine is building it, or has just built it
            with session_scope() as db:
                count = rebuild(session=db, index=index)
        log.info("search index built: %s items", count)
        return True


def stop_with(pid: int, *, every: float = 1.0) -> threading.Thread:
    """Exit this process as soon as process ``pid`` has ended (the web worker that started this
    build)."""

    def watch() -> None:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                log.info("search index build stopped: its server (pid %s) has ended", pid)
                os._exit(3)
            except PermissionError:
                pass  # alive, another user's (a reused pid would keep us going: harmless)
            time.sleep(every)

    thread = threading.Thread(target=watch, name="stop-with-server", daemon=True)
    thread.start()
    return thread


def warm_in_background() -> None:
    """Load the word lists and the embedding model before the first search needs them."""

    def warm() -> None:
        from espace.search import lexicon

        lexicon.warm()
        embeddings.available()

    threading.Thread(target=warm, name="search-warm", daemon=True).start()


def build_in_separate_process() -> subprocess.Popen | None:
    """From the web worker at start: when the index is not built, ``espace reindex --if-needed`` in
    its own process at low priority (the worker keeps serving; search says indexing is under
    way). The builder stops when the worker does (``--stop-with``): its own session keeps it out of
    the terminal's Ctrl-C, not alive after the server (an interrupted build is resumed at the next
    start)."""
    index = get_index()
    if index.is_built():
        return None
    command = [
        *(sys.executable, "-m", "espace.cli", "reindex", "--if-needed"),
        *("--stop-with", str(os.getpid())),
    ]
    return subprocess.Popen(  # noqa: S603 - our own CLI, no user input
        ["nice", "-n", "10", *command],
        env={**os.environ, "ESPACE_SEARCH_THREADS": os.environ.get("ESPACE_SEARCH_THREADS", "1")},
        stdout=subprocess.DEVNULL,
        stderr=None,
        start_new_session=True,
    )


# ----- after each commit ----------------------------------------------------------------------


def _touched_key(obj) -> tuple[str, int | None] | None:  # None: a row not flushed yet
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
    if isinstance(obj, SupportThread):
        return ("thread", obj.id)
    if isinstance(obj, SupportMessage):
        return ("thread", obj.thread_id)
    if isinstance(obj, Policyholder):
        return ("holder", obj.id)
    return None


def _collect(session, _flush_context) -> None:
    touched = session.info.setdefault("search_touched", set())
    for obj in list(session.new) + list(session.dirty):
        key = _touched_key(obj)
        if key and key[1] is not None:
            touched.add(key)
        # The back office finds a holder by their claim and contract numbers too.
        if isinstance(obj, (Claim, Contract)) and getattr(obj, "holder_id", None) is not None:
            touched.add(("holder", obj.holder_id))
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
    deleted: AbstractSet[tuple[str, int]] = frozenset(),
    bind=None,
    index: SearchIndex | None = None,
) -> None:
    index = index or get_index()
    gone = [f"{kind}:{ident}" for kind, ident in deleted]
    docs: list[SearchDoc] = []
    with Session(bind) if bind is not None else session_scope() as db:
        numbers: dict[object, str] = {}  # contract id or ("place", id) -> text
        for kind, ident in touched:
            built = _build(db, kind, ident, numbers)
            if built is None:
                gone.append(f"{kind}:{ident}")
            else:
                docs.append(built)
    if gone:
        index.delete(gone)
    embed([d for d in docs if d.kind != "holder"], index)
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
    if kind == "thread":
        thread = db.get(SupportThread, ident)
        if thread is None:
            return None
        messages = db.exec(
            select(SupportMessage)
            .where(SupportMessage.thread_id == ident)
            .order_by(col(SupportMessage.created_at), col(SupportMessage.id))
        ).all()
        return sources.thread_doc(thread, list(messages))
    if kind == "holder":
        holder = db.get(Policyholder, ident)
        return sources.holder_card(db, holder) if holder else None
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
