"""URL table of the home area: where a villager starts, and the village summary."""
from flask import Blueprint

from citizen.home import api, views
from jsonapi import api_blueprint

bp = Blueprint("home", __name__)
bp.add_url_rule("/", "index", views.index, methods=["GET"])
bp.add_url_rule("/v/<slug>", "village_home", views.village_home, methods=["GET"])

api_bp = api_blueprint("home_api", "村的概况")
api_bp.add_url_rule("/villages/<slug>", "village", api.village, methods=["GET"])
