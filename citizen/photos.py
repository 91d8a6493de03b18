"""Photos villagers send: verified, re-encoded from pixels only (no EXIF, GPS, XMP, ICC, comments), downscaled."""
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from errors import DomainError, Invalid

MAX_PHOTOS = 6
MAX_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 4000×3000 phone photo is 12 MP; more is a bomb or a scan we cannot use
MAX_SIDE = 1600
THUMB_SIDE = 400
FORMATS = ("JPEG", "PNG", "WEBP", "MPO")  # MPO: JPEGs from some phone cameras


class TooLarge(DomainError):
    """Upload over the byte limits."""

    status = 413
    code = "too_large"
    message = "照片太大了：每张不超过10MB，合计不超过40MB。"


@dataclass
class CleanPhoto:
    """A re-encoded photo and its thumbnail, both JPEG without any metadata."""

    data: bytes
    thumb: bytes
    width: int
    height: int


def check_sizes(sizes: list[int]) -> None:
    """Refuse too many photos or too many bytes before any decoding."""
    if len(sizes) > MAX_PHOTOS:
        raise Invalid(f"最多上传{MAX_PHOTOS}张照片。", fields={"photos": [f"最多{MAX_PHOTOS}张。"]})
    if any(size > MAX_BYTES for size in sizes):
        raise TooLarge("有照片超过10MB，请换一张或用微信压缩后再传。")
    if sum(sizes) > MAX_TOTAL_BYTES:
        raise TooLarge("照片合计超过40MB，请少传几张。")


def clean_photo(raw: bytes, number: int = 1) -> CleanPhoto:
    """Verify, re-encode and shrink one upload; refuse anything Pillow cannot verify."""
    bad = Invalid(f"第{number}张照片打不开：请上传手机拍的照片（JPG、PNG、WebP）。",
                  fields={"photos": [f"第{number}张不是能识别的照片。"]})
    try:
        with Image.open(io.BytesIO(raw), formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid(f"第{number}张照片像素太多，请换一张普通照片。", fields={"photos": ["像素太多。"]})
            probe.verify()
        image = Image.open(io.BytesIO(raw), formats=FORMATS)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, much faster
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        pixels = _flatten(image)
    except Invalid:
        raise
    except Image.DecompressionBombError:
        raise Invalid(f"第{number}张照片像素太多，请换一张普通照片。", fields={"photos": ["像素太多。"]}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise bad from None
    thumb = pixels.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return CleanPhoto(data=_jpeg(pixels, 82), thumb=_jpeg(thumb, 75), width=pixels.width, height=pixels.height)


def _flatten(image: Image.Image) -> Image.Image:
    """A brand-new RGB image holding only the pixels (transparency on white): nothing else survives."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    return Image.frombytes("RGB", image.size, image.tobytes())


def _jpeg(image: Image.Image, quality: int) -> bytes:
    """Save as a plain JPEG with no metadata blocks at all."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=False)
    return out.getvalue()
