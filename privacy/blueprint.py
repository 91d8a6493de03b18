"""URL table of the privacy area: the notice and the township's retention settings."""
from flask import Blueprint

from jsonapi import api_blueprint
from privacy import views

bp = Blueprint("privacy", __name__)
bp.add_url_rule("/privacy", "notice", views.notice, methods=["GET"])
bp.add_url_rule("/v/<slug>/privacy", "village_notice", views.village_notice, methods=["GET"])
bp.add_url_rule("/township/privacy", "settings", views.settings, methods=["GET", "POST"])

api_bp = api_blueprint("privacy_api", "个人信息保护")
