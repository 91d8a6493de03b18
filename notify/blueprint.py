"""URL table of the notify area: 我的 → 消息提醒, and the JSON routes for WeChat's subscribe button and JS-SDK."""
from flask import Blueprint

from accounts.menu import add_me_link
from jsonapi import api_blueprint
from notify import api, views, wechat_page

bp = Blueprint("notify", __name__)
bp.record_once(lambda state: add_me_link("消息提醒（微信、短信）", "notify.preferences"))
bp.add_app_template_global(wechat_page.wechat_tags, "wechat_tags")
bp.add_app_template_global(wechat_page.subscribe_offer, "wechat_subscribe_offer")
bp.add_url_rule("/me/notifications", "preferences", views.preferences, methods=["GET", "POST"])
bp.add_url_rule("/me/notifications/unsubscribe", "unsubscribe", views.unsubscribe, methods=["POST"])

api_bp = api_blueprint("notify_api", "消息提醒：微信订阅与 JS-SDK")
api_bp.add_url_rule("/me/wechat/subscriptions", "subscribe", api.subscribe, methods=["POST"])
api_bp.add_url_rule("/wechat/js-config", "js_config", api.js_config, methods=["GET"])
