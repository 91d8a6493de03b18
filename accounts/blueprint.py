"""URL table of the accounts area: logging in and out, 我的, the text-size switch, and the JSON login."""
from flask import Blueprint

from accounts import api, views
from accounts.login import api_csrf
from accounts.ratelimit import client_key
from jsonapi import api_blueprint

bp = Blueprint("accounts", __name__)
# The account where there is one, else a daily-salted hash of the address: the key of every limit that names none.
bp.record_once(lambda state: state.app.extensions.setdefault("rate_limit_key", client_key))
bp.before_app_request(api_csrf)
bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/login/sms", "login_sms", views.login_sms, methods=["GET", "POST"])
bp.add_url_rule("/login/sms/verify", "login_sms_verify", views.login_sms_verify, methods=["GET", "POST"])
bp.add_url_rule("/login/wechat", "login_wechat", views.login_wechat, methods=["GET"])
bp.add_url_rule("/login/wechat/callback", "login_wechat_callback", views.login_wechat_callback, methods=["GET"])
bp.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
bp.add_url_rule("/dev/sms", "dev_outbox", views.dev_outbox, methods=["GET"])
bp.add_url_rule("/prefs/text-size", "text_size", views.text_size, methods=["POST"])
bp.add_url_rule("/me", "me", views.me, methods=["GET"])
bp.add_url_rule("/staff", "staff_home", views.staff_home, methods=["GET"])

api_bp = api_blueprint("accounts_api", "登录与账号")
api_bp.add_url_rule("/auth/login", "login", api.login, methods=["POST"])
api_bp.add_url_rule("/auth/sms", "send_sms_code", api.send_sms_code, methods=["POST"])
api_bp.add_url_rule("/auth/sms/verify", "verify_sms_code", api.verify_sms_code, methods=["POST"])
api_bp.add_url_rule("/me", "me", api.me, methods=["GET"])
