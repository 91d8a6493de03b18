"""The public feedback wall (回音壁)."""
from flask import Blueprint

bp = Blueprint("wall", __name__)
