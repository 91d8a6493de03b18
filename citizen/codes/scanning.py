"""扫一扫 without WeChat: a photo of a printed code, read on the server, leads to the page the code names.

Inside WeChat the page asks wx.scanQRCode instead (static/js/wechat.js). The photo goes through the one
image pipeline (bounded pixels and decoders) and is never stored; only a code of this site is followed.
"""
import io
import urllib.parse

import zxingcpp
from flask import current_app
from PIL import Image

from errors import DomainError, Invalid
from images import DecoderBusy, ImageRefused, clean_image

MAX_SIDE = 1600  # enough for a code that fills a fifth of the photo
MAX_PIXELS = 50_000_000


class ScannerBusy(DomainError):
    """Every decoder of this process is busy: try again in a moment."""

    status = 503
    code = "scanner_busy"
    message = "现在识别的人太多，请过一会儿再拍一次。"


def read_codes(raw: bytes) -> list[str]:
    """The texts of every QR code in a photo."""
    try:
        clean = clean_image(raw, max_side=MAX_SIDE, max_pixels=MAX_PIXELS)
    except DecoderBusy:
        raise ScannerBusy() from None
    except ImageRefused:
        raise Invalid("这张照片认不出来，请对准二维码再拍一张。", fields={"photo": ["认不出这张照片。"]}) from None
    with Image.open(io.BytesIO(clean.data)) as image:
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.text]


def own_page(text: str) -> str | None:
    """The path on this site a scanned text names, or None for anything else."""
    base = urllib.parse.urlsplit(current_app.config["BASE_URL"])
    page = urllib.parse.urlsplit(text.strip())
    if (page.scheme, page.netloc) != (base.scheme, base.netloc) or not page.path.startswith("/"):
        return None
    return page.path + (f"?{page.query}" if page.query else "")


def scanned_page(raw: bytes) -> str:
    """Where the photo's code leads on this site; a clear message when there is none or it is someone else's."""
    texts = read_codes(raw)
    if not texts:
        raise Invalid("照片里没有找到二维码，请把二维码放在中间、拍清楚一点再试。", fields={"photo": ["没有找到二维码。"]})
    for text in texts:
        path = own_page(text)
        if path:
            return path
    raise Invalid("这不是本站的二维码，请不要随便扫来路不明的码。", fields={"photo": ["不是本站的二维码。"]})
