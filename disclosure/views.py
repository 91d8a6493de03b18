"""Pages of the disclosure area."""
from flask import Blueprint

bp = Blueprint("disclosure", __name__)
