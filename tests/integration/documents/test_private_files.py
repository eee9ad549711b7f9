"""Stored files follow their rows (finding 6 of issue 16): deleted claim files leave the disk after
the commit (never before: a rolled-back transaction keeps them), drafts are capped per holder, and a
purge removes the orphans that escape (files of a rolled-back transaction, of a crash between commit
and deletion)."""

from __future__ import annotations

import io
import os
import re
import types
from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlmodel import Session, select

from espace import cli
from espace.claims import declaration, declaration_contents
from espace.claims.models import Claim, ClaimFile
from espace.core import storage
from espace.core.db import get_engine, session_scope
from espace.core.models import utcnow
from espace.documents import private_files
from espace.state.claim_wizard import ClaimWizardState
from espace.state.claims import ClaimsState
from espace.support import threads
from espace.support.models import SupportAttachment
from tests import factories
from tests.events import run_handler


def _jpeg(color: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
    return buffer.getvalue()


def _path(key: str):
    return storage.root() / key


def _draft_with_photos(db, person, photos: int = 2) -> Claim:
    contract = factories.contract(db, person)
    claim = declaration.start_draft(
        session=db, holder_id=person.id, account_id=None, contract_id=contract.id
    )
    for n in range(photos):
        declaration_contents.add_file(
            session=db, claim=claim, data=_jpeg(), filename=f"photo{n}.jpg"
        )
    return claim


def _keys(db, claim_id: int) -> list[str]:
    rows = db.exec(select(ClaimFile).where(ClaimFile.claim_id == claim_id)).all()
    return [key for row in rows for key in (row.storage_key, row.thumbnail_key) if key]


def _stand_in(cls, principal, **fields):
    defaults = dict(
        errors={},
        form_version=0,
        upload_errors=[],
        upload_kind="auto",
        flash="",
        cards=[],
        drafts=[],
        can_declare=False,
        claim_id=0,
        peril="",
        answers={},
        step=0,
        reached=0,
        _suggested_peril="",
    )
    me = SimpleNamespace(**{**defaults, **fields})
    for name in ("_save", "_draft", "_show", "_deadline", "_build_questions", "_go", "_refresh"):
        if hasattr(cls, name):
            setattr(me, name, types.MethodType(getattr(cls, name), me))
    me._holder_principal = lambda: principal
    me._holder_id = lambda: principal.holder_id
    me._to_login = lambda: "login"
    me._clear = lambda: setattr(me, "claim_id", 0)
    return me


# ----- deleting with the rows, after the commit --------------------------------------------------


def test_deleting_a_draft_from_the_list_removes_its_photos_and_thumbnails(engine):
    def setup(db):
        person = factories.holder(db)
        claim = _draft_with_photos(db, person)
        return factories.signed_in(db, person)[1], claim.id, _keys(db, claim.id)

    principal, draft_id, keys = factories.committed(setup)
    assert len(keys) == 4 and all(_path(key).exists() for key in keys)  # 2 photos, 2 thumbnails
    run_handler(ClaimsState.delete_draft, _stand_in(ClaimsState, principal), draft_id)
    with Session(get_engine()) as db:
        assert db.get(Claim, draft_id) is None
    assert not any(_path(key).exists() for key in keys)


def test_removing_a_file_from_the_wizard_removes_it_from_disk(engine):
    def setup(db):
        person = factories.holder(db)
        claim = _draft_with_photos(db, person, photos=1)
        record = db.exec(select(ClaimFile).where(ClaimFile.claim_id == claim.id)).one()
        return (
            factories.signed_in(db, person)[1],
            claim.id,
            record.id,
            (record.storage_key, record.thumbnail_key),
        )

    principal, draft_id, file_id, keys = factories.committed(setup)
    run_handler(
        ClaimWizardState.remove_file,
        _stand_in(ClaimWizardState, principal, claim_id=draft_id),
        file_id,
    )
    assert not any(_path(key).exists() for key in keys)


def test_a_rolled_back_deletion_keeps_the_files(db):
    claim = _draft_with_photos(db, factories.holder(db))
    db.commit()
    keys = _keys(db, claim.id)
    declaration_contents.delete_draft(session=db, claim=claim)
    assert all(_path(key).exists() for key in keys)  # nothing goes before the commit
    db.rollback()
    assert all(_path(key).exists() for key in keys) and db.get(Claim, claim.id) is not None


def test_a_deletion_in_a_released_savepoint_waits_for_the_real_commit(engine):
    with Session(get_engine(), expire_on_commit=False) as db:
        claim = _draft_with_photos(db, factories.holder(db), photos=1)
        db.commit()
        claim_id, keys = claim.id, _keys(db, claim.id)
        claim.description = (
            "Fuite sous l'évier."  # a write first: SQLite's driver would commit a first SAVEPOINT
        )
        db.flush()
        with db.begin_nested():
            declaration_contents.delete_draft(session=db, claim=claim)
        assert all(
            _path(key).exists() for key in keys
        )  # released savepoint: the outer transaction may still fail
        db.rollback()
        assert all(_path(key).exists() for key in keys)
        with db.begin_nested():
            declaration_contents.delete_draft(session=db, claim=db.get(Claim, claim_id))
        db.commit()  # this time the outer transaction commits: the files go
    assert not any(_path(key).exists() for key in keys)


def test_files_stored_in_a_rolled_back_transaction_are_deleted(engine):
    def setup(db):
        person = factories.holder(db)
        factories.contract(db, person)
        return person.id

    holder_id = factories.committed(setup)
    stored: list[str] = []
    real_put = storage.put

    def spy(data, *, extension):
        key, digest = real_put(data, extension=extension)
        stored.append(key)
        return key, digest

    storage.put = spy
    try:
        with pytest.raises(RuntimeError), session_scope() as db:
            threads.open_thread(
                session=db,
                holder_id=holder_id,
                subject="Photos du dégât",
                category="other",
                body="Voici les photos",
                attachments=[(_jpeg(), "a.jpg"), (_jpeg("red"), "b.jpg")],
            )
            raise RuntimeError("the handler failed after the upload")
    finally:
        storage.put = real_put
    assert len(stored) == 2 and not any(_path(key).exists() for key in stored)
    with Session(get_engine()) as db:
        assert not db.exec(
            select(SupportAttachment).where(SupportAttachment.storage_key.in_(stored))
        ).all()


def test_a_file_whose_savepoint_rolled_back_goes_and_the_others_stay(engine):
    with Session(get_engine(), expire_on_commit=False) as db:
        claim = _draft_with_photos(db, factories.holder(db), photos=1)
        kept = _keys(db, claim.id)
        with pytest.raises(RuntimeError), db.begin_nested():
            declaration_contents.add_file(
                session=db, claim=claim, data=_jpeg("blue"), filename="refused.jpg"
            )
            lost = [k for k in _keys(db, claim.id) if k not in kept]
            raise RuntimeError("refused")
        db.commit()
    assert len(lost) == 2 and not any(_path(key).exists() for key in lost)
    assert all(_path(key).exists() for key in kept)


# ----- the draft cap ------------------------------------------------------------------------------


def test_a_holder_cannot_open_more_than_five_drafts(engine):
    def setup(db):
        person = factories.holder(db)
        contract = factories.contract(db, person)
        return factories.signed_in(db, person)[1], contract.id

    principal, contract_id = factories.committed(setup)
    for _ in range(declaration.MAX_OPEN_DRAFTS):
        me = _stand_in(ClaimWizardState, principal)
        run_handler(ClaimWizardState.choose_contract, me, {"contract": str(contract_id)})
        assert me.errors == {} and me.claim_id
    me = _stand_in(ClaimWizardState, principal)
    run_handler(ClaimWizardState.choose_contract, me, {"contract": str(contract_id)})
    assert (
        me.errors == {"contract": declaration.TOO_MANY_DRAFTS}
        and "déjà 5 déclarations" in me.errors["contract"]
    )
    with Session(get_engine()) as db:
        assert (
            declaration.open_drafts(session=db, holder_id=principal.holder_id)
            == declaration.MAX_OPEN_DRAFTS
        )
        # Deleting one frees a place; a sent claim never counts.
        declaration_contents.delete_draft(
            session=db,
            claim=db.exec(select(Claim).where(Claim.holder_id == principal.holder_id)).first(),
        )
        db.commit()
    run_handler(ClaimWizardState.choose_contract, me, {"contract": str(contract_id)})
    assert me.errors == {} and me.claim_id


# ----- the purge of orphans -----------------------------------------------------------------------


def _age(key: str, hours: float) -> None:
    stamp = (utcnow() - timedelta(hours=hours)).timestamp()
    os.utime(_path(key), (stamp, stamp))


def test_purge_deletes_old_orphans_only_and_is_idempotent(db):
    claim = _draft_with_photos(db, factories.holder(db), photos=1)
    db.flush()
    referenced = _keys(db, claim.id)
    old_orphan = storage.put(b"orphan", extension="jpg")[0]
    young_orphan = storage.put(b"young", extension="pdf")[0]
    stranger = storage.root() / "notes.txt"
    stranger.write_text("not a storage key")
    for key in (*referenced, old_orphan):
        _age(key, 3)
    _age(young_orphan, 0.5)

    report = private_files.purge_orphans(session=db)
    assert report.deleted >= 1 and report.bytes_freed >= len(b"orphan")
    assert not _path(old_orphan).exists()
    assert _path(young_orphan).exists()  # its row may still be committing
    assert all(
        _path(key).exists() for key in referenced
    )  # named by a row (even one not committed yet here)
    assert stranger.exists()
    assert private_files.purge_orphans(session=db).deleted == 0
    later = private_files.purge_orphans(session=db, now=utcnow() + timedelta(hours=2))
    assert not _path(young_orphan).exists() and later.deleted >= 1
    stranger.unlink()


def test_purge_files_command(engine, capsys):
    orphan = storage.put(b"orphan of a crash", extension="pdf")[0]
    _age(orphan, 2)
    assert cli.main(["purge-files"]) == 0
    assert not _path(orphan).exists()
    out = capsys.readouterr().out
    assert re.search(r"^(1 fichier orphelin supprimé|\d+ fichiers orphelins supprimés) ", out)
