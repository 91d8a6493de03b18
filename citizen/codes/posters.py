"""A4 posters (300 dpi) for printed codes, drawn with Pillow and a CJK font from Debian's fonts-noto-cjk.

Pillow has no font fallback: every string is checked against the font's character map first, and a
missing glyph stops with a clear message instead of printing empty boxes.
"""
import io
from functools import lru_cache

import qrcode
from flask import current_app
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_Q

from citizen.codes.models import QrCode
from citizen.codes.qrcodes import KIND_NAMES, public_url
from errors import DomainError

A4 = (2480, 3508)  # 210 × 297 mm at 300 dpi
DPI = 300
FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_INDEX = 2  # the Simplified Chinese face of the collection
INSTRUCTIONS = ("微信扫一扫", "查看三务公开 · 一键监督 · 赚积分", "反映问题可匿名，查询码请收好")


class FontMissing(DomainError):
    """The poster font cannot draw some characters (or is not installed)."""

    status = 422
    code = "poster_font_missing"


def _font_paths() -> tuple[str, str, int]:
    """Regular and bold font files and face index (config POSTER_FONT / POSTER_FONT_BOLD override)."""
    config = current_app.config
    return (config.get("POSTER_FONT", FONT_REGULAR), config.get("POSTER_FONT_BOLD", FONT_BOLD),
            int(config.get("POSTER_FONT_INDEX", FONT_INDEX)))


@lru_cache(maxsize=8)
def _charmap(path: str, index: int) -> frozenset[int]:
    """Code points the font can draw."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=index, lazy=True)
    except (OSError, ValueError) as exc:
        raise FontMissing(f"海报字体文件不可用（{path}）：请安装 Debian 软件包 fonts-noto-cjk。",
                          code="poster_font_unavailable") from exc
    return frozenset(font.getBestCmap())


@lru_cache(maxsize=32)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    """A loaded font at a pixel size (cached: loading a CJK collection is slow)."""
    return ImageFont.truetype(path, size, index=index)


def check_glyphs(*texts: str) -> None:
    """Raise FontMissing naming every character the poster fonts cannot draw."""
    regular, bold, index = _font_paths()
    both = _charmap(regular, index) & _charmap(bold, index)
    missing = sorted({ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in both})
    if missing:
        raise FontMissing(f"海报字体缺少这些字：{''.join(missing)}。请改用常用字，或安装更全的字体后再打印。")


def qr_image(url: str, box: int) -> Image.Image:
    """The QR code (error correction Q, 4-module quiet zone kept) scaled to about `box` pixels."""
    maker = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4, box_size=1)
    maker.add_data(url)
    maker.make(fit=True)
    modules = maker.get_matrix()
    scale = max(1, box // len(modules))
    image = maker.make_image(fill_color="black", back_color="white").get_image().convert("L")
    return image.resize((len(modules) * scale,) * 2, Image.Resampling.NEAREST)


def poster_image(row: QrCode) -> Image.Image:
    """One A4 poster as a grayscale image: title, QR code, instructions, label, short code."""
    village = row.village
    title = f"{village.name} 码上监督"
    subtitle = f"{village.township.name} · {KIND_NAMES.get(row.kind, '')}"
    label = f"张贴位置：{row.label}"
    code_line = f"编号 {row.code}"
    url = public_url(row)
    check_glyphs(title, subtitle, label, code_line, url, *INSTRUCTIONS)
    regular, bold, index = _font_paths()
    page = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(page)
    width = A4[0]
    draw.rectangle((0, 0, width, 520), fill=0)
    _centered(draw, 70, title, _fit(bold, index, title, 200, width - 240), fill=255)
    _centered(draw, 380, subtitle, _font(regular, index, 80), fill=255)
    code_image = qr_image(url, 1500)
    page.paste(code_image, ((width - code_image.width) // 2, 600))
    y = 600 + code_image.height + 60
    for number, line in enumerate(INSTRUCTIONS):
        font = _font(bold if number == 0 else regular, index, 120 if number == 0 else 96)
        _centered(draw, y, line, _fit(bold if number == 0 else regular, index, line, font.size, width - 200))
        y += font.size + 50
    draw.line((200, y + 10, width - 200, y + 10), fill=0, width=6)
    _centered(draw, y + 60, label, _fit(bold, index, label, 100, width - 200))
    _centered(draw, y + 220, code_line, _font(regular, index, 90))
    _centered(draw, y + 340, url, _fit(regular, index, url, 60, width - 200), fill=60)
    return page


def _fit(path: str, index: int, text: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` whose rendering of `text` fits `max_width`."""
    font = _font(path, index, size)
    while size > 30 and font.getlength(text) > max_width:
        size = int(size * 0.9)
        font = _font(path, index, size)
    return font


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont, fill: int = 0) -> None:
    """Draw one line centred horizontally at height y."""
    x = (A4[0] - font.getlength(text)) / 2
    draw.text((x, y), text, font=font, fill=fill)


def poster_png(row: QrCode) -> bytes:
    """The poster as a 300 dpi PNG."""
    out = io.BytesIO()
    poster_image(row).save(out, "PNG", dpi=(DPI, DPI), optimize=False, compress_level=6)
    return out.getvalue()


def poster_pdf(rows: list[QrCode]) -> bytes:
    """One or many posters as an A4 PDF, one page each."""
    if not rows:
        raise DomainError("没有可打印的二维码。", code="nothing_to_print")
    pages = [poster_image(row) for row in rows]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:], quality=90,
                  title="码上监督 二维码海报")
    return out.getvalue()
