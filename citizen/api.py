"""JSON endpoints of the citizen area."""
from flask_smorest import Blueprint

blp = Blueprint("citizen_api", __name__, url_prefix="/api/v1")
