"""Posters: every generated poster decodes (zxing-cpp) to the code's URL; Chinese glyphs are checked."""
import io
import re

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from citizen.codes import posters, qrcodes
from citizen.codes.models import QrCode


def _decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def _pdf_pages(data: bytes) -> list[Image.Image]:
    """The page images of a Pillow-written PDF (each page is one JPEG stream)."""
    pages = []
    for match in re.finditer(rb"/DCTDecode.*?stream\r?\n", data, re.S):
        start = match.end()
        end = data.index(b"endstream", start)
        pages.append(Image.open(io.BytesIO(data[start:end])))
    return pages


def test_png_poster_decodes_to_code_url(app, hexi, session):
    row = session.execute(sa.select(QrCode).where(QrCode.label == "河西村村委会公开栏")).scalar_one()
    with app.test_request_context():
        data = posters.poster_png(row)
        url = qrcodes.public_url(row)
    image = Image.open(io.BytesIO(data))
    assert image.size == posters.A4 and round(image.info["dpi"][0]) == 300
    assert _decode(image) == [url] and url == f"http://testserver.local/q/{row.code}"


def test_village_pdf_has_one_decodable_page_per_code(app, hexi, session):
    rows = session.execute(qrcodes.village_codes(hexi)).scalars().all()
    with app.test_request_context():
        data = posters.poster_pdf(rows)
        urls = [qrcodes.public_url(r) for r in rows]
    pages = _pdf_pages(data)
    assert len(pages) == len(rows) >= 5
    assert [_decode(page) for page in pages] == [[u] for u in urls]


def test_poster_download_for_staff_decodes(client, login_as, session, people):
    row = session.execute(sa.select(QrCode).where(QrCode.label == "河西早餐店收银台")).scalar_one()
    login_as(people["township"])
    png = client.get(f"/staff/codes/{row.code}/poster.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert _decode(Image.open(io.BytesIO(png.data))) == [f"http://testserver.local/q/{row.code}"]
    pdf = client.get(f"/api/v1/codes/{row.code}/poster.pdf")
    assert pdf.status_code == 200 and [_decode(p) for p in _pdf_pages(pdf.data)] == [[f"http://testserver.local/q/{row.code}"]]


def test_villager_cannot_download_posters(client, login_as, session, people):
    row = session.execute(sa.select(QrCode).limit(1)).scalar_one()
    login_as(people["villager"])
    assert client.get(f"/staff/codes/{row.code}/poster.png").status_code == 404


def test_every_fixed_string_and_demo_name_is_in_the_font(app, demo, cadres):
    from points.models import Shop
    from extensions import db

    shops = [s.name for s in db.session.execute(sa.select(Shop)).scalars()]
    with app.app_context():
        posters.check_glyphs(*posters.INSTRUCTIONS, *qrcodes.KIND_NAMES.values(), "码上监督 张贴位置：编号",
                             *(v.name for v in demo.villages.values()), demo.township.name, *cadres, *shops)


def test_missing_glyph_is_a_clear_error(app):
    with app.app_context(), pytest.raises(posters.FontMissing) as err:
        posters.check_glyphs("河西村\U000e0100\U0010fffd")
    assert "海报字体缺少这些字" in err.value.message


def test_missing_font_file_is_a_clear_error(app):
    app.config["POSTER_FONT"] = "/nonexistent/font.ttc"
    try:
        with app.app_context(), pytest.raises(posters.FontMissing) as err:
            posters.check_glyphs("河西村")
        assert "fonts-noto-cjk" in err.value.message
    finally:
        app.config.pop("POSTER_FONT")
