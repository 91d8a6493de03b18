"""WeChat as a phone inside it meets it, faked on loopback: the silent OAuth2 authorize redirect, the code
exchange, the JS-SDK script (wx.config, share, scanQRCode and the wx-open-subscribe open tag), and the
server API of tests/notify/fake_wechat.py (tokens, jsapi_ticket, subscription messages)."""
import secrets
import urllib.parse
from pathlib import Path

from tests.notify.fake_wechat import FakeWeChat

SDK_PATH = "/open/js/jweixin-1.6.0.js"
SDK = (Path(__file__).parent / "fake_jweixin.js").read_bytes()


class WeChatForPhones(FakeWeChat):
    """`next_openid` is who the next authorize redirect logs in."""

    def __init__(self, appid: str, secret: str, templates: set[str]):
        super().__init__(appid, secret, templates)
        self.next_openid: str | None = None
        self.codes: dict[str, str] = {}

    def _authorize(self, query):
        if query.get("appid") != self.appid or query.get("scope") != "snsapi_base" or not self.next_openid:
            return 200, b"<p>invalid appid or scope</p>", {"Content-Type": "text/html; charset=utf-8"}
        code = secrets.token_hex(8)
        self.codes[code] = self.next_openid
        target = query["redirect_uri"]
        joiner = "&" if "?" in target else "?"
        location = f"{target}{joiner}{urllib.parse.urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, b"", {"Location": location, "Content-Type": "text/html; charset=utf-8"}

    def _exchange(self, query):
        if query.get("appid") != self.appid or query.get("secret") != self.secret:
            return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
        openid = self.codes.pop(query.get("code", ""), None)  # a code works once
        if openid is None:
            return 200, {"errcode": 40029, "errmsg": "invalid code"}
        return 200, {"access_token": "WEB-ACCESS", "expires_in": 7200, "refresh_token": "REFRESH",
                     "openid": openid, "scope": "snsapi_base"}

    def handle(self, method, path, query, headers, body):
        if method == "GET" and path == "/connect/oauth2/authorize":
            return self._authorize(query)
        if method == "GET" and path == "/sns/oauth2/access_token":
            return self._exchange(query)
        if method == "GET" and path == SDK_PATH:
            return 200, SDK, {"Content-Type": "application/javascript; charset=utf-8"}
        return super().handle(method, path, query, headers, body)
