"""Private file storage under the data directory (never Reflex's public upload folder).

Files are named by random keys; callers only ever pass keys read from the database. Keeping files
and rows in step (deleting after commit, purging orphans) is ``espace.documents.private_files``'s
job.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from espace.core.settings import get_settings

_KEY = re.compile(r"^[a-f0-9]{2}/[a-f0-9]{32}\.[a-z0-9]{2,5}$")


def root() -> Path:
    folder = get_settings().data_dir / "private"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def put(data: bytes, *, extension: str) -> tuple[str, str]:
    """Store bytes; return (key, sha256)."""
    name = secrets.token_hex(16)
    key = f"{name[:2]}/{name}.{extension}"
    path = root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key, hashlib.sha256(data).hexdigest()


def get(key: str) -> bytes:
    if not _KEY.match(key or ""):
        raise FileNotFoundError(key)
    return (root() / key).read_bytes()


def exists(key: str) -> bool:
    return bool(key) and _KEY.match(key) is not None and (root() / key).exists()


def delete(key: str) -> int:
    """Remove the file of a key; returns the bytes freed (0 when it was already gone or the key is
    not one)."""
    if not _KEY.match(key or ""):
        return 0
    path = root() / key
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    return size


def stored() -> Iterator[tuple[str, datetime, int]]:
    """(key, last modification time (UTC), size) of every file named like a key; other files are
    ignored."""
    for path in root().glob("??/*"):
        key = f"{path.parent.name}/{path.name}"
        if not _KEY.match(key):
            continue
        try:
            info = path.stat()
        except FileNotFoundError:  # deleted meanwhile
            continue
        yield key, datetime.fromtimestamp(info.st_mtime, UTC), info.st_size
