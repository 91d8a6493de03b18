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
MAX_STORED_BYTES = 380 * 1024
FORMATS = ("JPEG", "PNG", "WEBP")  # JPEG includes the MPO files some phone cameras write


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
    if raw[4:8] == b"ftyp" and raw[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        raise Invalid(f"第{number}张是苹果手机的HEIC格式：请在微信里选择照片（会自动转成JPG），"
                      "或把相机设置改为“兼容性最佳”。", fields={"photos": [f"第{number}张是HEIC格式。"]})
    try:
        with Image.open(io.BytesIO(raw), formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid(f"第{number}张照片像素太多，请换一张普通照片。", fields={"photos": ["像素太多。"]})
            probe.verify()
        image = Image.open(io.BytesIO(raw), formats=FORMATS)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, much faster
        image.load()
        ImageOps.exif_transpose(image, in_place=True)  # upright, without copying the pixels again
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BICUBIC, reducing_gap=2.0)
        pixels = _flatten(image)
    except Invalid:
        raise
    except Image.DecompressionBombError:
        raise Invalid(f"第{number}张照片像素太多，请换一张普通照片。", fields={"photos": ["像素太多。"]}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise bad from None
    thumb = pixels.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    data = _jpeg(pixels, 82)
    for quality in (70, 60, 50):  # noisy night shots compress badly: keep every stored photo small
        if len(data) <= MAX_STORED_BYTES:
            break
        data = _jpeg(pixels, quality)
    return CleanPhoto(data=data, thumb=_jpeg(thumb, 75), width=pixels.width, height=pixels.height)


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


def uploaded_photos(files) -> list[CleanPhoto]:
    """Read the non-empty uploads of a multipart field list, check the limits, clean each one."""
    chosen = [f for f in files if f and (f.filename or f.content_length)]
    if len(chosen) > MAX_PHOTOS:
        check_sizes([0] * len(chosen))
    blobs = []
    for upload in chosen:
        data = upload.read(MAX_BYTES + 1)
        blobs.append(data)
        check_sizes([len(b) for b in blobs])
    return [clean_photo(data, number) for number, data in enumerate(blobs, start=1) if data]


def decoded_photos(items) -> list[CleanPhoto]:
    """Photos sent in a JSON body as base64 strings (data: URLs allowed)."""
    import base64
    import binascii

    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise Invalid("照片格式不对：请发送 base64 字符串的列表。", fields={"photos": ["格式不对。"]})
    if len(items) > MAX_PHOTOS:
        check_sizes([0] * len(items))
    blobs = []
    for item in items:
        text = item.split(",", 1)[1] if item.startswith("data:") else item
        if len(text) > (MAX_BYTES * 4) // 3 + 8:
            raise TooLarge("有照片超过10MB，请换一张或压缩后再传。")
        try:
            blobs.append(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            raise Invalid("照片格式不对：不是有效的 base64。", fields={"photos": ["格式不对。"]}) from None
        check_sizes([len(b) for b in blobs])
    return [clean_photo(data, number) for number, data in enumerate(blobs, start=1)]
