"""Attachments: photos lose every bit of metadata, PDFs are checked by their first bytes, drafts stay private."""
import io

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from disclosure.attachments import add_attachment
from disclosure.importing import UnsupportedFile
from disclosure.publishing import current_revision, publish, start_correction
from tests.conftest import examples
from storage import Batch, disclosure_store


def jpeg_with_secrets() -> bytes:
    """A camera-like JPEG: EXIF with GPS, and a comment."""
    image = Image.new("RGB", (3000, 2000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def attach(draft, clerk, name: str, data: bytes):
    """Attach as the clerk's request does: the file staged in a batch, published with the rows."""
    files = Batch(disclosure_store())
    attachment = add_attachment(draft, clerk, name, data, files)
    files.publish()
    return attachment


@pytest.fixture
def draft(hexi, people):
    """A village-affairs draft."""
    from disclosure.publishing import create_disclosure

    return create_disclosure(hexi, people["clerk"], {"category": "affairs", "mode": "adhoc", "title": "公示", "body": "见附件"})


def test_photo_is_reencoded_downscaled_and_stripped(draft, people):
    original = jpeg_with_secrets()
    assert b"secret comment" in original and b"PhoneMaker" in original
    attachment = attach(draft, people["clerk"], "现场.jpg", original)
    stored = disclosure_store().read(attachment.storage_key)
    assert b"secret comment" not in stored and b"PhoneMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 2000 and not image.getexif() and "comment" not in image.info
        assert "icc_profile" not in image.info and "exif" not in image.info


def test_an_encrypted_pdf_is_refused_with_what_to_do(draft, people):
    with pytest.raises(UnsupportedFile) as caught:
        attach(draft, people["clerk"], "加密.pdf", _pdf_with_metadata(password="secret"))
    assert caught.value.code == "encrypted_pdf" and "去掉密码" in caught.value.message


@pytest.mark.parametrize("name, data, code", [
    ("假的.pdf", b"<html><script>alert(1)</script></html>", "wrong_type"),
    ("坏图.jpg", b"\xff\xd8\xff\xe0broken", "bad_image"),
    ("空.pdf", b"", "empty_file"),
    ("坏的.pdf", b"%PDF-1.4\n%not really a pdf", "bad_pdf"),
])
def test_files_that_are_not_what_they_claim_are_refused(draft, name, data, code, people):
    with pytest.raises(UnsupportedFile) as caught:
        attach(draft, people["clerk"], name, data)
    assert caught.value.code == code


def _pdf_with_metadata(pages: int = 2, password: str | None = None) -> bytes:
    """A PDF as an office suite exports it: author, creator, title and an XMP packet naming the writer."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Author": "王书记", "/Creator": "WPS Office", "/Title": "工程合同"})
    xmp = DecodedStreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>Wang-PC</dc:creator></x:xmpmeta>")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_is_stripped_of_its_metadata_and_downloaded_only_once_published(client, draft, login_as, people):
    from pypdf import PdfReader

    pdf = _pdf_with_metadata()
    assert "王书记".encode("utf-16-be") in pdf or b"Wang-PC" in pdf
    attachment = attach(draft, people["clerk"], "合同.pdf", pdf)
    url = f"/d/{draft.id}/files/{attachment.id}"
    assert client.get(url).status_code == 404  # still a draft
    publish(draft, people["clerk"])
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    served = response.data
    assert b"Wang-PC" not in served and b"WPS" not in served and b"/Author" not in served and b"/Producer" not in served
    kept = PdfReader(io.BytesIO(served))
    assert len(kept.pages) == 2 and not kept.metadata and "/Metadata" not in kept.trailer["/Root"]
    assert "合同.pdf" in client.get(f"/d/{draft.id}").get_data(as_text=True)
    assert client.get(f"/d/{draft.id + 1}/files/{attachment.id}").status_code == 404


def test_correction_keeps_the_attachments(draft, people):
    attach(draft, people["clerk"], "图.png", _png())
    publish(draft, people["clerk"])
    correction = start_correction(draft, people["clerk"])
    assert [a.name for a in correction.attachments] == ["图.jpg"]
    publish(draft, people["clerk"], reason="改正文")
    assert len(current_revision(draft).attachments) == 1


def _png() -> bytes:
    """A small PNG."""
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    return out.getvalue()


def test_cadre_photo_is_stripped_and_shown(client, login_as, session, people):
    import sqlalchemy as sa

    from disclosure.models import Cadre

    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    login_as(people["clerk"])
    response = client.post(f"/clerk/cadres/{cadre.id}/photo",
                           data={"file": (io.BytesIO(jpeg_with_secrets()), "照片.jpg")})
    assert response.status_code == 302
    photo = client.get(f"/cadres/{cadre.id}/photo")
    assert photo.status_code == 200 and b"PhoneMaker" not in photo.data
    with Image.open(io.BytesIO(photo.data)) as image:
        assert max(image.size) == 600
    assert f"/cadres/{cadre.id}/photo" in client.get("/v/hexi/cadres").get_data(as_text=True)
    response = client.post(f"/clerk/cadres/{cadre.id}/photo", data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")})
    assert response.status_code == 415


def test_a_refused_cadre_photo_shows_the_cadre_page_again(client, login_as, session, people):
    """Not an image: 415 on the cadre's own page with the reason, the profile still filled in."""
    import sqlalchemy as sa

    from disclosure.models import Cadre

    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    login_as(people["clerk"])
    response = client.post(f"/clerk/cadres/{cadre.id}/photo", data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")})
    page = response.get_data(as_text=True)
    assert response.status_code == 415 and "只能上传图片" in page
    assert 'id="save-cadre"' in page and 'name="name" value="张建国"' in page


@settings(max_examples=examples(60), deadline=None)
@given(st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a"]), st.binary(max_size=600))
def test_broken_images_are_refused_clearly(magic, rest):
    from disclosure.attachments import clean_image
    from disclosure.importing import TooLarge

    try:
        clean_image(magic + rest)
    except UnsupportedFile as exc:
        assert exc.code == "bad_image"
    except TooLarge as exc:  # a header claiming a giant frame is a decompression bomb
        assert "像素太多" in exc.message


def test_huge_pixel_counts_are_refused_before_decoding(draft, people):
    from disclosure.importing import TooLarge

    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # tiny file, 48 million pixels
    with pytest.raises(TooLarge, match="像素太多"):
        attach(draft, people["clerk"], "大图.png", out.getvalue())


def test_attached_photo_is_turned_upright_like_report_photos(draft, people):
    """A phone photo stored sideways with an EXIF orientation comes out upright (the shared pipeline)."""
    image = Image.new("RGB", (400, 200), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    attachment = attach(draft, people["clerk"], "横拍.jpg", out.getvalue())
    with Image.open(io.BytesIO(disclosure_store().read(attachment.storage_key))) as stored:
        assert stored.size == (200, 400) and not stored.getexif()
