"""Villagers' report pages: the report form, the one-time code page, and guarded photos."""
from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.authz import allowed, village_by_slug
from citizen.reports import done_page, subjects, throttle, tracking
from citizen.reports.durability import save_report
from citizen.reports.filing import submit_report
from citizen.reports.forms import ReportForm
from citizen.reports.models import CATEGORIES, ReportPhoto
from citizen.reports.photos import uploaded_photos
from citizen.reports.schemas import ReportInSchema
from storage import photo_store
from disclosure import lookup
from errors import Invalid, NotFound
from extensions import db
from webforms import REFUSALS, Refusal, refusal


def private_headers(response):
    """Report and case pages send no Referer anywhere (a case URL carries its code) and are never cached."""
    response.headers["Referrer-Policy"] = "no-referrer"
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


@throttle.submit_per_address
@throttle.submit_per_client
def report_form(slug: str):
    """一键监督: the form, and filing it (the code is shown once on the next page)."""
    form = ReportForm()
    if form.validate_on_submit():
        return _submit(slug, form)
    village = village_by_slug(slug)
    throttle.mark_browser()
    values = {"subject": request.args.get("subject", ""), "anonymous": "1", "category": "",
              "form_token": tracking.issue_form_token(throttle.client_binding())}
    notice, status = None, 200
    try:
        subject = subjects.resolve_subject(village, subjects.parse_subject(values["subject"]))
    except Invalid as exc:
        subject, values["subject"] = None, ""
        notice, status = exc.message + "您仍可以直接填写反映。", 422
    return _form_page(village, values, subject=subject, notice=notice), status


def _submit(slug: str, form: ReportForm):
    """Check and clean, then file, commit (photos first) and redirect to the one-time code page.

    Photos are re-encoded before the database is first touched: a writing request holds SQLite's
    write lock from its first query, and other villagers' writes should not wait on Pillow.
    """
    values = form.posted()
    values.setdefault("anonymous", "1")
    values["form_token"] = tracking.accepted_form_token(values.get("form_token"), throttle.client_binding())
    try:
        data = ReportInSchema().load(values)
        photos = uploaded_photos(form.photos.data or [])
    except REFUSALS as exc:
        return _refused(village_by_slug(slug), values, refusal(exc))
    village = village_by_slug(slug)
    try:
        user = current_user._get_current_object() if current_user.is_authenticated else None
        submission = save_report(
            lambda batch: submit_report(village, data, photos, batch, None if data["anonymous"] else user,
                                        data["form_token"]), data["form_token"])
    except REFUSALS as exc:
        db.session.rollback()
        return _refused(village, values, refusal(exc))
    response = redirect(url_for("reports.report_done", slug=village.slug))
    done_page.remember(response, village.slug, submission.tracking_code, submission.report.level,
                       submission.report.anonymous)
    return response


def _refused(village, values: dict, refused: Refusal):
    """The form again with what was typed, each message, and the refusal's status."""
    notice = None if refused.from_schema else refused.message
    return _form_page(village, values, errors=refused.fields, notice=notice), refused.status


def _form_page(village, values: dict, subject=None, errors: dict | None = None, notice: str | None = None):
    """Render the report form with what was typed and what to fix."""
    if subject is None and values.get("subject"):
        try:
            subject = subjects.resolve_subject(village, subjects.parse_subject(values["subject"]))
        except Invalid:
            values["subject"] = ""
    cadres = subjects.village_cadres(village)
    messages = [m for msgs in (errors or {}).values() for m in (msgs if isinstance(msgs, list) else [msgs])]
    return render_template(
        "citizen/report_form.html", village=village, values=values, categories=CATEGORIES,
        cadres=[{"id": c.id, "label": f"{c.name}（{c.post}）"} for c in cadres],
        subject_text=lookup.describe_subject(subject) if subject is not None else None,
        errors=errors or {}, messages=messages, notice=notice,
        logged_in=current_user.is_authenticated,
        login_url=url_for("accounts.login_sms", next=url_for("reports.report_form", slug=village.slug)))


def report_done(slug: str):
    """The tracking code, big, with a copy button; kept on this phone for a few minutes, so a reload still shows it."""
    village = village_by_slug(slug)
    shown = done_page.recall(village.slug)
    named = bool(shown) and not shown["anonymous"] and current_user.is_authenticated
    response = make_response(render_template("citizen/report_done.html", village=village, shown=shown, named=named,
                                             notifications_url=url_for("notify.preferences")))
    response.headers["Cache-Control"] = "no-store"
    return response


def photo(photo_id: int):
    """A report photo: by the capability in the reporter's case-page link, for the case's handlers, or all once on the wall."""
    row = db.session.get(ReportPhoto, photo_id)
    size = "thumb" if request.args.get("size") == "thumb" else ""
    if row is None or not (row.on_wall or tracking.photo_key_valid(row.id, size, request.args.get("k"))
                           or allowed("report.view", row.report)):
        raise NotFound()
    key = row.thumb_key if size else row.storage_key
    try:
        data = photo_store().read(key)
    except FileNotFoundError:
        raise NotFound("照片文件不见了。") from None
    response = make_response(data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
