"""Photos villagers send: how many and how big, and each through the one image pipeline (images.py)."""
from errors import DomainError, Invalid
from images import CleanImage, TooManyPixels, UnreadableImage, clean_image, is_heic

MAX_PHOTOS = 6
MAX_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 4000×3000 phone photo is 12 MP; more is a bomb or a scan we cannot use
MAX_SIDE = 1600
THUMB_SIDE = 400
MAX_STORED_BYTES = 380 * 1024


class TooLarge(DomainError):
    """Upload over the byte limits."""

    status = 413
    code = "too_large"
    message = "照片太大了：每张不超过10MB，合计不超过40MB。"


CleanPhoto = CleanImage  # a report photo is the shared pipeline's result, thumbnail included


def check_sizes(sizes: list[int]) -> None:
    """Refuse too many photos or too many bytes before any decoding."""
    if len(sizes) > MAX_PHOTOS:
        raise Invalid(f"最多上传{MAX_PHOTOS}张照片。", fields={"photos": [f"最多{MAX_PHOTOS}张。"]})
    if any(size > MAX_BYTES for size in sizes):
        raise TooLarge("有照片超过10MB，请换一张或用微信压缩后再传。")
    if sum(sizes) > MAX_TOTAL_BYTES:
        raise TooLarge("照片合计超过40MB，请少传几张。")


def clean_photo(raw: bytes, number: int = 1) -> CleanPhoto:
    """Verify, re-encode and shrink one upload (images.clean_image); refuse anything Pillow cannot verify."""
    if is_heic(raw):
        raise Invalid(f"第{number}张是苹果手机的HEIC格式：请在微信里选择照片（会自动转成JPG），"
                      "或把相机设置改为“兼容性最佳”。", fields={"photos": [f"第{number}张是HEIC格式。"]})
    try:
        return clean_image(raw, max_side=MAX_SIDE, max_pixels=MAX_PIXELS, max_bytes=MAX_STORED_BYTES,
                           thumb_side=THUMB_SIDE)
    except TooManyPixels:
        raise Invalid(f"第{number}张照片像素太多，请换一张普通照片。", fields={"photos": ["像素太多。"]}) from None
    except UnreadableImage:
        raise Invalid(f"第{number}张照片打不开：请上传手机拍的照片（JPG、PNG、WebP）。",
                      fields={"photos": [f"第{number}张不是能识别的照片。"]}) from None


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
