"""Pages of the committee's and inspectors' desks and the township overview."""
from flask import Blueprint

bp = Blueprint("triage", __name__)
