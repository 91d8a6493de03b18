"""JSON endpoints of the points area."""
from flask_smorest import Blueprint

blp = Blueprint("points_api", __name__, url_prefix="/api/v1")
