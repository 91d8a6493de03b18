"""Where every upload lives (report photos, disclosure attachments, cadre photos): one small interface over
a local folder, which an S3-style store can replace.

Files are written under a temporary name first and moved into place just before the database commit;
a batch that fails removes every file it wrote, so no half report and no orphan file remain.
"""
import os
import secrets
from pathlib import Path

from flask import current_app

from extensions import db


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
        """Move a staged file into place (atomic on one filesystem)."""
        final = self.path(key)
        os.replace(final.with_name(final.name + ".part"), final)

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


def photo_store() -> LocalStore:
    """The store of report photos: the upload folder itself."""
    return LocalStore(current_app.config["UPLOAD_DIR"])


def disclosure_store() -> LocalStore:
    """The store of disclosure attachments and cadre photos (a flat folder, as installs already have it)."""
    return LocalStore(Path(current_app.config["UPLOAD_DIR"]) / "disclosure", fanout=False)


class Batch:
    """Files written for one request: publish them all, or discard them all."""

    def __init__(self, store: LocalStore | None = None):
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
