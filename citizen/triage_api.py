"""JSON endpoints of the desks, the wall and the township overview."""
from flask_smorest import Blueprint

blp = Blueprint("triage_api", __name__, url_prefix="/api/v1")
