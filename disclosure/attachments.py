"""Attachments of a disclosure: images through the one pipeline (images.py), PDFs rebuilt from their pages alone;
files in the one upload store (storage.py), published when the request commits."""
import io
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

import images
from disclosure.importing import TooLarge, UnsupportedFile
from disclosure.models import Attachment, Disclosure, Revision
from disclosure.publishing import editable_draft
from errors import DomainError, Invalid, NotFound
from extensions import db
from storage import Batch

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000
MAX_PER_REVISION = 10
MAX_PIXELS = 40_000_000
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MAX_PDF_PAGES = 300


class ImagesBusy(DomainError):
    """Every image-decoding slot of this process stayed busy: nothing was saved."""

    status = 503
    code = "busy"
    message = "现在同时处理的图片太多，这次没有保存，请过一会儿再上传。"


def _is_webp(data: bytes) -> bool:
    """RIFF....WEBP."""
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def clean_image(data: bytes, max_side: int = MAX_SIDE) -> bytes:
    """An image through the one pipeline (images.py): upright, shrunk, a new JPEG from the pixels alone."""
    try:
        return images.clean_image(data, max_side=max_side, max_pixels=MAX_PIXELS, formats=FORMATS, quality=85).data
    except images.TooManyPixels:
        raise TooLarge("图片像素太多，请缩小后再上传（JPG照片最多4000万像素，PNG等其他格式最多1600万像素）。") from None
    except images.DecoderBusy:
        raise ImagesBusy() from None
    except images.UnreadableImage:
        raise UnsupportedFile("图片打不开，可能已损坏，请换一张。", code="bad_image") from None


def clean_pdf(data: bytes) -> bytes:
    """A new PDF holding only the pages: no author, creator, producer, dates, XMP, attachments or scripts.

    Exported contracts and statements carry who wrote them and with what; a published copy must not.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnsupportedFile("PDF 文件加了密码，请去掉密码后再上传。", code="encrypted_pdf")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnsupportedFile(f"PDF 最多{MAX_PDF_PAGES}页，请分成几个文件上传。", code="too_many_pages")
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Metadata", "/PieceInfo"):
                if key in page:
                    del page[key]
            writer.add_page(page)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except UnsupportedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise UnsupportedFile("PDF 文件打不开，可能已损坏，请重新导出后再上传。", code="bad_pdf") from None
    return out.getvalue()


def store_image(data: bytes, max_side: int, batch: Batch) -> str:
    """Clean an uploaded image and stage it in `batch`; return its storage key."""
    if not data:
        raise UnsupportedFile("文件是空的。", code="empty_file")
    if len(data) > MAX_BYTES:
        raise TooLarge("图片不能超过10MB。")
    if not (data.startswith(IMAGE_MAGIC) or _is_webp(data)):
        raise UnsupportedFile("只能上传图片（jpg、png）。", code="wrong_type")
    return batch.stage(clean_image(data, max_side))


def add_attachment(disclosure: Disclosure, actor, filename: str, data: bytes, batch: Batch) -> Attachment:
    """Attach an image or a PDF to the draft, its file staged in `batch` (the caller publishes it and commits)."""
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
        kind, body, suffix = "pdf", clean_pdf(data), ".pdf"
    elif data.startswith(IMAGE_MAGIC) or _is_webp(data):
        kind, body, suffix = "image", clean_image(data), ".jpg"
    else:
        raise UnsupportedFile("附件只能是图片（jpg、png）或 PDF 文件。", code="wrong_type")
    key = batch.stage(body, suffix)
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
