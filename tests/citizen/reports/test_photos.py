"""Photos lose every bit of metadata, are downscaled, and bad files are refused with a clear message."""
import io

import pytest
from PIL import Image

from citizen.reports.photos import MAX_SIDE, THUMB_SIDE, TooLarge, check_sizes, clean_photo
from errors import Invalid
from tests.citizen.conftest import bomb_png, jpeg_bytes, png_bytes


def _markers(data: bytes) -> set[str]:
    """JPEG segment markers present in the file (APP1 = EXIF/XMP, APP2 = ICC, COM = comment)."""
    found, pos = set(), 2
    while pos < len(data) - 4 and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:
            break
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        found.add({0xE1: "APP1", 0xE2: "APP2", 0xFE: "COM", 0xED: "APP13"}.get(marker, f"{marker:02X}"))
        pos += 2 + length
    return found


def test_cleaned_photo_has_no_exif_gps_icc_or_comment():
    raw = jpeg_bytes()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the input really carries GPS
    photo = clean_photo(raw)
    for data in (photo.data, photo.thumb):
        image = Image.open(io.BytesIO(data))
        assert not image.getexif()
        assert "icc_profile" not in image.info and "comment" not in image.info and "xmp" not in image.info
        assert not _markers(data) & {"APP1", "APP2", "COM", "APP13"}
        assert b"SECRET-COMMENT" not in data and b"TestPhone" not in data and b"FAKE-ICC" not in data


def test_big_photo_is_downscaled_and_thumbnailed():
    photo = clean_photo(jpeg_bytes(size=(4000, 3000), gps=False))
    assert max(photo.width, photo.height) <= MAX_SIDE
    assert max(Image.open(io.BytesIO(photo.thumb)).size) <= THUMB_SIDE
    assert len(photo.data) < 400 * 1024


def test_png_with_transparency_becomes_plain_jpeg():
    photo = clean_photo(png_bytes())
    assert Image.open(io.BytesIO(photo.data)).format == "JPEG"


def test_webp_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(out, "WEBP")
    assert clean_photo(out.getvalue()).width == 50


def test_exe_renamed_jpg_is_refused():
    with pytest.raises(Invalid) as err:
        clean_photo(b"MZ\x90\x00" + b"\x00" * 500, number=2)
    assert "第2张照片打不开" in err.value.message


def test_huge_png_decompression_bomb_is_refused():
    with pytest.raises(Invalid) as err:
        clean_photo(bomb_png())
    assert "像素太多" in err.value.message


def test_truncated_jpeg_is_refused():
    with pytest.raises(Invalid):
        clean_photo(jpeg_bytes()[:300])


@pytest.mark.parametrize("sizes, error", [
    ([1] * 7, Invalid),
    ([10 * 1024 * 1024 + 1], TooLarge),
    ([9 * 1024 * 1024] * 5, TooLarge),
])
def test_size_limits(sizes, error):
    with pytest.raises(error) as err:
        check_sizes(sizes)
    assert err.value.status in (413, 422)


def test_heic_gets_its_own_advice():
    with pytest.raises(Invalid) as err:
        clean_photo(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100)
    assert "HEIC" in err.value.message and "微信" in err.value.message


def test_exif_orientation_is_applied_before_metadata_is_dropped():
    image = Image.new("RGB", (400, 200), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    photo = clean_photo(out.getvalue())
    assert (photo.width, photo.height) == (200, 400)
    assert not Image.open(io.BytesIO(photo.data)).getexif()
