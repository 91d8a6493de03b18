"""Pages of the points area."""
from flask import Blueprint

bp = Blueprint("points", __name__)
