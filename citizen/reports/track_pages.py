"""Follow-up pages: find a case by tracking code (or under 我的), add information, rate the reply, appeal a rejection."""
import sqlalchemy as sa
from flask import redirect, render_template, url_for
from flask_login import current_user

from citizen.reports import casefile, throttle, tracking
from citizen.reports.durability import commit_with_files
from citizen.reports.forms import AppealForm, MessageForm, RatingForm, TrackForm
from citizen.reports.models import Report
from citizen.reports.photos import uploaded_photos
from citizen.reports.lifecycle import RATING_WORDS, appeal_report, rate_report
from citizen.reports.filing import add_reporter_message
from citizen.reports.schemas import AppealInSchema, MessageInSchema, RatingInSchema
from storage import Batch
from errors import NotFound, Unauthorized
from extensions import db
from webforms import REFUSALS, refusal


@throttle.wrong_codes_per_address
@throttle.wrong_codes
def track():
    """Enter a tracking code; a right one opens the case page."""
    form = TrackForm()
    if form.validate_on_submit():
        code = form.code.data or ""
        try:
            tracking.find_by_code(code)  # only to tell a wrong code here (the throttle counts its 404)
        except tracking.CodeNotFound as exc:
            refused = refusal(exc)
            return render_template("citizen/track.html", error=refused.message, code=code[:40]), refused.status
        return redirect(url_for("reports.track_code", code=tracking.pretty(code)))
    throttle.mark_browser()
    return render_template("citizen/track.html", error=None, code="")


@throttle.wrong_codes_per_address
@throttle.wrong_codes
def track_code(code: str):
    """The case page reached by tracking code."""
    report = tracking.find_by_code(code)
    return _case_page(report, _code_urls(code))


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
def track_message(code: str):
    """The reporter (by code) adds information or photos."""
    report = tracking.find_by_code(code)
    return _add_message(report, _code_urls(code))


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
def track_rating(code: str):
    """The reporter (by code) rates the reply."""
    report = tracking.find_by_code(code)
    return _rate(report, _code_urls(code))


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@throttle.reporter_writes
def track_appeal(code: str):
    """The reporter (by code) asks the township to review a rejection."""
    report = tracking.find_by_code(code)
    return _appeal(report, _code_urls(code))


def my_reports():
    """我的反映: a named reporter's own reports."""
    user = _villager()
    reports = db.session.execute(sa.select(Report).where(Report.user_id == user.id)
                                 .order_by(Report.created_at.desc()).limit(100)).scalars().all()
    items = [{"url": url_for("reports.my_report", report_id=r.id), "category": r.category,
              "content": r.content[:40], "status_word": casefile.STATUS_WORDS[r.status],
              "created": casefile.shown_time(r.created_at), "village": r.village.name} for r in reports]
    return render_template("citizen/my_reports.html", items=items)


def my_report(report_id: int):
    """One of my named reports."""
    report = _own_report(report_id)
    return _case_page(report, _own_urls(report))


@throttle.reporter_writes
def my_report_message(report_id: int):
    """Add information to one of my named reports."""
    report = _own_report(report_id)
    return _add_message(report, _own_urls(report))


@throttle.reporter_writes
def my_report_rating(report_id: int):
    """Rate the reply to one of my named reports."""
    report = _own_report(report_id)
    return _rate(report, _own_urls(report))


@throttle.reporter_writes
def my_report_appeal(report_id: int):
    """Ask the township to review the rejection of one of my named reports."""
    report = _own_report(report_id)
    return _appeal(report, _own_urls(report))


def _code_urls(code: str) -> dict:
    """The case page and its forms, reached by tracking code."""
    base = tracking.pretty(code)
    return {"page": url_for("reports.track_code", code=base), "message": url_for("reports.track_message", code=base),
            "rating": url_for("reports.track_rating", code=base), "appeal": url_for("reports.track_appeal", code=base)}


def _own_urls(report: Report) -> dict:
    """The case page and its forms, reached from 我的."""
    return {"page": url_for("reports.my_report", report_id=report.id),
            "message": url_for("reports.my_report_message", report_id=report.id),
            "rating": url_for("reports.my_report_rating", report_id=report.id),
            "appeal": url_for("reports.my_report_appeal", report_id=report.id)}


def _villager():
    """The logged-in person, or the login page."""
    if not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()


def _own_report(report_id: int) -> Report:
    """A report the logged-in person filed under their name; anything else is 404."""
    user = _villager()
    report = db.session.get(Report, report_id)
    if report is None or report.user_id != user.id:
        raise NotFound()
    return report


def _case_page(report: Report, urls: dict, errors=None, status=200, text: str = "", reason: str = ""):
    """Render the case with the reporter's forms (what they typed kept in `text` and `reason`)."""
    return render_template("citizen/case.html", case=casefile.case_view(report), urls=urls,
                           ratings=RATING_WORDS, errors=errors or [], text=text, reason=reason), status


def _add_message(report: Report, urls: dict):
    """Shared by code and account: validate, store with photos, commit, back to the case."""
    form, batch = MessageForm(), Batch()
    try:
        data = MessageInSchema().load(form.posted())
        photos = uploaded_photos(form.photos.data or [])
        add_reporter_message(report, data["text"], photos, batch)
        commit_with_files(batch)
    except REFUSALS as exc:
        db.session.rollback()
        batch.discard()
        refused = refusal(exc)
        return _case_page(report, urls, errors=refused.messages, status=refused.status, text=form.text.data or "")
    return redirect(urls["page"] + "#messages")


def _rate(report: Report, urls: dict):
    """Shared by code and account: store the rating once."""
    form = RatingForm()
    try:
        data = RatingInSchema().load(form.posted())
        rate_report(report, data["rating"], data.get("comment"))
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        refused = refusal(exc)
        return _case_page(report, urls, errors=refused.messages, status=refused.status)
    return redirect(urls["page"])


def _appeal(report: Report, urls: dict):
    """Shared by code and account: send a rejected case to the township once, then back to the case."""
    form = AppealForm()
    try:
        data = AppealInSchema().load(form.posted())
        appeal_report(report, data["reason"])
        db.session.commit()
    except REFUSALS as exc:
        db.session.rollback()
        refused = refusal(exc)
        return _case_page(report, urls, errors=refused.messages, status=refused.status,
                          reason=(form.reason.data or "")[:1000])
    return redirect(urls["page"])
