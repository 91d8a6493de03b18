"""Rate limits of the report area, and who a client is for them: floods and code guessing stop, nobody is named.

Whole villages sit behind one carrier NAT, so the fine limits are keyed on the client: a browser's
random id kept in its signed session, or an API client's id (`X-Client-Id`, issued by
`POST /api/v1/clients`); only the coarse outer limits use the address (a daily-salted hash,
accounts.ratelimit). Never the account: a report may be anonymous. Client ids cost something to mint:
each address gets a few per hour, so collecting ids does not multiply the per-client limits. Counters
live in the limiter's store (memory here, Redis in production), never in the database.
"""
import hashlib
import hmac
import secrets
from datetime import date

from flask import current_app, request, session
from limits import parse

from accounts.ratelimit import address_hash, address_only_key
from extensions import limiter

BROWSER_KEY = "rl"
CLIENT_HEADER = "X-Client-Id"
MINT_BUDGET = parse("30 per hour")  # new client ids per address


def issue_client_id() -> str | None:
    """A new API client id, if this address still has budget for one this hour (else None)."""
    if not _may_mint():
        return None
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_client_mac(nonce)}"


def api_client() -> str | None:
    """The API client id sent in X-Client-Id, if this server issued it."""
    value = request.headers.get(CLIENT_HEADER, "")
    if value.count(".") != 1:
        return None
    nonce, mac = value.split(".")
    return nonce if nonce and hmac.compare_digest(mac, _client_mac(nonce)) else None


def client_binding() -> str | None:
    """Who a form token is issued to: this API client, else this browser (pages give it an id: mark_browser)."""
    client = api_client()
    if client:
        return f"k:{client}"
    token = session.get(BROWSER_KEY)
    return f"b:{token}" if token else None


def browser_key() -> str:
    """This client's id (API client, else browser) hashed with the day, else the address hash; never the account.

    A report may be anonymous, so its limit must not name the person sending it; and the key needs no
    database read, so a submission re-encodes its photos before it takes the write lock.
    """
    token = api_client() or session.get(BROWSER_KEY)
    if not token:
        return f"c:{address_hash()}"
    salt = f"{current_app.config['SECRET_KEY']}:{date.today().isoformat()}:{token}".encode()
    return "b:" + hashlib.sha256(salt).hexdigest()[:20]


def mark_browser() -> None:
    """Give this browser its random id (when a form is shown), within its address's budget for new ids."""
    if BROWSER_KEY not in session and _may_mint():
        session[BROWSER_KEY] = secrets.token_urlsafe(12)


def _may_mint() -> bool:
    """Count one new client id against this address's hourly budget; False once it is spent."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return limiter.limiter.hit(MINT_BUDGET, "client-id-mint", address_hash())


def _client_mac(nonce: str) -> str:
    """The signature that makes an API client id the server's own."""
    key = f"{current_app.config['SECRET_KEY']}:api-client".encode()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()[:22]


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
