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
from citizen.reports.schemas import (AppealInSchema, MessageInSchema, OwnReportSchema, RatingInSchema, ReportInSchema,
                                     ReporterCaseSchema, SubmittedSchema)
from storage import Batch
from extensions import db
from jsonapi import alt_response, api_user, doc, json_object, paginate, response


@throttle.submit_per_address
@throttle.submit_per_client
@response(201, SubmittedSchema)
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
    token = data["form_token"] or tracking.new_form_token()
    submission = save_report(lambda batch: submit_report(village, data, photos, batch, user, token), token)
    return {"tracking_code": submission.tracking_code, "status": submission.report.status,
            "level": submission.report.level}


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@response(200, ReporterCaseSchema)
def track(code: str):
    """A case as its reporter sees it (public, by tracking code)."""
    return casefile.api_case(tracking.find_by_code(code))


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@response(201)
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
@doc(requestBody={"required": True, "content": {"application/json": {"schema": AppealInSchema}}})
@response(200, ReporterCaseSchema)
@alt_response(409, description="不能申请复核：只有村监会不予受理的反映，且只能申请一次（invalid_transition）")
@alt_response(422, description="没写理由，或超过1000个字")
def appeal(code: str):
    """The reporter asks the township to review a rejection, once (public, by tracking code)."""
    report = tracking.find_by_code(code)
    data = AppealInSchema().load(json_object())
    appeal_report(report, data["reason"])
    db.session.commit()
    return casefile.api_case(report)


@response(200)
def my_reports():
    """The caller's own named reports, newest first."""
    user = api_user()
    query = sa.select(Report).where(Report.user_id == user.id).order_by(Report.created_at.desc(), Report.id.desc())
    return paginate(query, OwnReportSchema())
