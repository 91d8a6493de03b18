"""JSON endpoints of the citizen area: scanned codes, code management, reports and tracking."""
import json

import sqlalchemy as sa
from flask import current_app, make_response, request
from flask_smorest import Blueprint

from accounts.authz import authorize, village_by_slug
from citizen import casefile, posters, qrcodes, queues, throttle, tracking
from citizen.durability import commit_with_files, save_report
from citizen.models import Report
from citizen.photos import decoded_photos, uploaded_photos
from citizen.lifecycle import appeal_report, rate_report
from citizen.reporting import add_reporter_message, submit_report
from citizen.schemas import (AppealInSchema, CodeInSchema, MessageInSchema, OwnReportSchema, PublicCodeSchema, RatingInSchema,
                             ReportInSchema, ReporterCaseSchema, StaffCodeSchema, SubmittedSchema)
from citizen.storage import Batch
from errors import Invalid
from disclosure.lookup import count_published
from extensions import db
from jsonapi import api_user, json_object, paginate

blp = Blueprint("citizen_api", __name__, url_prefix="/api/v1", description="码上监督与一键监督")


def _staff_code(row) -> dict:
    """A code for the management list."""
    return {"code": row.code, "kind": row.kind, "label": row.label, "active": row.active,
            "url": qrcodes.public_url(row), "target_id": row.target_id}


@blp.route("/q/<code>", methods=["GET"])
@blp.response(200, PublicCodeSchema)
def scanned_code(code: str):
    """What a code is and where it leads (public); a revoked code still answers, with active false."""
    row = qrcodes.get_code(code)
    return {"code": row.code, "kind": row.kind, "label": row.label, "active": row.active,
            "village": {"slug": row.village.slug, "name": row.village.name},
            "target": {"type": row.kind, "id": row.target_id,
                       "url": current_app.config["BASE_URL"] + qrcodes.target_url(row)}}


@blp.route("/villages/<slug>/codes", methods=["GET"])
def village_codes(slug: str):
    """A village's codes (its clerk, township staff)."""
    api_user()
    village = village_by_slug(slug)
    authorize("village.manage_codes", village)
    page = paginate(qrcodes.village_codes(village), _Rows())
    return page


class _Rows:
    """paginate() wants a schema; the staff list is built by _staff_code."""

    def dump(self, rows, many=True):
        """Dump rows the staff way."""
        return StaffCodeSchema().dump([_staff_code(r) for r in rows], many=True)


@blp.route("/villages/<slug>/codes", methods=["POST"])
@blp.response(201, StaffCodeSchema)
def create_code(slug: str):
    """A new code: township staff any kind, clerks disclosure codes of their village."""
    user = api_user()
    village = village_by_slug(slug)
    authorize("village.manage_codes", village)
    data = CodeInSchema().load(json_object())
    authorize("qr.create", (village, data["kind"]))
    row = qrcodes.create_code(village, data["kind"], data["target_id"], data["label"], user)
    db.session.commit()
    return _staff_code(row)


@blp.route("/codes/<code>/revoke", methods=["POST"])
@blp.response(200, StaffCodeSchema)
def revoke_code(code: str):
    """Withdraw a code (township staff)."""
    api_user()
    row = qrcodes.get_code(code)
    authorize("qr.manage", row.village)
    qrcodes.revoke_code(row)
    db.session.commit()
    return _staff_code(row)


@blp.route("/codes/<code>/poster.<fmt>", methods=["GET"])
def code_poster(code: str, fmt: str):
    """The code's A4 poster as PNG or PDF."""
    api_user()
    row = qrcodes.get_code(code)
    authorize("village.manage_codes", row.village)
    if fmt not in ("png", "pdf"):
        raise Invalid("海报只有 png 和 pdf 两种格式。", code="bad_format")
    data = posters.poster_png(row) if fmt == "png" else posters.poster_pdf([row])
    response = make_response(data)
    response.headers["Content-Type"] = "image/png" if fmt == "png" else "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="poster-{row.code}.{fmt}"'
    return response


@blp.route("/villages/<slug>/reports", methods=["POST"])
@throttle.submit_per_address
@throttle.submit_per_client
@blp.response(201, SubmittedSchema)
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


@blp.route("/track/<code>", methods=["GET"])
@throttle.wrong_codes_per_address
@throttle.wrong_codes
@blp.response(200, ReporterCaseSchema)
def track(code: str):
    """A case as its reporter sees it (public, by tracking code)."""
    return casefile.api_case(tracking.find_by_code(code))


@blp.route("/track/<code>/messages", methods=["POST"])
@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@blp.response(201)
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


@blp.route("/track/<code>/rating", methods=["POST"])
@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@blp.response(200, ReporterCaseSchema)
def rate(code: str):
    """The reporter rates the answer (public, by tracking code)."""
    report = tracking.find_by_code(code)
    data = RatingInSchema().load(json_object())
    rate_report(report, data["rating"], data.get("comment"))
    db.session.commit()
    return casefile.api_case(report)


@blp.route("/track/<code>/appeal", methods=["POST"])
@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": AppealInSchema}}})
@blp.response(200, ReporterCaseSchema)
@blp.alt_response(409, description="不能申请复核：只有村监会不予受理的反映，且只能申请一次（invalid_transition）")
@blp.alt_response(422, description="没写理由，或超过1000个字")
def appeal(code: str):
    """The reporter asks the township to review a rejection, once (public, by tracking code)."""
    report = tracking.find_by_code(code)
    data = AppealInSchema().load(json_object())
    appeal_report(report, data["reason"])
    db.session.commit()
    return casefile.api_case(report)


@blp.route("/me/reports", methods=["GET"])
@blp.response(200)
def my_reports():
    """The caller's own named reports, newest first."""
    user = api_user()
    query = sa.select(Report).where(Report.user_id == user.id).order_by(Report.created_at.desc(), Report.id.desc())
    return paginate(query, OwnReportSchema())


@blp.route("/villages/<slug>", methods=["GET"])
def village(slug: str):
    """A village as anyone sees it: its name, township, and how much is published, open and answered."""
    village = village_by_slug(slug)
    counts = {"disclosures": count_published(village), **queues.village_counts(village)}
    return {"slug": village.slug, "name": village.name,
            "township": {"slug": village.township.slug, "name": village.township.name}, "counts": counts}
