"""JSON endpoints of notify: recording the kinds WeChat's subscribe dialog accepted, and the JS-SDK's wx.config."""
import urllib.parse

from flask import current_app, request

from errors import DomainError, Invalid, NotFound
from extensions import db
from jsonapi import api_user, body, doc, fails, json_object, needs_login, query, response
from notify import subscriptions, wechat_jssdk
from notify.http import ServiceUnavailable
from notify.schemas import JsConfigArgs, JsConfigSchema, SubscribeInSchema, SubscriptionsSchema
from notify.wechat_token import WeChatApiError


class WeChatUnavailable(DomainError):
    """WeChat did not hand out a ticket just now: the page works on without the JS-SDK."""

    status = 503
    code = "wechat_unavailable"
    message = "暂时连不上微信，分享和扫一扫稍后可用。"


@response(200, SubscriptionsSchema)
@needs_login
@body(SubscribeInSchema)
@fails((400, "缺少 X-CSRFToken（用会话登录时）或数据不是 JSON 对象（csrf_failed、bad_json）"),
       (422, "不认识的消息类型，或还没有用微信登录"))
@doc(description="登录的人在微信订阅框里同意了哪些消息：每种记下一次（一次性订阅）；回答每种消息现在的状态。"
                 "用会话登录时要带 X-CSRFToken。")
def subscribe():
    """Record the kinds WeChat's subscribe dialog reported as accepted (each one-time consent allows one message)."""
    user = api_user()
    data = SubscribeInSchema().load(json_object())
    subscriptions.subscribe(user, data["kinds"])
    db.session.commit()
    return {"subscriptions": subscriptions.kinds_of(user)}


def _own_page(url: str) -> str:
    """The page URL, if it is one of this site's (the signature is for our pages only)."""
    base = urllib.parse.urlsplit(current_app.config["BASE_URL"])
    page = urllib.parse.urlsplit(url)
    if (page.scheme, page.netloc) != (base.scheme, base.netloc):
        raise Invalid("只能为本站的网页签名。", fields={"url": ["不是本站的网址。"]})
    return url.split("#")[0]


@response(200, JsConfigSchema)
@query(JsConfigArgs)
@fails((404, "没有配置微信公众号（not_found）"), (422, "缺少网址，或不是本站的网址"),
       (503, "暂时连不上微信（wechat_unavailable）"))
@doc(description="微信 JS-SDK 的 wx.config 参数（jsapi_ticket 签名），给本站某个网页用；"
                 "jsapi_ticket 全站共用、过期前才重新获取。")
def js_config():
    """wx.config's values for one page of this site, signed with the shared jsapi_ticket."""
    if not wechat_jssdk.enabled():
        raise NotFound()
    url = _own_page(JsConfigArgs().load(request.args)["url"])
    try:
        return wechat_jssdk.js_config(url)
    except (ServiceUnavailable, WeChatApiError) as exc:
        current_app.logger.warning("jsapi_ticket unavailable: %s", type(exc).__name__)
        raise WeChatUnavailable() from None
