"""Rate-limit keys that stop floods without remembering who sent what."""
import hashlib
import hmac
import re
from datetime import date

from flask import current_app, request
from flask_login import current_user


def client_key() -> str:
    """The account when logged in; else an address hash salted with today's date, never the address."""
    if current_user and current_user.is_authenticated:
        return f"u:{current_user.id}"
    return f"c:{address_hash()}"


def address_hash() -> str:
    """A keyed hash of the client address that changes every day, so it cannot be joined across days."""
    salt = f"{current_app.config['SECRET_KEY']}:{date.today().isoformat()}".encode()
    address = (request.remote_addr or "").encode()
    return hmac.new(salt, address, hashlib.sha256).hexdigest()[:20]


def address_only_key() -> str:
    """A coarse outer limit on the address alone, for endpoints everyone behind one NAT shares."""
    return f"a:{address_hash()}"


def phone_key() -> str:
    """Rate-limit key on the phone typed into a login form or JSON body: a keyed hash, never the number.

    Not salted by day (a limit of 10 per 10 minutes must not reset at midnight); the secret key
    keeps it from being reversed by trying every mobile number.
    """
    data = request.form if request.form else (request.get_json(silent=True) or {})
    raw = data.get("phone", "") if hasattr(data, "get") else ""
    digits = re.sub(r"\D", "", str(raw))[-11:]
    key = f"{current_app.config['SECRET_KEY']}:login-phone".encode()
    return "p:" + hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()[:24]
