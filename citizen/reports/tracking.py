"""Tracking codes (查询码): made once, shown once, kept only as a keyed hash; and finding a case by one."""
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

import clock
from citizen.reports.models import Report
from errors import NotFound
from extensions import db

# No 0/O, 1/I: a code read aloud over the phone or copied by hand survives.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
GROUPS, GROUP_LEN = 4, 4  # 16 symbols of 5 bits = 80 bits


class CodeNotFound(NotFound):
    """A wrong or mistyped code: the same answer whether it never existed or was mistyped."""

    code = "tracking_code_not_found"
    message = "查询码不对，请核对后重新输入（共16位，字母和数字）。"


def issue_form_token(binding: str | None) -> str:
    """A one-time token for the report form, signed together with the client it is issued to.

    `binding` names the client (throttle.client_binding: this browser's random id or an API client id).
    A double tap sends the same token again and sees the same report and code; a token that was not
    issued to the sending client is worth nothing (accepted_form_token).
    """
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_binding_mac(nonce, binding)}" if binding else nonce


def accepted_form_token(token: str | None, binding: str | None) -> str:
    """The submitted token if this server issued it to this client; else a fresh one that matches no report.

    So replaying someone else's token (or a made-up one) files a new report and can never bring back
    another report's tracking code.
    """
    if token and binding and token.count(".") == 1:
        nonce, mac = token.split(".")
        if nonce and hmac.compare_digest(mac, _binding_mac(nonce, binding)):
            return token
    return secrets.token_urlsafe(24)


def _binding_mac(nonce: str, binding: str) -> str:
    """The signature that ties a form token's nonce to its client."""
    return hmac.new(_key(b"form-binding"), f"{nonce}|{binding}".encode(), hashlib.sha256).hexdigest()[:22]


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


def photo_key(photo_id: int, size: str = "") -> str:
    """A capability for one photo, put in the photo's URL on the reporter's case page (valid for a day).

    The case page proved the tracking code; its photo links carry this instead of the browser keeping
    a list of reports it opened, so no cookie holds report ids next to the person's login.
    """
    day = clock.local(clock.now()).date().isoformat()
    return hmac.new(_key(b"photo"), f"{photo_id}|{size}|{day}".encode(), hashlib.sha256).hexdigest()[:24]


def photo_key_valid(photo_id: int, size: str, key: str | None) -> bool:
    """Is `key` this photo's capability from today or yesterday (a page opened before midnight still works)?"""
    if not key:
        return False
    today = clock.local(clock.now()).date()
    for day in (today, today - timedelta(days=1)):
        expected = hmac.new(_key(b"photo"), f"{photo_id}|{size}|{day.isoformat()}".encode(), hashlib.sha256)
        if hmac.compare_digest(key, expected.hexdigest()[:24]):
            return True
    return False


def pretty(code: str) -> str:
    """A typed code written the canonical way, XXXX-XXXX-XXXX-XXXX."""
    clean = normalize(code)
    return "-".join(clean[i:i + GROUP_LEN] for i in range(0, len(clean), GROUP_LEN))
