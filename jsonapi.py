"""Conventions every JSON endpoint shares: Chinese validation messages, ids, paging, the caller, the OpenAPI document.

The decorators that document an operation (`response`, `needs_login`, `body`, `query`, `fails`, ...) live in
apidoc.py and are imported from here, so an area's api.py needs one import for the API's conventions.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from flask_login import current_user
from flask_smorest import Api, Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate
from werkzeug.routing import IntegerConverter

from apidoc import (DocumentedApi, add_security_scheme, alt_response, answers, binary, body, doc,  # noqa: F401
                    fails, header, may_login, needs_login, query, response)
from errors import DomainError, Unauthorized
from extensions import db

API_PREFIX = "/api/v1"
# Ids are INTEGER columns: 32 bits on PostgreSQL (64 on SQLite). A larger number names nothing, on either.
MAX_ID = 2**31 - 1
# Pages past this hold nothing anyway; the bound keeps LIMIT/OFFSET inside what the database takes.
MAX_PAGE = 100_000

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


def _json_body() -> bool:
    """Is this request's body JSON? Then numbers and yes/no must be JSON's own, not text that looks like them."""
    return has_request_context() and request.is_json


class Whole(fields.Integer):
    """A whole number in a body: a JSON integer (never true/false, never 1.5); a form's "12" only in a form."""

    def _validated(self, value):
        if isinstance(value, bool) or (_json_body() and not isinstance(value, int)):
            raise self.make_error("invalid")
        return super()._validated(value)


class Id(Whole):
    """The id of a stored row in a request body: a whole number from 1 to MAX_ID, else "no such item"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=1, max=MAX_ID, error="没有这个编号的内容。"))
        super().__init__(**kwargs)


class Flag(fields.Boolean):
    """Yes or no in a body: JSON true/false (0 and 1 are numbers); a form's "1", "on", "true" only in a form."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool) and (_json_body() or not isinstance(value, str)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class DatabaseId(IntegerConverter):
    """`<int:...>` in every URL: ASCII digits only, 1 to MAX_ID; anything else matches no route (404)."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class PageArgs(ApiSchema):
    """`?page=1&per_page=20`, per_page at most 100."""

    page = fields.Integer(load_default=1, validate=validate.Range(
        min=1, max=MAX_PAGE, error=f"页码应在1到{MAX_PAGE}之间。"))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100, error="每页1到100条。"))


def page_schema(item_schema: type[Schema], name: str) -> type[ApiSchema]:
    """The API.md list envelope around one item schema."""
    return type(name, (ApiSchema,), {
        "__doc__": f"A page of {item_schema.__name__}.",
        "items": fields.List(fields.Nested(item_schema)), "page": fields.Integer(),
        "per_page": fields.Integer(), "total": fields.Integer()})


def page_args() -> tuple[int, int]:
    """Read and check the paging query arguments (422 naming `page` or `per_page` when they are wrong)."""
    args = PageArgs().load({key: request.args[key] for key in ("page", "per_page") if key in request.args})
    return args["page"], args["per_page"]


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


class BadJson(DomainError):
    """The body is not a JSON object: API.md's bad request, whichever endpoint it was sent to."""

    status = 400
    code = "bad_json"
    message = "请发送 JSON 格式的数据（Content-Type: application/json）。"


def json_object() -> dict:
    """The request body as a JSON object, or 400 bad_json in Chinese."""
    data = request.get_json(silent=True)
    if data is None:
        raise BadJson()
    if not isinstance(data, dict):
        raise BadJson("请发送 JSON 对象，例如 {\"phone\": \"…\"}。")
    return data


def api_blueprint(name: str, description: str) -> Blueprint:
    """An area's JSON blueprint under /api/v1, its description the heading of its OpenAPI section."""
    return Blueprint(name, __name__, url_prefix=API_PREFIX, description=description)


def page_of(query: sa.Select, page: int, per_page: int) -> tuple[list, bool]:
    """One page of rows and whether another follows (one extra row fetched, no COUNT over a big table)."""
    page = min(page, MAX_PAGE)
    rows = db.session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).scalars().all()
    return rows[:per_page], len(rows) > per_page


def init_api(app: Flask) -> Api:
    """Bounded ids in every URL, and the JSON API's OpenAPI document with its error envelope and bearer scheme."""
    app.url_map.converters["int"] = DatabaseId  # before any blueprint adds a rule
    api = DocumentedApi(app, spec_kwargs={"info": {"description": "村务码上监督 JSON API (v1)；约定见 API.md。"}})
    add_security_scheme(api)
    app.extensions["smorest_api"] = api
    return api


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def _cursor(moment: datetime, row_id: int) -> str:
    """Where a page starts or ends: a row's time (whole microseconds) and id."""
    return f"{(moment - _EPOCH) // _MICROSECOND}-{row_id}"


def _position(cursor: str | None) -> tuple | None:
    """(time, id) of a cursor, or None when it is missing or malformed (then the newest page is shown)."""
    try:
        micros, row_id = (int(part) for part in (cursor or "").split("-"))
        return _EPOCH + micros * _MICROSECOND, row_id
    except (ValueError, OverflowError):
        return None


def keyset_page(query: sa.Select, moment, ident, older_than: str | None, newer_than: str | None,
                per_page: int) -> tuple[list, str | None, str | None]:
    """One page of a newest-first list by keyset: (rows, cursor of the page after, cursor of the page before).

    `query` is ordered by (moment desc, ident desc); `moment` and `ident` are its two columns. However
    deep a person pages, the database seeks the cursor in an index and reads one page, never the
    rows before it (OFFSET read 20,002 rows for page 1000).
    """
    key = sa.tuple_(moment, ident)
    older, newer = _position(older_than), _position(newer_than)
    if newer is not None:
        rows = list(db.session.execute(query.where(key > newer).order_by(None).order_by(moment, ident)
                                       .limit(per_page + 1)).scalars())
        has_newer, rows = len(rows) > per_page, rows[:per_page][::-1]
        has_older = bool(rows)
    else:
        if older is not None:
            query = query.where(key < older)
        rows = list(db.session.execute(query.limit(per_page + 1)).scalars())
        has_older, rows = len(rows) > per_page, rows[:per_page]
        has_newer = older is not None and bool(rows)

    def cursor(row) -> str:
        return _cursor(getattr(row, moment.key), getattr(row, ident.key))

    return rows, cursor(rows[-1]) if rows and has_older else None, cursor(rows[0]) if rows and has_newer else None
