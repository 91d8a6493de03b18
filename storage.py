"""Where every upload lives (report photos, disclosure attachments, cadre photos): one small interface over
a local folder, or over an S3-compatible object store when `UPLOAD_STORE=s3://bucket/prefix` (s3store.py).

Files are written under a temporary name first and moved into place just before the database commit;
a batch that fails removes every file it wrote, so no half report and no orphan file remain.
"""
import logging
import os
import secrets
import time
from pathlib import Path

from flask import Flask, current_app

import clock
from extensions import db

log = logging.getLogger(__name__)
ORPHAN_AGE_SECONDS = 3600  # a .part file this old belongs to no request still running


class LocalStore:
    """Files in a folder outside static/, under random names; `fanout` spreads them over 256 sub-folders."""

    def __init__(self, root: str | os.PathLike, fanout: bool = True):
        self.root = Path(root)
        self.fanout = fanout

    def path(self, key: str) -> Path:
        """Absolute path of a stored key (keys are our own random names, checked anyway)."""
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("bad storage key")
        return self.root / key[:2] / key if self.fanout else self.root / key

    def stage(self, data: bytes, suffix: str = ".jpg") -> str:
        """Write bytes under a temporary name; return the key they will have once published."""
        key = secrets.token_hex(16) + suffix
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(final.name + ".part")
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return key

    def publish(self, key: str) -> None:
        """Move a staged file into place (atomic on one filesystem), its times kept only to the minute.

        A file's times could otherwise date an anonymous report to the second (docs/SECURITY.md).
        """
        final = self.path(key)
        os.replace(final.with_name(final.name + ".part"), final)
        minute = clock.to_minute(clock.now()).timestamp()
        for path in (final, final.parent):
            os.utime(path, (minute, minute))

    def discard(self, key: str) -> None:
        """Remove a key's file, staged or published."""
        final = self.path(key)
        for candidate in (final, final.with_name(final.name + ".part")):
            try:
                candidate.unlink()
            except FileNotFoundError:
                pass

    def read(self, key: str) -> bytes:
        """A published file's bytes (FileNotFoundError if missing)."""
        return self.path(key).read_bytes()

    def exists(self, key: str) -> bool:
        """Whether a published file is there."""
        return self.path(key).exists()


def remove_orphans(root: str | os.PathLike, older_than: float = ORPHAN_AGE_SECONDS) -> int:
    """Delete half-written `.part` files that no request can still publish (a worker killed mid-upload)."""
    cutoff, removed = time.time() - older_than, 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            if name.endswith(".part") and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def init_app(app: Flask) -> None:
    """At start: clear what a crash left half-written in the upload folder (an object store: see remove_staged)."""
    if app.config.get("UPLOAD_STORE", "").startswith("s3://"):
        return  # no network call while the app is built; the daily purge clears staged objects
    removed = remove_orphans(app.config["UPLOAD_DIR"])
    if removed:
        log.info("removed %d half-written upload(s) left by an earlier crash", removed)


def _object_store(prefix: str):
    """The configured S3-compatible store for one kind of file, or None when uploads live in UPLOAD_DIR."""
    location = current_app.config.get("UPLOAD_STORE", "")
    if not location.startswith("s3://"):
        return None
    import s3store

    bucket, base = s3store.parse_location(location)
    client = s3store.client_for(current_app.config.get("S3_ENDPOINT_URL"), current_app.config.get("S3_REGION"))
    return s3store.S3Store(client, bucket, base + prefix)


def photo_store():
    """The store of report photos: the upload folder itself, or `photos/` in the object store."""
    return _object_store("photos/") or LocalStore(current_app.config["UPLOAD_DIR"])


def disclosure_store():
    """The store of disclosure attachments and cadre photos (a flat folder, as installs already have it)."""
    return _object_store("disclosure/") or LocalStore(Path(current_app.config["UPLOAD_DIR"]) / "disclosure",
                                                      fanout=False)


def remove_staged() -> int:
    """Clear uploads of requests that died before committing, in whichever store is configured (daily)."""
    stores = [store for store in (photo_store(), disclosure_store()) if hasattr(store, "remove_orphans")]
    if not stores:
        return remove_orphans(current_app.config["UPLOAD_DIR"])
    return sum(store.remove_orphans(ORPHAN_AGE_SECONDS) for store in stores)


class Batch:
    """Files written for one request: publish them all, or discard them all."""

    def __init__(self, store=None):
        self.store = store or photo_store()
        self.keys: list[str] = []

    def stage(self, data: bytes, suffix: str = ".jpg") -> str:
        """Stage one file in this batch."""
        key = self.store.stage(data, suffix)
        self.keys.append(key)
        return key

    def publish(self) -> None:
        """Move every staged file into place."""
        for key in self.keys:
            self.store.publish(key)

    def discard(self) -> None:
        """Remove every file of this batch."""
        for key in self.keys:
            self.store.discard(key)
        self.keys = []


def commit_with(batch: Batch | None) -> None:
    """Publish the batch's files, then commit; if either fails, remove the files, roll back and re-raise."""
    try:
        if batch is not None:
            batch.publish()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if batch is not None:
            batch.discard()
        raise
