"""The official account's access_token: fetched at /cgi-bin/token, shared by every process through the
database, used until shortly before `expires_in` runs out, and refreshed when WeChat says it expired.

WeChat keeps one token valid per AppID (a new fetch leaves the old one valid for five minutes) and
limits fetches per day, so processes must share one (WeChat's 中控服务器 advice) rather than each
fetch its own. Reads and writes of the cache are short units of work of their own: the caller must
hold no open transaction (jobs commit their reads before calling WeChat).
"""
from datetime import timedelta
import urllib.parse

from flask import current_app

import clock
from notify.http import ServiceUnavailable, call
from notify.models import WeChatToken

MARGIN = timedelta(minutes=5)  # refresh this long before WeChat's expiry


class WeChatApiError(Exception):
    """WeChat answered an errcode; `errcode` says which (the message carries no token or secret)."""

    def __init__(self, errcode: int, errmsg: str = ""):
        super().__init__(f"wechat errcode {errcode}: {errmsg.split(' rid:')[0][:80]}")
        self.errcode = errcode


def _appid() -> str:
    return current_app.config["WECHAT_APPID"]


def cached_token() -> str | None:
    """The shared token when it is still good for more than the margin."""
    from transactions import own_transaction

    with own_transaction() as session:
        row = session.get(WeChatToken, _appid())
        return row.access_token if row is not None and row.expires_at > clock.now() else None


def fetch_token() -> str:
    """Ask WeChat for a new token and store it for every process; raises WeChatApiError or ServiceUnavailable."""
    from transactions import own_transaction

    config = current_app.config
    query = urllib.parse.urlencode({"grant_type": "client_credential", "appid": config["WECHAT_APPID"],
                                    "secret": config["WECHAT_SECRET"]})
    _, answer = call("GET", f"{config['WECHAT_API_URL']}/cgi-bin/token?{query}",
                     timeout=float(config["WECHAT_TIMEOUT"]))
    token, expires_in = answer.get("access_token"), answer.get("expires_in")
    if answer.get("errcode") or not isinstance(token, str) or not token or not isinstance(expires_in, int):
        raise WeChatApiError(int(answer.get("errcode") or -1), str(answer.get("errmsg") or "no access_token"))
    expires_at = clock.now() + max(timedelta(seconds=expires_in) - MARGIN, timedelta(seconds=60))
    with own_transaction() as session:
        row = session.get(WeChatToken, config["WECHAT_APPID"])
        if row is None:
            session.add(WeChatToken(appid=config["WECHAT_APPID"], access_token=token, expires_at=expires_at))
        else:
            row.access_token, row.expires_at = token, expires_at
    return token


def access_token() -> str:
    """A token to call WeChat with: the shared one, or a new one when it is missing or nearly expired."""
    return cached_token() or fetch_token()


def forget_token(token: str) -> None:
    """WeChat said `token` expired or is invalid: drop it from the cache unless another process replaced it."""
    from transactions import own_transaction

    with own_transaction() as session:
        row = session.get(WeChatToken, _appid())
        if row is not None and row.access_token == token:
            session.delete(row)


__all__ = ["ServiceUnavailable", "WeChatApiError", "access_token", "forget_token"]
