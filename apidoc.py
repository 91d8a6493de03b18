"""The OpenAPI document (/api/v1/openapi.json): the error envelope, the bearer scheme, and the decorators that
document each operation's body, parameters, security and every status it answers.

The views parse their own input (jsonapi.json_object and the area's schemas); these decorators only describe it,
and tests/api/test_schemathesis.py holds the description to what the served app really answers.
"""
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

BEARER = "bearerAuth"
# flask-smorest's `response` and `doc` decorators need a Blueprint but keep nothing on it: this one, never
# registered, documents the views of every area's api.py, and each area's blueprint.py attaches them.
_DOCUMENTER = Blueprint("api_documenter", __name__)
response = _DOCUMENTER.response
alt_response = _DOCUMENTER.alt_response
doc = Blueprint.doc

# What each error status means, said once; an operation may add its own words (`fails((409, "…"))`).
ERROR_NOTES = {
    400: "请求格式不对：正文不是 JSON 对象（bad_json），或带会话 Cookie 的写操作缺少 X-CSRFToken（csrf_failed）",
    401: "需要登录，或令牌无效、已过期（login_required、invalid_token、token_expired）",
    403: "没有权限",
    404: "不存在，或不在调用者的范围内（not_found）",
    409: "当前状态下不能这样操作",
    413: "上传的内容太大（too_large）",
    415: "不支持这种文件格式",
    422: "填写的内容有误：fields 逐项说明（validation_error）",
    429: "操作太频繁，请稍后再试（too_many_requests）",
}


class RowErrorSchema(Schema):
    """One bad row of an uploaded spreadsheet."""

    row = fields.Integer(allow_none=True)
    field = fields.String(allow_none=True)
    column = fields.String(allow_none=True, metadata={"description": "表格里这一列的中文表头"})
    message = fields.String()


class ErrorDetailSchema(Schema):
    """What went wrong: a snake_case code, a Chinese sentence, and for validation errors each field's messages."""

    class Meta:
        # Some errors carry one more key (an import's `rows`); nothing else is promised.
        unknown = "include"

    code = fields.String(required=True)
    message = fields.String(required=True)
    field_messages = fields.Dict(data_key="fields", keys=fields.String(),
                                 metadata={"description": "每一项的提示：字段名 → 提示列表（嵌套的字段是嵌套的对象）"})
    rows = fields.List(fields.Nested(RowErrorSchema), metadata={"description": "表格导入时每一行的问题"})


class ErrorEnvelopeSchema(Schema):
    """Every error the API answers: `{"error": {"code", "message", "fields"?}}` (API.md)."""

    error = fields.Nested(ErrorDetailSchema, required=True)


class DocumentedApi(Api):
    """flask-smorest's Api with our error envelope, and no catch-all `default` response: each status is listed."""

    ERROR_SCHEMA = ErrorEnvelopeSchema
    DEFAULT_ERROR_RESPONSE_NAME = None


def add_security_scheme(api: Api) -> None:
    """The bearer token of POST /api/v1/auth/login, as the security scheme operations name."""
    api.spec.components.security_scheme(BEARER, {
        "type": "http", "scheme": "bearer",
        "description": "POST /api/v1/auth/login 返回的 token，放在请求头 Authorization: Bearer <token>；"
                       "网页登录后的会话 Cookie 也可以（写操作还要带 X-CSRFToken）。"})


def _with(view, notes: dict, parameters: list | None = None, **extra):
    """Add error answers (merging the words of a status already listed), parameters and other fields to a view."""
    if parameters:
        parameters = [*getattr(view, "_doc_parameters", []), *parameters]
        extra["parameters"] = parameters
    known = dict(getattr(view, "_error_notes", {}))
    for status, note in notes.items():
        if status not in known:
            known[status] = note
        elif note not in known[status]:
            known[status] = f"{known[status]}；{note}"
    responses = {str(status): {"description": note, "content": {"application/json": {"schema": ErrorEnvelopeSchema}}}
                 for status, note in known.items()}
    view = doc(responses=responses, **extra)(view)
    view._error_notes = known
    if parameters:
        view._doc_parameters = parameters
    return view


def fails(*answers):
    """Document error statuses, each a status (its usual words) or `(status, "what it means here")`."""
    def decorate(view):
        notes = dict(a if isinstance(a, tuple) else (a, ERROR_NOTES[a]) for a in answers)
        return _with(view, notes)
    return decorate


def needs_login(view):
    """The operation needs a bearer token (or the session cookie): 401 without one."""
    return _with(view, {401: ERROR_NOTES[401]}, security=[{BEARER: []}])


def may_login(view):
    """Public, but a bearer token is read when sent (a wrong or expired one is 401)."""
    return _with(view, {401: "带了无效或过期的令牌（invalid_token、token_expired）"}, security=[{}, {BEARER: []}])


def body(schema, *, multipart: dict | None = None, required: bool = True):
    """The JSON request body (a marshmallow schema); `multipart` adds a multipart/form-data alternative."""
    def decorate(view):
        content = {"application/json": {"schema": schema}} if schema is not None else {}
        if multipart is not None:
            content["multipart/form-data"] = {"schema": multipart}
        notes = {422: ERROR_NOTES[422]}
        if schema is not None:
            notes[400] = ERROR_NOTES[400]
        return _with(view, notes, requestBody={"required": required, "content": content})
    return decorate


def query(*schemas):
    """Query parameters, one marshmallow schema each (jsonapi.PageArgs for lists); a wrong value is 422."""
    def decorate(view):
        parameters = [{"in": "query", "schema": schema} for schema in schemas]
        return _with(view, {422: ERROR_NOTES[422]}, parameters=parameters)
    return decorate


def header(name: str, description: str, *, required: bool = False, max_length: int | None = None):
    """A request header the operation reads."""
    schema = {"type": "string", **({"maxLength": max_length} if max_length else {})}
    parameter = {"in": "header", "name": name, "required": required, "description": description, "schema": schema}
    return lambda view: _with(view, {}, parameters=[parameter])


def answers(status: int, schema, description: str | None = None):
    """Document the success answer of a view that builds its JSON itself (jsonapi.paginate already dumps)."""
    return alt_response(status, schema=schema, description=description, success=True)


def binary(status: int, *media_types: str, description: str):
    """A success answer that is a file (a poster, a spreadsheet) rather than JSON."""
    content = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
    return doc(responses={str(status): {"description": description, "content": content}})
