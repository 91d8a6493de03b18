"""Fixtures of the report area: photos with metadata, and filing reports through the real rules."""
import io

import pytest
from PIL import Image


def jpeg_bytes(size=(800, 600), gps=True, comment=True, icc=True, colour=(120, 160, 200), quality=90) -> bytes:
    """A real JPEG carrying EXIF with GPS tags, a comment and an ICC profile (all must be stripped)."""
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # some detail so the encoder has work to do
        image.paste((x % 255, 80, 200 - x % 200), (x, 0, x + 20, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "TestPhoneMaker"  # Make
    exif[0x0110] = "TestPhone X"  # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.5), 3: "E", 4: (121.0, 28.0, 9.25)}
    extra = {}
    if comment:
        extra["comment"] = b"SECRET-COMMENT-xyz"
    if icc:
        extra["icc_profile"] = b"\x00" * 128 + b"FAKE-ICC-PROFILE"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=quality, **extra)
    return out.getvalue()


def png_bytes(size=(300, 200), mode="RGBA") -> bytes:
    """A PNG (transparent by default)."""
    out = io.BytesIO()
    Image.new(mode, size, (10, 20, 30, 128) if mode == "RGBA" else 0).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def cadres(session, demo):
    """The demo cadres by name."""
    import sqlalchemy as sa

    from disclosure.models import Cadre

    return {c.name: c for c in session.execute(sa.select(Cadre)).scalars()}


@pytest.fixture
def file_report(app, session, tmp_path):
    """File a report through the real rule and commit it the way views do; returns the Submission."""
    from citizen.reports.durability import commit_with_files
    from citizen.reports.photos import clean_photo
    from citizen.reports.filing import submit_report
    from storage import Batch
    from citizen.reports.tracking import new_form_token

    def _file(village, content="村里的路灯坏了好几天了，晚上走路看不见。", user=None, photos=(), token=None, **data):
        values = {"category": "其他", "content": content, "anonymous": user is None, "allow_public": False,
                  "subject": None, "cadre_id": None}
        values.update(data)
        batch = Batch()
        with app.test_request_context():
            cleaned = [clean_photo(p) for p in photos]
            submission = submit_report(village, values, cleaned, batch, user, token or new_form_token())
            commit_with_files(batch)
        return submission

    return _file


def form_token(client, slug="hexi") -> str:
    """The one-time token of a freshly rendered report form."""
    import re

    page = client.get(f"/v/{slug}/report")
    return re.search(r'name="form_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def shown_code(client, response) -> str | None:
    """Follow the PRG redirect and read the tracking code shown once."""
    return code_on_page(client.get(response.headers["Location"]).get_data(as_text=True))


def code_on_page(html: str) -> str | None:
    """The tracking code in the page's #tracking-code element, without its group markup."""
    import re

    match = re.search(r'id="tracking-code">(.*?)</p>', html)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else None


_BOMB: list[bytes] = []


def bomb_png() -> bytes:
    """A 20,000×20,000 PNG that compresses to a few kilobytes (made once per run)."""
    if not _BOMB:
        out = io.BytesIO()
        Image.new("1", (20000, 20000)).save(out, "PNG")
        _BOMB.append(out.getvalue())
    return _BOMB[0]
