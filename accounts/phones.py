"""Mainland mobile numbers, normalised to 11 digits."""
import re

from errors import Invalid

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw: str | None) -> str:
    """Strip spaces, dashes and a +86/0086 prefix; raise Invalid unless 11 digits of a mobile number remain."""
    text = re.sub(r"[\s\-()（）]", "", str(raw or ""))
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix):]
    if not _MOBILE.match(text):
        raise Invalid("手机号格式不对，请输入11位手机号，例如 13900000001。",
                      fields={"phone": ["请输入11位手机号。"]})
    return text


def mask_phone(phone: str) -> str:
    """Show 139****0001 instead of the whole number."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else "****"
