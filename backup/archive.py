"""One backup file: a tar archive of the database snapshot, every uploaded file and a manifest.

The database is snapshotted first and the files copied after it, so every file a saved row points
to is in the archive (a photo saved meanwhile may come along without its row, which harms nothing).
Restore refuses anything but an empty install, then checks every table's row count and every
file's checksum against the manifest.
"""
import hashlib
import hmac
import io
import json
import os
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from backup.database import BackupError, dialect, dump_to, is_empty, restore_from, table_counts

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads/"
KEY_WARNING = ("注意：查询码和登录凭证都依赖 SECRET_KEY。恢复时必须使用同一个 SECRET_KEY，"
               "否则村民手里的查询码全部失效、无法再查进展。请把 SECRET_KEY 另外妥善保管，不要和备份文件放在一起。")


def key_fingerprint() -> str:
    """A short fingerprint that tells whether two installs share a SECRET_KEY, and reveals nothing of it."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"backup-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def _upload_files(root: Path) -> list[Path]:
    """Every finished file under the upload folder (half-written `.part` files are left out)."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.name.endswith(".part"))


def _sha256(path: Path) -> str:
    """Checksum of one file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_backup(path: str | os.PathLike) -> dict:
    """Write a backup of the whole install to `path` (a new file); return its manifest."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} 已存在：请换一个新文件名，备份不会覆盖已有文件。")
    target.parent.mkdir(parents=True, exist_ok=True)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    with tempfile.TemporaryDirectory() as work:
        snapshot = Path(work) / "database"
        member = dump_to(snapshot)
        counts = table_counts()
        files = [{"path": file.relative_to(uploads).as_posix(), "size": file.stat().st_size, "sha256": _sha256(file)}
                 for file in _upload_files(uploads)]
        manifest = {"format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(), "database": dialect(),
                    "member": member, "tables": counts, "files": files, "secret_key": key_fingerprint()}
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(snapshot, arcname=member)
            for entry in files:
                archive.add(uploads / entry["path"], arcname=UPLOADS + entry["path"])
        os.replace(partial, target)
    return manifest


def read_manifest(archive: tarfile.TarFile) -> dict:
    """The manifest of an archive, or a clear refusal if this is not one of our backups."""
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise BackupError("这不是本系统的备份文件（找不到 manifest.json）。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不认识：请用做备份的同一版本程序恢复。")
    return manifest


def restore_backup(path: str | os.PathLike) -> dict:
    """Restore a backup into this empty install (database and upload folder); return its manifest."""
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if not is_empty():
        raise BackupError("当前数据库不是空的：恢复只能在全新安装上进行。请把 DATABASE_URL 指向一个新建的空数据库后再恢复。")
    if _upload_files(uploads):
        raise BackupError(f"上传文件夹 {uploads} 不是空的：请换一个空文件夹（UPLOAD_DIR）后再恢复。")
    try:
        archive = tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError):
        raise BackupError(f"打不开备份文件 {path}：文件不存在或已损坏。") from None
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        archive.extract(manifest["member"], work, filter="data")
        restore_from(Path(work) / manifest["member"], manifest["member"])
        for entry in manifest["files"]:
            _restore_file(archive, entry, uploads)
    restored = table_counts()
    if restored != manifest["tables"]:
        differ = sorted(name for name in set(restored) | set(manifest["tables"])
                        if restored.get(name) != manifest["tables"].get(name))
        raise BackupError(f"恢复后这些表的行数与备份不符：{'、'.join(differ)}。备份文件可能已损坏。")
    return manifest


def _restore_file(archive: tarfile.TarFile, entry: dict, uploads: Path) -> None:
    """Write one uploaded file back, refusing any path outside the upload folder or a wrong checksum."""
    destination = (uploads / entry["path"]).resolve()
    if not destination.is_relative_to(uploads.resolve()):
        raise BackupError(f"备份里的文件路径不安全：{entry['path']}")
    source = archive.extractfile(UPLOADS + entry["path"])
    if source is None:
        raise BackupError(f"备份里缺少文件：{entry['path']}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    data = source.read()
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise BackupError(f"备份里的文件已损坏（校验和不符）：{entry['path']}")
    destination.write_bytes(data)
