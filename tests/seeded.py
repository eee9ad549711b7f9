"""The demo database, seeded once per run of ``./test.sh`` and copied by each session that needs a
seeded SQLite database (the integration workers, the browser tests' app, the fresh installation,
the API contract test). Seeding costs about 35 s of one core (ten years of renewals and their PDF
letters, argon2id hashes): it was done five times per run on SQLite (two workers here).

``./test.sh`` seeds with the admin commands a deployment runs (``espace migrate``, ``espace seed``)
while the code is checked, and names the result in ``ESPACE_TEST_SEEDED_DB``; the files the seeding
wrote (stored documents, the key that signed and encrypted them) are beside it, in
``<database>.data``. Without that variable (pytest run directly), each session seeds its own.
Under ``scripts/at_date.sh`` every process shares one ticking fake clock (test.sh sets
``ESPACE_FAKE_NOW_ANCHOR`` first), so the copied rows are as old as if seeded here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from espace.core.db import get_engine, make_engine
from espace.core.migrations import upgrade_to_head
from espace.core.settings import get_settings
from espace.demo.seed import seed_demo

SEEDED_VAR = "ESPACE_TEST_SEEDED_DB"


def seeded_copy() -> Path | None:
    """The run's seeded database, if ./test.sh made one."""
    given = os.environ.get(SEEDED_VAR)
    return Path(given) if given and Path(given).exists() else None


def copy_seeded_files(source: Path, *, replace: bool) -> None:
    """The files the seeding wrote, into this process's data folder. ``replace=False`` keeps the
    files already there (a session that already copied them, and wrote since; its key stays)."""

    def copy(src: str, dst: str) -> object:
        if not replace and os.path.exists(dst):
            return dst
        return shutil.copy2(src, dst)

    shutil.copytree(
        Path(f"{source}.data"), get_settings().data_dir, dirs_exist_ok=True, copy_function=copy
    )
    if replace:
        get_settings.cache_clear()  # the key the seeding wrote
        get_engine.cache_clear()


def seed_at(database_url: str) -> None:
    """Seed the demo into the (migrated) database at that address, here (SQLite or PostgreSQL)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            seed_demo(session)
            session.commit()
    finally:
        engine.dispose()


def postgres_database(postgres_url: str, name: str, *, template: str | None = None) -> str:
    """A new (empty, or a copy of ``template``) database of the PostgreSQL cluster at
    ``postgres_url``, replacing any of that name; returns its URL."""
    admin = make_engine(postgres_url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(
                text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
            )
    finally:
        admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def seeded_database(url: str, *, replace_files: bool = False) -> None:
    """Make the SQLite database at ``url`` the migrated and seeded demo: a copy of the run's, or
    seeded here."""
    source = seeded_copy()
    if source is None:
        upgrade_to_head(url)
        seed_at(url)
        return
    copy_seeded_files(source, replace=replace_files)
    database = make_url(url).database
    assert database, url
    shutil.copyfile(source, database)
