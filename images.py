"""The one image pipeline every upload goes through (report photos, disclosure attachments, cadre photos).

Pillow verifies the file, decodes it at a reduced scale, turns it upright by its EXIF orientation, shrinks
it, copies only the pixels into a brand-new RGB image (transparency on white) and writes a plain JPEG:
no EXIF, GPS, XMP, ICC profile or comment survives. Callers turn the two errors into their own messages.
"""
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")  # JPEG includes the MPO files some phone cameras write
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc")


class ImageRefused(Exception):
    """The pipeline will not take this file; the caller says why in its own words."""


class UnreadableImage(ImageRefused):
    """Pillow cannot verify or decode the file."""


class TooManyPixels(ImageRefused):
    """More pixels than the caller takes: a decompression bomb or a scan nobody can use."""


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
    """Verify, re-encode and shrink one upload; below `max_bytes` by stepping the quality down."""
    try:
        with Image.open(io.BytesIO(raw), formats=formats) as probe:
            if probe.width * probe.height > max_pixels:
                raise TooManyPixels()
            probe.verify()
        image = Image.open(io.BytesIO(raw), formats=formats)
        image.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale, much faster
        image.load()
        ImageOps.exif_transpose(image, in_place=True)  # upright, without copying the pixels again
        image.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=2.0)
        pixels = _flatten(image)
    except TooManyPixels:
        raise
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
