"""Rate limits of the report area: floods and code guessing stop, nobody's address is kept.

Whole villages sit behind one carrier NAT, so the fine limits are keyed on the account, else on a
random id kept in the browser's signed session, and only the coarse outer limits on the address
(a daily-salted hash, accounts.ratelimit). Counters live in the limiter's store (memory here, Redis in
production), never in the database and never next to a report.
"""
import hashlib
import secrets
from datetime import date

from flask import current_app, session

from accounts.ratelimit import address_hash, address_only_key
from extensions import limiter

BROWSER_KEY = "rl"


def browser_key() -> str:
    """This browser's random session id (hashed with the day), else the address hash; never the account.

    A report may be anonymous, so its limit must not name the person sending it; and the key needs no
    database read, so a submission re-encodes its photos before it takes the write lock.
    """
    token = session.get(BROWSER_KEY)
    if not token:
        return f"c:{address_hash()}"
    salt = f"{current_app.config['SECRET_KEY']}:{date.today().isoformat()}:{token}".encode()
    return "b:" + hashlib.sha256(salt).hexdigest()[:20]


def mark_browser() -> None:
    """Give this browser its random rate-limit id (set when a form is shown)."""
    session.setdefault(BROWSER_KEY, secrets.token_urlsafe(12))


def _not_found(response) -> bool:
    """Only wrong tracking codes count against the guessing limits."""
    return response.status_code == 404


# Submissions: a villager files a few reports; a whole village behind one address files more.
submit_per_client = limiter.shared_limit("5 per 10 minutes;30 per day", scope="report-submit",
                                         key_func=browser_key, methods=["POST"])
submit_per_address = limiter.shared_limit("200 per hour", scope="report-submit-address",
                                          key_func=address_only_key, methods=["POST"])
# Tracking codes: 10 wrong tries per client per hour across the page, the link and the API.
wrong_codes = limiter.shared_limit("10 per hour", scope="tracking-code-guess", key_func=browser_key,
                                   deduct_when=_not_found)
wrong_codes_per_address = limiter.shared_limit("100 per hour", scope="tracking-code-guess-address",
                                               key_func=address_only_key, deduct_when=_not_found)
# Reporter's additions through a code.
reporter_writes = limiter.shared_limit("20 per hour", scope="reporter-writes", key_func=browser_key,
                                       methods=["POST"])
