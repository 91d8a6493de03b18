"""URL table of the wall area: the public wall, flags, moderation, and their JSON routes."""
from flask import Blueprint

from citizen.wall import access, api, views
from jsonapi import api_blueprint

# access: importing it registers the area's @rule checks in accounts.authz
bp = Blueprint("wall", __name__)
bp.add_url_rule("/v/<slug>/wall", "wall", views.wall_page, methods=["GET"])
bp.add_url_rule("/v/<slug>/wall/<int:report_id>/flag", "flag", views.flag, methods=["GET", "POST"])
bp.add_url_rule("/desk/moderation", "moderation", views.moderation, methods=["GET"])
bp.add_url_rule("/desk/moderation/<int:report_id>", "moderate", views.moderate, methods=["POST"])

api_bp = api_blueprint("wall_api", "回音壁")
api_bp.add_url_rule("/villages/<slug>/wall", "village_wall", api.village_wall, methods=["GET"])
api_bp.add_url_rule("/villages/<slug>/wall/<int:report_id>/flags", "flag_wall_entry", api.flag_wall_entry,
                    methods=["POST"])
api_bp.add_url_rule("/triage/wall/<int:report_id>/moderation", "moderate_wall_entry", api.moderate_wall_entry,
                    methods=["POST"])
