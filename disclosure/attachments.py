"""Attachments of a disclosure: images re-encoded from pixels only (no EXIF, GPS, comments), PDFs checked by magic."""
import io
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from PIL import Image

from disclosure.importing import TooLarge, UnsupportedFile
from disclosure.models import Attachment, Disclosure, Revision
from disclosure.publishing import editable_draft
from errors import Invalid, NotFound
from extensions import db

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000
MAX_PER_REVISION = 10
MAX_PIXELS = 40_000_000
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def _is_webp(data: bytes) -> bool:
    """RIFF....WEBP."""
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def storage_path(key: str) -> Path:
    """Where an attachment's bytes live, outside static/."""
    return Path(current_app.config["UPLOAD_DIR"]) / "disclosure" / key


def clean_image(data: bytes, max_side: int = MAX_SIDE) -> bytes:
    """Decode, downscale, and write a new JPEG from pixel data alone, so no metadata can survive."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.size[0] * probe.size[1] > MAX_PIXELS:
                raise TooLarge("图片像素太多（超过4000万），请缩小后再上传。")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max_side, max_side))
            rgb = image.convert("RGB")
    except TooLarge:
        raise
    except Exception:  # Pillow reports damaged files with many exception types; all mean "unreadable"
        raise UnsupportedFile("图片打不开，可能已损坏，请换一张。", code="bad_image") from None
    rgb.thumbnail((max_side, max_side))
    bare = Image.new("RGB", rgb.size)
    bare.paste(rgb)
    out = io.BytesIO()
    bare.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def store_image(data: bytes, max_side: int) -> str:
    """Clean an uploaded image and store it; return its storage key."""
    if not data:
        raise UnsupportedFile("文件是空的。", code="empty_file")
    if len(data) > MAX_BYTES:
        raise TooLarge("图片不能超过10MB。")
    if not (data.startswith(IMAGE_MAGIC) or _is_webp(data)):
        raise UnsupportedFile("只能上传图片（jpg、png）。", code="wrong_type")
    key = secrets.token_hex(16) + ".jpg"
    path = storage_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(clean_image(data, max_side))
    return key


def add_attachment(disclosure: Disclosure, actor, filename: str, data: bytes) -> Attachment:
    """Attach an image or a PDF to the draft."""
    draft = editable_draft(disclosure)
    if not data:
        raise UnsupportedFile("文件是空的。", code="empty_file")
    if len(data) > MAX_BYTES:
        raise TooLarge("附件不能超过10MB。")
    count = db.session.execute(sa.select(sa.func.count(Attachment.id))
                               .where(Attachment.revision_id == draft.id)).scalar_one()
    if count >= MAX_PER_REVISION:
        raise Invalid(f"每条公开最多{MAX_PER_REVISION}个附件。", fields={"file": ["附件太多。"]})
    name = Path(filename or "附件").stem[:60] or "附件"
    if data.startswith(b"%PDF-"):
        kind, body, suffix = "pdf", data, ".pdf"
    elif data.startswith(IMAGE_MAGIC) or _is_webp(data):
        kind, body, suffix = "image", clean_image(data), ".jpg"
    else:
        raise UnsupportedFile("附件只能是图片（jpg、png）或 PDF 文件。", code="wrong_type")
    key = secrets.token_hex(16) + suffix
    path = storage_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    attachment = Attachment(revision_id=draft.id, kind=kind, name=name + suffix, storage_key=key, size_bytes=len(body))
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(disclosure: Disclosure, actor, attachment_id: int) -> None:
    """Take an attachment off the draft (its file stays if a published revision shares it)."""
    draft = editable_draft(disclosure)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.revision_id != draft.id:
        raise NotFound("草稿里没有这个附件。")
    db.session.delete(attachment)
    db.session.flush()


def attachments_of(revision: Revision) -> list[dict]:
    """A revision's attachments ready to show."""
    return [{"id": a.id, "kind": a.kind, "name": a.name, "kb": max(1, a.size_bytes // 1024)}
            for a in revision.attachments]
