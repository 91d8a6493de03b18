"""Conventions every JSON endpoint shares: Chinese validation messages, paging, the caller, the OpenAPI decorators."""
import sqlalchemy as sa
from flask import request
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from errors import Invalid, Unauthorized
from extensions import db

API_PREFIX = "/api/v1"
# flask-smorest's `response` and `doc` decorators need a Blueprint but keep nothing on it: this one, never
# registered, documents the views of every area's api.py, and each area's blueprint.py attaches them.
_DOCUMENTER = Blueprint("api_documenter", __name__)
response = _DOCUMENTER.response
alt_response = _DOCUMENTER.alt_response
doc = Blueprint.doc

# marshmallow's default messages, in the words a villager or clerk reads.
FIELD_MESSAGES = {
    "required": "这一项必须填写。",
    "null": "这一项不能为空。",
    "invalid": "格式不对。",
    "validator_failed": "不符合要求。",
    "type": "格式不对。",
    "invalid_utf8": "文字编码不对。",
    "too_large": "数值太大。",
    "format": "格式不对。",
    "invalid_date": "日期格式不对，例如 2026-10-03。",
    "invalid_choice": "不在可选范围内。",
}


class ApiSchema(Schema):
    """Base for every schema: unknown keys ignored, error messages in Chinese."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": "请发送 JSON 对象。", "unknown": "不认识的字段。"}

    def on_bind_field(self, field_name, field_obj):
        """Swap each field's default English messages for Chinese ones."""
        field_obj.error_messages = {
            key: FIELD_MESSAGES.get(key, message) for key, message in field_obj.error_messages.items()
        }


def length(min_len: int | None = None, max_len: int | None = None) -> validate.Length:
    """A length validator that says the limits in Chinese."""
    if min_len and max_len:
        text = f"请填写{min_len}到{max_len}个字。"
    elif max_len:
        text = f"最多{max_len}个字。"
    else:
        text = f"至少{min_len}个字。"
    return validate.Length(min=min_len, max=max_len, error=text)


def one_of(choices, label: str = "") -> validate.OneOf:
    """A choice validator that lists the allowed values."""
    return validate.OneOf(list(choices), error=f"{label}只能是：{'、'.join(map(str, choices))}。")


class PageArgs(ApiSchema):
    """`?page=1&per_page=20`, per_page at most 100."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, error="页码从1开始。"))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100, error="每页1到100条。"))


def page_args() -> tuple[int, int]:
    """Read and check the paging query arguments."""
    return (lambda a: (a["page"], a["per_page"]))(PageArgs().load(request.args))


def paginate(query: sa.Select, schema: Schema) -> dict:
    """Run a query one page at a time and wrap it the API.md way."""
    page, per_page = page_args()
    total = db.session.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return {"items": schema.dump(rows, many=True), "page": page, "per_page": per_page, "total": total}


def api_user():
    """The caller's account, or 401 login_required."""
    if not current_user or not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()


def json_object() -> dict:
    """The request body as a JSON object, or a clear 400/422 in Chinese."""
    data = request.get_json(silent=True)
    if data is None:
        raise Invalid("请发送 JSON 格式的数据（Content-Type: application/json）。", code="bad_json")
    if not isinstance(data, dict):
        raise Invalid("请发送 JSON 对象，例如 {\"phone\": \"…\"}。", code="bad_json")
    return data


def api_blueprint(name: str, description: str) -> Blueprint:
    """An area's JSON blueprint under /api/v1, its description the heading of its OpenAPI section."""
    return Blueprint(name, __name__, url_prefix=API_PREFIX, description=description)


def page_of(query: sa.Select, page: int, per_page: int) -> tuple[list, bool]:
    """One page of rows and whether another follows (one extra row fetched, no COUNT over a big table)."""
    rows = db.session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).scalars().all()
    return rows[:per_page], len(rows) > per_page
