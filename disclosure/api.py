"""JSON endpoints of the disclosure area."""
from flask_smorest import Blueprint

blp = Blueprint("disclosure_api", __name__, url_prefix="/api/v1")
