"""Sending one WeChat subscription message (订阅消息): the official account's message/subscribe/bizsend,
or a mini-program's message/subscribe/send (WECHAT_MESSAGE_API=subscribe_send).

A message names the step and links to the case page, which asks for login as usual: it never carries
the report's text, the reporter's identity or the tracking code. Template ids come from configuration
(WECHAT_TEMPLATE_<KIND>); the template's three fields are, in order, the matter (thing, ≤20
characters), the step (phrase, ≤5) and the time (WECHAT_TEMPLATE_KEYS overrides their names).
Answers: 0 sent; 43101 the user refused (never retried); 40001 / 42001 / 40014 the token expired
(refreshed once, then retried once); anything else, a timeout or garbage is for the job to retry.
"""
import json
import urllib.parse
from datetime import datetime

from flask import current_app

import clock
from jobs.queue import NoRetry
from notify.http import ServiceUnavailable, call
from notify.wechat_token import WeChatApiError, access_token, forget_token

REFUSED = 43101
TOKEN_EXPIRED = (40001, 42001, 40014)
DEFAULT_KEYS = ("thing1", "phrase2", "time3")
PATHS = {"bizsend": "/cgi-bin/message/subscribe/bizsend", "subscribe_send": "/cgi-bin/message/subscribe/send"}


class SubscriptionRefused(NoRetry):
    """WeChat says the user refused or revoked this kind of message (errcode 43101)."""


class TemplateNotConfigured(NoRetry):
    """WECHAT_TEMPLATE_<KIND> is not set."""


def template_for(kind: str) -> str:
    """The template id for a kind of step message, or TemplateNotConfigured naming the setting."""
    template = current_app.config.get(f"WECHAT_TEMPLATE_{kind.upper()}")
    if not template:
        raise TemplateNotConfigured(f"WECHAT_TEMPLATE_{kind.upper()} is not set")
    return template


def message_body(openid: str, kind: str, matter: str, step: str, at: datetime, link: str) -> dict:
    """The JSON WeChat expects: who, which template, where a tap leads, and the three fields."""
    config = current_app.config
    keys = tuple(k.strip() for k in (config.get("WECHAT_TEMPLATE_KEYS") or ",".join(DEFAULT_KEYS)).split(","))
    data = {keys[0]: {"value": matter[:20]}, keys[1]: {"value": step[:5]},
            keys[2]: {"value": clock.local(at).strftime("%Y-%m-%d %H:%M")}}
    body = {"touser": openid, "template_id": template_for(kind), "data": data}
    if config["WECHAT_MESSAGE_API"] == "subscribe_send":
        page = config.get("WECHAT_MINIPROGRAM_PAGE") or "pages/web/index?url={url}"
        body.update(page=page.format(url=urllib.parse.quote(link, safe="")), lang="zh_CN",
                    miniprogram_state=config["WECHAT_MINIPROGRAM_STATE"])
    else:
        body["page"] = link  # the official account opens this web page when the card is tapped
    return body


def send(body: dict) -> None:
    """POST one message; refresh an expired token once; raise SubscriptionRefused, WeChatApiError or ServiceUnavailable."""
    config = current_app.config
    url = config["WECHAT_API_URL"] + PATHS[config["WECHAT_MESSAGE_API"]]
    payload = json.dumps(body, ensure_ascii=False).encode()
    for attempt in (1, 2):
        token = access_token()
        _, answer = call("POST", f"{url}?{urllib.parse.urlencode({'access_token': token})}", payload,
                         {"Content-Type": "application/json; charset=utf-8"}, float(config["WECHAT_TIMEOUT"]))
        errcode = answer.get("errcode", 0)
        if not isinstance(errcode, int):
            raise ServiceUnavailable("wechat answered an errcode that is not a number")
        if errcode == 0:
            return
        if errcode == REFUSED:
            raise SubscriptionRefused("wechat errcode 43101: the user refused this message")
        if errcode in TOKEN_EXPIRED and attempt == 1:
            forget_token(token)
            continue
        raise WeChatApiError(errcode, str(answer.get("errmsg") or ""))
