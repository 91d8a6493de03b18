"""Masking of phone numbers, ID numbers and bank card numbers in text that goes public."""
import re

# Digits next to the match would mean it is part of a longer number, not one of ours.
_EDGE_L = r"(?<![0-9A-Za-z.])"
_EDGE_R = r"(?![0-9A-Za-z])"

ID_NUMBER = re.compile(_EDGE_L + r"([1-9]\d{5})((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3}[\dXx])" + _EDGE_R)
BANK_GROUPED = re.compile(_EDGE_L + r"(\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)" + r"(?![0-9])")
BANK_PLAIN = re.compile(_EDGE_L + r"(\d{16,19})" + _EDGE_R)
MOBILE = re.compile(_EDGE_L + r"(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})" + _EDGE_R)


def _mask_id(match: re.Match) -> str:
    """Keep the first 3 and last 4 characters of an ID number."""
    whole = match.group(0)
    return whole[:3] + "*" * 11 + whole[-4:]


def _mask_bank(match: re.Match) -> str:
    """Keep the first 4 and last 4 digits of a card number; spacing stays as written."""
    text = match.group(0)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    hidden = set(digits[4:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_mobile(match: re.Match) -> str:
    """138****0001."""
    return f"{match.group(1)}****{match.group(3)}"


def redact(text: str | None) -> str:
    """The text with phone, ID and bank numbers masked; everything else (amounts, dates) untouched."""
    if not text:
        return ""
    text = ID_NUMBER.sub(_mask_id, text)
    text = BANK_GROUPED.sub(_mask_bank, text)
    text = BANK_PLAIN.sub(_mask_bank, text)
    return MOBILE.sub(_mask_mobile, text)
