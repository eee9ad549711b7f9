"""Where private files live: a local folder (the embedded default) or S3-compatible object storage.

Both backends keep the same contract (tests/integration/test_file_store.py runs it on both):

- ``put(key, data)`` stores bytes under a key (overwriting), ``get(key)`` returns them,
  ``chunks(key)`` opens the file and returns an iterator of byte chunks (``FileNotFoundError`` is
  raised by the call itself when the key is missing, before any chunk is read, so a route can answer
  404),
- ``exists(key)``, ``delete(key)`` (returns the bytes freed, 0 when already gone),
- ``stored()`` lists ``(key, last modified in UTC, size)`` of every stored file.

Keys are validated by ``espace.core.storage``, which names them; this module stores what it is
given. Every call blocks (disk or network): async code calls it in a worker thread (Starlette's
``run_in_threadpool`` / ``iterate_in_threadpool``).

The backend is chosen from the settings: ``ESPACE_S3_ENDPOINT`` + ``ESPACE_S3_BUCKET`` (+ keys)
select S3, otherwise files go under ``<data_dir>/private``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

CHUNK = 64 * 1024


class FileStore(Protocol):
    name: str

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def chunks(self, key: str, size: int = CHUNK) -> Iterator[bytes]: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> int: ...
    def stored(self) -> Iterator[tuple[str, datetime, int]]: ...


class LocalFolderStore:
    """Files under one folder, ``<root>/<key>``; keys are ``xx/<name>.<ext>``."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp{threading.get_ident()}")
        temporary.write_bytes(data)
        temporary.replace(path)  # readers never see half a file

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def chunks(self, key: str, size: int = CHUNK) -> Iterator[bytes]:
        handle = self._path(key).open("rb")  # FileNotFoundError here, before streaming starts

        def read() -> Iterator[bytes]:
            with handle:
                while block := handle.read(size):
                    yield block

        return read()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> int:
        path = self._path(key)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size

    def stored(self) -> Iterator[tuple[str, datetime, int]]:
        for path in self._path("").glob("??/*"):
            if path.name.startswith("."):
                continue
            try:
                info = path.stat()
            except FileNotFoundError:  # deleted meanwhile
                continue
            yield (
                f"{path.parent.name}/{path.name}",
                datetime.fromtimestamp(info.st_mtime, UTC),
                info.st_size,
            )


class S3Store:
    """An S3-compatible bucket (AWS, MinIO, Ceph, Garage, Scaleway, OVH…), through boto3.

    Objects are ``<prefix><key>``, private (the bucket is never exposed to browsers: downloads
    stream through the app's authenticated routes), optionally encrypted at rest by the server."""

    name = "s3"

    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        access_key: str = "",
        secret_key: str = "",
        region: str = "us-east-1",
        prefix: str = "",
        server_side_encryption: str = "",
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix, self.sse = bucket, prefix, server_side_encryption
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint or None,
            region_name=region or "us-east-1",
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
                max_pool_connections=32,
            ),
        )

    def _missing(self, error: Exception) -> bool:
        code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist (tests, first start); production buckets are
        made by their operator, with versioning and encryption as the insurer's policy says."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            region = self.client.meta.region_name
            extra = (
                {"CreateBucketConfiguration": {"LocationConstraint": region}}
                if region != "us-east-1"
                else {}
            )
            self.client.create_bucket(Bucket=self.bucket, **extra)

    def put(self, key: str, data: bytes) -> None:
        extra = {"ServerSideEncryption": self.sse} if self.sse else {}
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data, **extra)

    def _open(self, key: str):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(key) from error
            raise

    def get(self, key: str) -> bytes:
        body = self._open(key)
        try:
            return body.read()
        finally:
            body.close()

    def chunks(self, key: str, size: int = CHUNK) -> Iterator[bytes]:
        body = self._open(key)

        def read() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(size)
            finally:
                body.close()

        return read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as error:
            if self._missing(error):
                return False
            raise
        return True

    def delete(self, key: str) -> int:
        from botocore.exceptions import ClientError

        try:
            size = self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)[
                "ContentLength"
            ]
        except ClientError as error:
            if self._missing(error):
                return 0
            raise
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        return int(size)

    def stored(self) -> Iterator[tuple[str, datetime, int]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                modified = item["LastModified"]
                if modified.tzinfo is None:
                    modified = modified.replace(tzinfo=UTC)
                yield item["Key"][len(self.prefix) :], modified.astimezone(UTC), int(item["Size"])

    def ping(self) -> None:
        """Raise unless the bucket answers (readiness)."""
        self.client.head_bucket(Bucket=self.bucket)


_lock = threading.Lock()
_current: tuple[tuple, FileStore] | None = None


def _config() -> tuple:
    from espace.core.settings import get_settings

    s = get_settings()
    return (
        s.s3_endpoint,
        s.s3_bucket,
        s.s3_access_key,
        s.s3_secret_key.get_secret_value(),
        s.s3_region,
        s.s3_prefix,
        s.s3_server_side_encryption,
        str(s.data_dir),
    )


def current() -> FileStore:
    """The configured store (one client per process, rebuilt when the settings change: tests)."""
    global _current
    config = _config()
    found = _current
    if found is not None and found[0] == config:
        return found[1]
    with _lock:
        if _current is None or _current[0] != config:
            endpoint, bucket, access, secret, region, prefix, sse, data_dir = config
            store: FileStore
            if bucket:
                store = S3Store(
                    endpoint=endpoint,
                    bucket=bucket,
                    access_key=access,
                    secret_key=secret,
                    region=region,
                    prefix=prefix,
                    server_side_encryption=sse,
                )
            else:
                store = LocalFolderStore(Path(data_dir) / "private")
            _current = (config, store)
        return _current[1]
