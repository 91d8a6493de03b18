"""Where a page may send a browser after login or a preference switch: only a path on this site."""
from urllib.parse import unquote, urlsplit

from flask import request

_DECODE_ROUNDS = 4  # a value encoded more often than this is refused rather than decoded further


def is_local_path(target: str) -> bool:
    """True when `target`, however it is encoded, can only mean a path on this site.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so `/\\t/evil`
    and `/\\/evil` both become `//evil`, another host. Refuse any control character, whitespace or
    backslash, in the value or in any percent-decoded form of it, and anything that does not start
    with exactly one slash.
    """
    if not isinstance(target, str) or not target:
        return False
    seen = target
    for _ in range(_DECODE_ROUNDS):
        if not _plain_local(seen):
            return False
        decoded = unquote(seen)
        if decoded == seen:
            return True
        seen = decoded
    return False


def _plain_local(value: str) -> bool:
    """One form of the value: a single leading slash, no scheme or host, nothing a browser would drop."""
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in value):
        return False
    if not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def local_or(target, default: str) -> str:
    """`target` if it is a path on this site, else `default`."""
    return target if is_local_path(target) else default


def safe_next(default: str) -> str:
    """The request's `next` (query string first, then form) if it stays on this site, else `default`."""
    return local_or(request.args.get("next") or request.form.get("next") or "", default)
