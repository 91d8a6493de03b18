"""WeChat JS-SDK for the official account's web pages: the jsapi_ticket and the wx.config signature.

The ticket comes from /cgi-bin/ticket/getticket?type=jsapi with the shared access_token, is valid for
`expires_in` (7200 s) and may be fetched only a limited number of times a day, so, as WeChat asks, it
is cached for every process (table wechat_ticket) and used until shortly before it expires. A token
WeChat calls expired (40001 / 42001 / 40014) is dropped and the fetch tried once more. The signature
is the SHA-1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (keys in ASCII order, the page URL
without its #fragment). Cache reads and writes are short units of work of their own.
"""
import hashlib
import secrets
import time
import urllib.parse
from datetime import timedelta

from flask import current_app

import clock
from notify.http import call
from notify.models import WeChatTicket
from notify.wechat_messages import TOKEN_EXPIRED
from notify.wechat_token import MARGIN, WeChatApiError, access_token, forget_token

JS_APIS = ("updateAppMessageShareData", "updateTimelineShareData", "scanQRCode")
OPEN_TAGS = ("wx-open-subscribe",)


def enabled() -> bool:
    """The JS-SDK needs the official account's AppID and secret."""
    return bool(current_app.config["WECHAT_APPID"] and current_app.config["WECHAT_SECRET"])


def _cached() -> str | None:
    """The shared ticket while it is good for more than the margin."""
    from transactions import own_transaction

    with own_transaction() as session:
        row = session.get(WeChatTicket, current_app.config["WECHAT_APPID"])
        return row.ticket if row is not None and row.expires_at > clock.now() else None


def _store(ticket: str, expires_in: int) -> None:
    """Keep the ticket for every process until shortly before WeChat's expiry."""
    from transactions import own_transaction

    appid = current_app.config["WECHAT_APPID"]
    expires_at = clock.now() + max(timedelta(seconds=expires_in) - MARGIN, timedelta(seconds=60))
    with own_transaction() as session:
        row = session.get(WeChatTicket, appid)
        if row is None:
            session.add(WeChatTicket(appid=appid, ticket=ticket, expires_at=expires_at))
        else:
            row.ticket, row.expires_at = ticket, expires_at


def fetch_ticket() -> str:
    """Ask WeChat for a new jsapi_ticket (refreshing an expired token once) and cache it; raises on failure."""
    config = current_app.config
    for attempt in (1, 2):
        token = access_token()
        query = urllib.parse.urlencode({"access_token": token, "type": "jsapi"})
        _, answer = call("GET", f"{config['WECHAT_API_URL']}/cgi-bin/ticket/getticket?{query}",
                         timeout=float(config["WECHAT_TIMEOUT"]))
        errcode = answer.get("errcode", 0)
        if errcode in TOKEN_EXPIRED and attempt == 1:
            forget_token(token)
            continue
        ticket, expires_in = answer.get("ticket"), answer.get("expires_in")
        if errcode or not isinstance(ticket, str) or not ticket or not isinstance(expires_in, int):
            raise WeChatApiError(int(errcode) if isinstance(errcode, int) else -1,
                                 str(answer.get("errmsg") or "no ticket"))
        _store(ticket, expires_in)
        return ticket
    raise WeChatApiError(-1, "token refused twice")  # not reached: the second try returns or raises


def jsapi_ticket() -> str:
    """The shared ticket, fetched when missing or nearly expired."""
    return _cached() or fetch_ticket()


def signature(ticket: str, nonce: str, timestamp: int, url: str) -> str:
    """WeChat's wx.config signature for one page URL (its #fragment is not part of it)."""
    text = f"jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={url.split('#')[0]}"
    return hashlib.sha1(text.encode()).hexdigest()


def js_config(url: str) -> dict:
    """Everything wx.config needs for the page at `url`."""
    nonce, timestamp = secrets.token_hex(8), int(time.time())
    return {"app_id": current_app.config["WECHAT_APPID"], "timestamp": timestamp, "nonce_str": nonce,
            "signature": signature(jsapi_ticket(), nonce, timestamp, url), "js_api_list": list(JS_APIS),
            "open_tag_list": list(OPEN_TAGS)}
