"""The disclosure area's page blueprint, shared by the villager pages and the clerk's desk."""
from flask import Blueprint, current_app, url_for

bp = Blueprint("disclosure", __name__)


def ask_prefix(slug: str) -> str:
    """Start of a 我要问 link; append `line:12`, `power_item:3` or `cadre:5` (format fixed by the report form)."""
    if "reports.report_form" in current_app.view_functions:
        return url_for("reports.report_form", slug=slug) + "?subject="
    return f"/v/{slug}/report?subject="
