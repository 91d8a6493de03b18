"""URL table of the triage area: the desks, the township pages and their JSON routes."""
from flask import Blueprint

from citizen.triage import access, api, notify, pushes, township_views, views
from jsonapi import api_blueprint

# access: importing it registers the area's @rule checks in accounts.authz
bp = Blueprint("triage", __name__)
bp.record_once(lambda state: notify.connect())  # notices follow the lifecycle's signals
bp.record_once(lambda state: pushes.connect())  # and so do WeChat and SMS step messages
bp.app_context_processor(views.unread_notices)
bp.add_url_rule("/desk", "queue", views.queue, methods=["GET"])
bp.add_url_rule("/desk/sent-up", "sent_up", views.sent_up, methods=["GET"])
bp.add_url_rule("/desk/<int:id>", "case", views.case, methods=["GET"])
bp.add_url_rule("/desk/<int:id>/act", "act", views.act, methods=["POST"])
bp.add_url_rule("/desk/notifications", "notifications", views.notifications, methods=["GET"])
bp.add_url_rule("/desk/notifications/read", "read_notifications", views.read_notifications, methods=["POST"])
bp.add_url_rule("/township", "township_overview", township_views.township_overview, methods=["GET"])
bp.add_url_rule("/township/villages.xlsx", "township_export", township_views.township_export, methods=["GET"])
bp.add_url_rule("/township/v/<slug>", "village_trend", township_views.village_trend, methods=["GET"])
bp.add_url_rule("/township/templates", "reply_templates", township_views.reply_templates, methods=["GET", "POST"])
bp.add_url_rule("/township/settings", "township_settings", township_views.township_settings,
                methods=["GET", "POST"])

api_bp = api_blueprint("triage_api", "村监会、镇纪委工作台与全镇总览")
api_bp.add_url_rule("/triage/reports", "desk_reports", api.desk_reports, methods=["GET"])
api_bp.add_url_rule("/triage/reports/<int:report_id>", "desk_report", api.desk_report, methods=["GET"])
api_bp.add_url_rule("/triage/reports/<int:report_id>/actions", "desk_action", api.desk_action, methods=["POST"])
api_bp.add_url_rule("/triage/notifications", "my_notifications", api.my_notifications, methods=["GET"])
api_bp.add_url_rule("/triage/reply-templates", "reply_templates", api.reply_templates, methods=["GET"])
api_bp.add_url_rule("/township/villages", "township_villages", api.township_villages, methods=["GET"])
