"""URL table of the jobs area: township staff's page of failed background jobs (no JSON routes yet)."""
from flask import Blueprint

from jobs import views
from jsonapi import api_blueprint

bp = Blueprint("jobs", __name__)
bp.add_url_rule("/township/jobs", "failed", views.failed, methods=["GET"])
bp.add_url_rule("/township/jobs/<int:failure_id>/retry", "retry", views.retry, methods=["POST"])
bp.add_url_rule("/township/jobs/<int:failure_id>/dismiss", "dismiss", views.dismiss, methods=["POST"])

api_bp = api_blueprint("jobs_api", "后台任务")
