"""The one image pipeline every upload goes through (report photos, disclosure attachments, cadre photos).

Pillow verifies the file, decodes it at a reduced scale, turns it upright by its EXIF orientation, shrinks
it, copies only the pixels into a brand-new RGB image (transparency on white) and writes a plain JPEG:
no EXIF, GPS, XMP, ICC profile or comment survives. Callers turn the two errors into their own messages.
"""
import io
import threading
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")  # JPEG includes the MPO files some phone cameras write
# Only JPEG can be decoded at a reduced scale; a PNG or WebP is decoded whole (4 bytes a pixel, and copies),
# so they get a smaller pixel budget: 16 MP is more than any phone screenshot, and under 200 MB to decode.
FULL_DECODE_MAX_PIXELS = 16_000_000
# At most this many images are decoded at once in one process; the others wait, then give up (busy).
CONCURRENT_DECODES = 2
DECODE_WAIT_SECONDS = 20
_decoding = threading.BoundedSemaphore(CONCURRENT_DECODES)
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc")


class ImageRefused(Exception):
    """The pipeline will not take this file; the caller says why in its own words."""


class UnreadableImage(ImageRefused):
    """Pillow cannot verify or decode the file."""


class TooManyPixels(ImageRefused):
    """More pixels than the caller takes: a decompression bomb or a scan nobody can use."""


class DecoderBusy(ImageRefused):
    """Every decoding slot of this process stayed taken for DECODE_WAIT_SECONDS."""


@dataclass
class CleanImage:
    """A re-encoded image (and its thumbnail when asked for), JPEG without any metadata."""

    data: bytes
    thumb: bytes | None
    width: int
    height: int


def is_heic(raw: bytes) -> bool:
    """An iPhone HEIC/HEIF file, which Pillow cannot read."""
    return raw[4:8] == b"ftyp" and raw[8:12] in HEIC_BRANDS


def clean_image(raw: bytes, *, max_side: int, max_pixels: int, formats: tuple[str, ...] = FORMATS,
                quality: int = 82, max_bytes: int | None = None, thumb_side: int | None = None) -> CleanImage:
    """Verify, re-encode and shrink one upload; below `max_bytes` by stepping the quality down.

    Memory is bounded twice: by pixels before anything is decoded (fewer for formats decoded whole),
    and by how many images one process decodes at a time.
    """
    try:
        with Image.open(io.BytesIO(raw), formats=formats) as probe:
            budget = max_pixels if probe.format in ("JPEG", "MPO") else min(max_pixels, FULL_DECODE_MAX_PIXELS)
            if probe.width * probe.height > budget:
                raise TooManyPixels()
            probe.verify()
    except TooManyPixels:
        raise
    except Image.DecompressionBombError:
        raise TooManyPixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UnreadableImage() from None
    if not _decoding.acquire(timeout=DECODE_WAIT_SECONDS):
        raise DecoderBusy()
    try:
        return _clean(raw, max_side=max_side, formats=formats, quality=quality, max_bytes=max_bytes,
                      thumb_side=thumb_side)
    finally:
        _decoding.release()


def _clean(raw: bytes, *, max_side: int, formats: tuple[str, ...], quality: int, max_bytes: int | None,
           thumb_side: int | None) -> CleanImage:
    """Decode (at a reduced scale where the format allows), turn upright, shrink, re-encode."""
    try:
        image = Image.open(io.BytesIO(raw), formats=formats)
        image.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale, much faster
        image.load()
        ImageOps.exif_transpose(image, in_place=True)  # upright, without copying the pixels again
        image.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=2.0)
        pixels = _flatten(image)
    except Image.DecompressionBombError:
        raise TooManyPixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UnreadableImage() from None
    data = _jpeg(pixels, quality)
    for lower in (70, 60, 50):  # noisy night shots compress badly: keep every stored image small
        if max_bytes is None or len(data) <= max_bytes:
            break
        data = _jpeg(pixels, lower)
    thumb = None
    if thumb_side:
        small = pixels.copy()
        small.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
        thumb = _jpeg(small, 75)
    return CleanImage(data=data, thumb=thumb, width=pixels.width, height=pixels.height)


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
