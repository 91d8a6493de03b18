"""Marshmallow schemas of the notify API: recording WeChat consents, and the JS-SDK's wx.config values."""
from marshmallow import fields, validate

from jsonapi import ApiSchema, one_of
from notify.models import STEPS


class SubscribeInSchema(ApiSchema):
    """The kinds WeChat's subscribe dialog (wx-open-subscribe) reported as accepted."""

    kinds = fields.List(fields.String(validate=one_of(tuple(STEPS), "消息类型")), required=True,
                        validate=validate.Length(min=1, max=len(STEPS), error="请选择1到6种消息。"))


class SubscriptionsSchema(ApiSchema):
    """Each kind the person ever subscribed to, with its status (active, used, revoked)."""

    subscriptions = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class JsConfigArgs(ApiSchema):
    """`?url=`: the page wx.config runs on, on this site."""

    url = fields.String(required=True, validate=validate.Length(min=1, max=1000, error="网址太长了。"))


class JsConfigSchema(ApiSchema):
    """What wx.config takes, for one page URL."""

    app_id = fields.String(required=True)
    timestamp = fields.Integer(required=True)
    nonce_str = fields.String(required=True)
    signature = fields.String(required=True)
    js_api_list = fields.List(fields.String(), required=True)
    open_tag_list = fields.List(fields.String(), required=True)
