"""Tracking codes (查询码): made once, shown once, kept only as a keyed hash; and finding a case by one."""
import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask import current_app, session

from citizen.reports.models import Report
from errors import NotFound
from extensions import db

# No 0/O, 1/I: a code read aloud over the phone or copied by hand survives.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
GROUPS, GROUP_LEN = 4, 4  # 16 symbols of 5 bits = 80 bits
TRACKED_KEY = "tracked_reports"
TRACKED_MAX = 20


class CodeNotFound(NotFound):
    """A wrong or mistyped code: the same answer whether it never existed or was mistyped."""

    code = "tracking_code_not_found"
    message = "查询码不对，请核对后重新输入（共16位，字母和数字）。"


def new_form_token() -> str:
    """A fresh one-time token for the report form; the tracking code is derived from it."""
    return secrets.token_urlsafe(24)


def code_for_token(form_token: str) -> str:
    """The tracking code a form token yields: a double-tapped submit shows the same code twice."""
    digest = hmac.new(_key(b"code"), form_token.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")  # 80 bits
    symbols = []
    for _ in range(GROUPS * GROUP_LEN):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    raw = "".join(symbols)
    return "-".join(raw[i:i + GROUP_LEN] for i in range(0, len(raw), GROUP_LEN))


def normalize(code: str) -> str:
    """Uppercase and drop spaces and dashes, so "abcd efgh-…" matches; None-safe."""
    return re.sub(r"[^0-9A-Za-z]", "", code or "").upper()


def tracking_hash(code: str) -> str:
    """The keyed hash stored in Report.tracking_hash."""
    return hmac.new(_key(b"track"), normalize(code).encode(), hashlib.sha256).hexdigest()


def token_hash(form_token: str) -> str:
    """The keyed hash of a form token stored in Report.form_token (the token itself would reveal the code)."""
    return hmac.new(_key(b"form"), form_token.encode(), hashlib.sha256).hexdigest()


def _key(purpose: bytes) -> bytes:
    """A per-purpose key derived from SECRET_KEY."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"tracking-v1:" + purpose, hashlib.sha256).digest()


def find_by_code(code: str) -> Report:
    """The report a tracking code opens, or CodeNotFound."""
    clean = normalize(code)
    if len(clean) != GROUPS * GROUP_LEN or any(ch not in ALPHABET for ch in clean):
        raise CodeNotFound()
    report = db.session.execute(sa.select(Report).where(Report.tracking_hash == tracking_hash(clean))).scalar_one_or_none()
    if report is None:
        raise CodeNotFound()
    return report


def find_by_form_token(form_token: str) -> Report | None:
    """The report an earlier tap of the same form already created, if any."""
    return db.session.execute(sa.select(Report).where(Report.form_token == token_hash(form_token))).scalar_one_or_none()


def remember_tracked(report: Report) -> None:
    """Let this browser see the report's photos after it proved the code (kept in the signed session)."""
    tracked = [i for i in session.get(TRACKED_KEY, []) if i != report.id]
    session[TRACKED_KEY] = (tracked + [report.id])[-TRACKED_MAX:]


def has_tracked(report: Report) -> bool:
    """Did this browser open the report with its code?"""
    return report.id in session.get(TRACKED_KEY, [])


def pretty(code: str) -> str:
    """A typed code written the canonical way, XXXX-XXXX-XXXX-XXXX."""
    clean = normalize(code)
    return "-".join(clean[i:i + GROUP_LEN] for i in range(0, len(clean), GROUP_LEN))
