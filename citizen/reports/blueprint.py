"""URL table of the reports area: the villager's report pages and their JSON twins, every route in one place."""
from flask import Blueprint

from citizen.reports import access, api, track_pages, views
from jsonapi import api_blueprint

# access: importing it registers the area's @rule checks in accounts.authz
bp = Blueprint("reports", __name__)
bp.add_url_rule("/v/<slug>/report", "report_form", views.report_form, methods=["GET", "POST"])
bp.add_url_rule("/v/<slug>/report/done", "report_done", views.report_done, methods=["GET"])
bp.add_url_rule("/photos/<int:photo_id>", "photo", views.photo, methods=["GET"])
bp.add_url_rule("/track", "track", track_pages.track, methods=["GET", "POST"])
bp.add_url_rule("/t/<code>", "track_code", track_pages.track_code, methods=["GET"])
bp.add_url_rule("/t/<code>/message", "track_message", track_pages.track_message, methods=["POST"])
bp.add_url_rule("/t/<code>/rating", "track_rating", track_pages.track_rating, methods=["POST"])
bp.add_url_rule("/t/<code>/appeal", "track_appeal", track_pages.track_appeal, methods=["POST"])
bp.add_url_rule("/me/reports", "my_reports", track_pages.my_reports, methods=["GET"])
bp.add_url_rule("/me/reports/<int:report_id>", "my_report", track_pages.my_report, methods=["GET"])
bp.add_url_rule("/me/reports/<int:report_id>/message", "my_report_message", track_pages.my_report_message,
                methods=["POST"])
bp.add_url_rule("/me/reports/<int:report_id>/rating", "my_report_rating", track_pages.my_report_rating,
                methods=["POST"])
bp.add_url_rule("/me/reports/<int:report_id>/appeal", "my_report_appeal", track_pages.my_report_appeal,
                methods=["POST"])

api_bp = api_blueprint("reports_api", "一键监督：提交反映，凭查询码跟进")
api_bp.add_url_rule("/villages/<slug>/reports", "submit", api.submit, methods=["POST"])
api_bp.add_url_rule("/track/<code>", "track", api.track, methods=["GET"])
api_bp.add_url_rule("/track/<code>/messages", "add_message", api.add_message, methods=["POST"])
api_bp.add_url_rule("/track/<code>/rating", "rate", api.rate, methods=["POST"])
api_bp.add_url_rule("/track/<code>/appeal", "appeal", api.appeal, methods=["POST"])
api_bp.add_url_rule("/me/reports", "my_reports", api.my_reports, methods=["GET"])
