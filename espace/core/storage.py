"""Private file storage (never Reflex's public upload folder): the local folder under the data
directory, or S3-compatible object storage when configured (``espace.core.file_store``).

Files are named by random keys; callers only ever pass keys read from the database. Keeping files
and rows in step (deleting after commit, purging orphans) is ``espace.documents.private_files``'s
job. Every function blocks (disk or network): async routes call them in a worker thread.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from espace.core import file_store
from espace.core.settings import get_settings

_KEY = re.compile(r"^[a-f0-9]{2}/[a-f0-9]{32}\.[a-z0-9]{2,5}$")


def root() -> Path:
    """The local folder (the embedded default's place; unused when files go to object storage)."""
    folder = get_settings().data_dir / "private"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def put(data: bytes, *, extension: str) -> tuple[str, str]:
    """Store bytes; return (key, sha256)."""
    name = secrets.token_hex(16)
    key = f"{name[:2]}/{name}.{extension}"
    if not _KEY.match(key):
        raise ValueError(f"not a storable extension: {extension!r}")
    file_store.current().put(key, data)
    return key, hashlib.sha256(data).hexdigest()


def get(key: str) -> bytes:
    if not _KEY.match(key or ""):
        raise FileNotFoundError(key)
    return file_store.current().get(key)


def chunks(key: str) -> Iterator[bytes]:
    """The file as an iterator of chunks, for streaming; ``FileNotFoundError`` before the first
    one."""
    if not _KEY.match(key or ""):
        raise FileNotFoundError(key)
    return file_store.current().chunks(key)


def exists(key: str) -> bool:
    return bool(key) and _KEY.match(key) is not None and file_store.current().exists(key)


def delete(key: str) -> int:
    """Remove the file of a key; returns the bytes freed (0 when it was already gone or the key is
    not one)."""
    if not _KEY.match(key or ""):
        return 0
    return file_store.current().delete(key)


def stored() -> Iterator[tuple[str, datetime, int]]:
    """(key, last modification time (UTC), size) of every file named like a key; other files are
    ignored."""
    for key, modified, size in file_store.current().stored():
        if _KEY.match(key):
            yield key, modified, size
