"""WeChat web login (OAuth2, snsapi_base): the redirect and the code-for-openid exchange.

Two plain HTTP calls behind a small gateway; tests point the URLs at a local fake that speaks
WeChat's protocol, since WeChat cannot be reached from here.
"""
import json
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app

from errors import DomainError


class WeChatError(DomainError):
    """WeChat refused the code or could not be reached."""

    status = 502
    code = "wechat_failed"
    message = "微信登录没有成功，请重试，或用手机号登录。"


def enabled() -> bool:
    """WeChat login is offered only when an AppID and secret are configured."""
    return bool(current_app.config["WECHAT_APPID"] and current_app.config["WECHAT_SECRET"])


def authorize_url(redirect_uri: str, state: str) -> str:
    """The URL WeChat's browser opens to get a silent (snsapi_base) code for our redirect."""
    query = urllib.parse.urlencode({
        "appid": current_app.config["WECHAT_APPID"], "redirect_uri": redirect_uri,
        "response_type": "code", "scope": "snsapi_base", "state": state,
    })
    return f"{current_app.config['WECHAT_OPEN_URL']}/connect/oauth2/authorize?{query}#wechat_redirect"


def exchange_code(code: str) -> str:
    """Trade the code WeChat gave the browser for the user's openid at sns/oauth2/access_token."""
    query = urllib.parse.urlencode({
        "appid": current_app.config["WECHAT_APPID"], "secret": current_app.config["WECHAT_SECRET"],
        "code": code, "grant_type": "authorization_code",
    })
    url = f"{current_app.config['WECHAT_API_URL']}/sns/oauth2/access_token?{query}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (configured https URL)
            body = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        current_app.logger.warning("wechat exchange failed: %s", type(exc).__name__)
        raise WeChatError() from None
    if not isinstance(body, dict) or body.get("errcode") or not body.get("openid"):
        current_app.logger.warning("wechat exchange refused: errcode=%s", body.get("errcode") if isinstance(body, dict) else "?")
        raise WeChatError()
    return str(body["openid"])
