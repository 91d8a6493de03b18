"""JSON endpoints of reports: filing one, and following it by tracking code or under 我的."""
import json

import sqlalchemy as sa
from flask import request

from accounts.authz import village_by_slug
from citizen.reports import casefile, throttle, tracking
from citizen.reports.durability import commit_with_files, save_report
from citizen.reports.filing import add_reporter_message, submit_report
from citizen.reports.lifecycle import appeal_report, rate_report
from citizen.reports.models import Report
from citizen.reports.photos import decoded_photos, uploaded_photos
from citizen.reports.schemas import (AppealInSchema, ClientIdSchema, FormTokenSchema, MessageInSchema, MessageOutSchema, OwnReportPageSchema,
                                     OwnReportSchema, RatingInSchema, ReportInSchema, ReporterCaseSchema,
                                     SubmittedSchema, report_multipart)
from storage import Batch
from errors import DomainError, Invalid
from extensions import db
from jsonapi import (PageArgs, answers, api_user, body, fails, header, json_object, may_login, needs_login, paginate,
                     query, response)

CLIENT_ID = "X-Client-Id"
NO_CODE = (404, "没有这个查询码（not_found）；连续猜错会被限制（429）")
TOO_MANY = (429, "提交或猜查询码太频繁，请稍后再试（too_many_requests）")
PHOTOS_TOO_BIG = (413, "照片太大或太多（too_large）")


class TooManyClients(DomainError):
    """This address has minted its client ids for the hour."""

    status = 429
    code = "too_many_clients"
    message = "这个网络这一小时申请的客户端编号太多了，请过一会儿再试。"


@throttle.submit_per_address
@throttle.submit_per_client
@response(201, SubmittedSchema)
@may_login
@header(CLIENT_ID, "客户端编号：限流和表单令牌按它计算，不按账号；不是本站发的编号当作没带")
@body(ReportInSchema, multipart=report_multipart())
@fails((401, "实名反映（anonymous: false）要先登录（login_required）"), (404, "没有这个村（not_found）"), PHOTOS_TOO_BIG,
       (422, "类别、内容、照片或反映对象有误：fields 逐项说明"), TOO_MANY,
       (503, "存储或数据库出错，什么都没有保存，可以原样再提交一次（save_failed）"))
def submit(slug: str):
    """File a report (public): JSON with base64 photos, or multipart with files (cleaned before any query)."""
    if request.mimetype == "multipart/form-data":
        values = request.form.to_dict()
        if values.get("subject", "").startswith("{"):
            try:
                values["subject"] = json.loads(values["subject"])
            except ValueError:
                pass
        photos_of = lambda: uploaded_photos(request.files.getlist("photos"))  # noqa: E731
    else:
        values = json_object()
        photos_of = lambda: decoded_photos(values.get("photos"))  # noqa: E731
    data = ReportInSchema().load(values)
    photos = photos_of()
    village = village_by_slug(slug)
    user = None
    if not data["anonymous"]:
        user = api_user()
    token = tracking.accepted_form_token(data["form_token"], throttle.client_binding())
    submission = save_report(lambda batch: submit_report(village, data, photos, batch, user, token), token)
    return {"tracking_code": submission.tracking_code, "status": submission.report.status,
            "level": submission.report.level}


@response(201, ClientIdSchema)
@fails((429, "这个网络这一小时申请的客户端编号太多了（too_many_clients），或请求太频繁（too_many_requests）"))
def issue_client():
    """A client id for an app or kiosk without a browser session: send it as X-Client-Id (public).

    Limits and form tokens are then this client's own, not shared with everyone behind the same address.
    """
    client_id = throttle.issue_client_id()
    if client_id is None:
        raise TooManyClients()
    return {"client_id": client_id, "header": throttle.CLIENT_HEADER}


@response(200, FormTokenSchema)
@header(CLIENT_ID, "客户端编号（POST /api/v1/clients 取得）；浏览器用它的会话", max_length=80)
@fails((404, "没有这个村（not_found）"), (422, "没有带客户端编号，或编号不是本站发的（client_id_required）"))
def report_token(slug: str):
    """A one-time form token for a report, bound to this client (X-Client-Id, or the browser's session).

    Send it as `form_token` when submitting: a retried submission then files one report and answers
    with the same tracking code, and only to this client.
    """
    village_by_slug(slug)
    binding = throttle.client_binding()
    if binding is None:
        raise Invalid("请先用 POST /api/v1/clients 取得客户端编号，放在请求头 X-Client-Id 里。", code="client_id_required")
    return {"form_token": tracking.issue_form_token(binding)}


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@response(200, ReporterCaseSchema)
@fails(NO_CODE, TOO_MANY)
def track(code: str):
    """A case as its reporter sees it (public, by tracking code)."""
    return casefile.api_case(tracking.find_by_code(code))


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@response(201, MessageOutSchema)
@body(MessageInSchema)
@fails(NO_CODE, (409, "这件反映已办结，不能再补充（invalid_transition）"), PHOTOS_TOO_BIG, TOO_MANY,
       (503, "存储或数据库出错，什么都没有保存（save_failed）"))
def add_message(code: str):
    """The reporter adds information, with photos as base64 strings if any (public, by tracking code)."""
    report = tracking.find_by_code(code)
    body = json_object()
    data = MessageInSchema().load(body)
    photos = decoded_photos(body.get("photos"))
    batch = Batch()
    try:
        message = add_reporter_message(report, data["text"], photos, batch)
    except Exception:
        db.session.rollback()
        batch.discard()
        raise
    commit_with_files(batch)
    return {"id": message.id, "at": message.at.isoformat(), "text": message.text}


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@response(200, ReporterCaseSchema)
@body(RatingInSchema)
@fails(NO_CODE, (409, "还没有答复，或已经评价过（invalid_transition）"), TOO_MANY)
def rate(code: str):
    """The reporter rates the answer (public, by tracking code)."""
    report = tracking.find_by_code(code)
    data = RatingInSchema().load(json_object())
    rate_report(report, data["rating"], data.get("comment"))
    db.session.commit()
    return casefile.api_case(report)


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@response(200, ReporterCaseSchema)
@body(AppealInSchema)
@fails(NO_CODE, (409, "不能申请复核：只有村监会不予受理的反映，且只能申请一次（invalid_transition）"),
       (422, "没写理由，或超过1000个字"), TOO_MANY)
def appeal(code: str):
    """The reporter asks the township to review a rejection, once (public, by tracking code)."""
    report = tracking.find_by_code(code)
    data = AppealInSchema().load(json_object())
    appeal_report(report, data["reason"])
    db.session.commit()
    return casefile.api_case(report)


@answers(200, OwnReportPageSchema)
@needs_login
@query(PageArgs)
def my_reports():
    """The caller's own named reports, newest first."""
    user = api_user()
    query = sa.select(Report).where(Report.user_id == user.id).order_by(Report.created_at.desc(), Report.id.desc())
    return paginate(query, OwnReportSchema())
