"""Domain errors carrying their HTTP status and Chinese message, and the one handler that shows them."""
import logging

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule refused the request; `message` is what the person reads."""

    status = 400
    code = "bad_request"
    message = "请求有误，请检查后重试。"

    def __init__(self, message: str | None = None, *, code: str | None = None, fields: dict | None = None,
                 extra: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields
        self.extra = extra or {}


class NotFound(DomainError):
    """Missing, or outside the caller's scope: both look the same from outside."""

    status = 404
    code = "not_found"
    message = "找不到这个页面或内容。"


class Unauthorized(DomainError):
    """The caller must log in first."""

    status = 401
    code = "login_required"
    message = "请先登录。"


class Conflict(DomainError):
    """The action does not fit the current state."""

    status = 409
    code = "conflict"
    message = "当前状态下不能这样操作。"


class Invalid(DomainError):
    """Input that fails validation; `fields` says which and why."""

    status = 422
    code = "validation_error"
    message = "填写的内容有误，请按提示修改。"


HTTP_MESSAGES = {
    400: ("bad_request", "请求格式有误，请检查后重试。"),
    401: ("login_required", "请先登录。"),
    403: ("forbidden", "您没有权限做这件事。"),
    404: ("not_found", "找不到这个页面或内容。"),
    405: ("method_not_allowed", "不支持这种操作方式。"),
    409: ("conflict", "当前状态下不能这样操作。"),
    413: ("too_large", "上传的内容太大了，请减少照片数量或换小一点的文件。"),
    415: ("unsupported_media_type", "不支持这种文件或数据格式。"),
    422: ("validation_error", "填写的内容有误，请按提示修改。"),
    429: ("too_many_requests", "操作太频繁了，请稍后再试。"),
    # Never claim something was saved: a 500 may come before or after the commit.
    500: ("server_error", "系统出了点问题，这次操作可能没有完成。请稍后再试；如果是提交反映，请看是否收到了查询码，"
                          "没有收到就再提交一次。"),
}
BUSY_MESSAGE = "现在使用的人太多，刚才的操作没有完成，什么都没有改变。请过几秒再试一次。"


def wants_json() -> bool:
    """API paths answer JSON; pages answer WeUI message pages."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None, extra: dict | None = None):
    """Render one error in the API.md JSON shape or as a Chinese message page."""
    if wants_json():
        body = {"code": code, "message": message}
        if fields:
            body["fields"] = fields
        body.update(extra or {})
        return jsonify(error=body), status
    return render_template("errors/message.html", status=status, message=message, fields=fields), status


def register_error_handlers(app: Flask) -> None:
    """Turn domain errors, validation errors and HTTP errors into one consistent answer."""

    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        if isinstance(err, Unauthorized) and not wants_json():
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        return error_response(err.status, err.code, err.message, err.fields, err.extra)

    @app.errorhandler(ValidationError)
    def _validation(err: ValidationError):
        fields = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        return error_response(422, "validation_error", HTTP_MESSAGES[422][1], fields)

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):
        if wants_json():
            return error_response(400, "csrf_failed", "安全校验失败：请在请求头 X-CSRFToken 中带上页面的令牌。")
        return _resubmit_page("页面停留太久或已在别处退出，为了安全需要您再确认一次。", 400)

    @app.errorhandler(OperationalError)
    def _database(err: OperationalError):
        from transactions import is_busy

        if not is_busy(err):
            return _unexpected(err)
        # A write waited the whole busy timeout behind other writers: nothing changed, try again.
        log.warning("write gave up waiting for the database on %s %s", request.method, request.endpoint)
        if wants_json() or request.method != "POST" or not request.form:
            body, status = error_response(503, "busy", BUSY_MESSAGE)
        else:
            body, status = _resubmit_page("现在使用的人太多，刚才没有保存成功，什么都没有改变。", 503)
        response = app.make_response((body, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(RecursionError)
    def _too_deep(err):
        # Deeply nested JSON makes the parser recurse; that is bad input, not a crash.
        return error_response(400, "bad_request", "数据嵌套太深，请检查格式。")

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        code, message = HTTP_MESSAGES.get(status, ("error", err.description or "请求有误。"))
        fields = None
        data = getattr(err, "data", None)  # webargs puts marshmallow messages here
        if isinstance(data, dict) and data.get("messages"):
            fields = _flatten_locations(data["messages"])
        if status == 400 and data and not fields:
            message = "数据格式有误：请发送 JSON 对象。"
        body, status = error_response(status, code, message, fields)
        response = app.make_response((body, status))
        if status == 405:
            response.headers.update({k: v for k, v in err.get_headers() if k == "Allow"})
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        return error_response(500, *HTTP_MESSAGES[500])


def _resubmit_page(notice: str, status: int):
    """Show what the person typed back in a form with a fresh token, so one tap sends it again."""
    kept = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token" and "password" not in k]
    return render_template("errors/resubmit.html", notice=notice, fields=kept,
                           action=request.full_path.rstrip("?"), had_files=bool(request.files)), status


def _flatten_locations(messages: dict) -> dict:
    """webargs nests errors under a location ("json", "form"); callers only need field names."""
    if set(messages) <= {"json", "form", "query", "files", "headers", "json_or_form"}:
        merged: dict = {}
        for part in messages.values():
            merged.update(part)
        return merged
    return messages
