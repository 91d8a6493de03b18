"""URL table of the codes area: the scan landing, the staff's code pages and the codes' JSON routes."""
from flask import Blueprint

from citizen.codes import access, api, views
from jsonapi import api_blueprint

# access: importing it registers the area's @rule checks in accounts.authz
bp = Blueprint("codes", __name__)
bp.app_context_processor(views.scan_notice)
bp.add_url_rule("/q/<code>", "scan", views.scan, methods=["GET"])
bp.add_url_rule("/scan", "scan_page", views.scan_page, methods=["GET", "POST"])
bp.add_url_rule("/staff/codes", "manage", views.manage, methods=["GET", "POST"])
bp.add_url_rule("/staff/codes/<code>/label", "relabel", views.relabel, methods=["POST"])
bp.add_url_rule("/staff/codes/<code>/revoke", "revoke", views.revoke, methods=["POST"])
bp.add_url_rule("/staff/codes/<code>/poster.<fmt>", "poster", views.poster, methods=["GET"])
bp.add_url_rule("/staff/villages/<slug>/posters.pdf", "village_posters", views.village_posters, methods=["GET"])

api_bp = api_blueprint("codes_api", "码上监督：二维码与海报")
api_bp.add_url_rule("/q/<code>", "scanned_code", api.scanned_code, methods=["GET"])
api_bp.add_url_rule("/villages/<slug>/codes", "village_codes", api.village_codes, methods=["GET"])
api_bp.add_url_rule("/villages/<slug>/codes", "create_code", api.create_code, methods=["POST"])
api_bp.add_url_rule("/codes/<code>/revoke", "revoke_code", api.revoke_code, methods=["POST"])
api_bp.add_url_rule("/codes/<code>/poster.<any(png, pdf):fmt>", "code_poster", api.code_poster, methods=["GET"])
