"""Villagers' pages: village list and home, the QR landing, the report form, and guarded photos."""
import sqlalchemy as sa
from flask import (Blueprint, current_app, make_response, redirect, render_template, request, session,
                   url_for)
from flask_login import current_user
from marshmallow import ValidationError

from accounts.authz import allowed, village_by_slug
from accounts.models import Township
from citizen import code_pages, qrcodes, subjects, throttle, track_pages, tracking, wall
from citizen.durability import save_report
from citizen.models import CATEGORIES, ReportPhoto
from citizen.photos import uploaded_photos
from citizen.reporting import submit_report
from citizen.schemas import ReportInSchema
from citizen.storage import photo_store
from disclosure.freshness import freshness_warning
from errors import DomainError, Invalid, NotFound
from extensions import db
from points.shops import active_shops
from shell import VILLAGE_COOKIE

bp = Blueprint("citizen", __name__)
NEW_CODE_KEY = "new_tracking_code"


@bp.app_context_processor
def _scan_notice():
    """`scan_notice()` for base.html: where the code that brought the villager to a target page is posted."""
    return {"scan_notice": qrcodes.take_any_scan}


@bp.route("/")
def index():
    """Every township with its villages: where a villager starts without a code."""
    townships = db.session.execute(sa.select(Township).order_by(Township.id)).scalars().all()
    return render_template("citizen/index.html", townships=townships)


@bp.route("/v/<slug>")
def village_home(slug: str):
    """A village's home: 三务公开, 一键监督, 回音壁; after a scan, the code's posting place."""
    village = village_by_slug(slug)
    shops = [{"name": shop.name, "address": shop.address, "url": url_for("points.redeem", code=shop.code)}
             for shop in db.session.execute(active_shops(village)).scalars()]
    response = make_response(render_template("citizen/village.html", village=village,
                                             entries=village_entries(village),
                                             scan_label=qrcodes.take_scan_label(village),
                                             freshness_warning=freshness_warning(village), shops=shops))
    response.set_cookie(VILLAGE_COOKIE, village.slug, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def village_entries(village) -> list[dict]:
    """The big entries of a village home; each links to its page once that page exists."""

    def link(endpoint: str) -> str | None:
        return url_for(endpoint, slug=village.slug) if endpoint in current_app.view_functions else None

    return [
        {"title": "三务公开", "desc": "党务、村务、财务，一笔一笔看清楚", "url": link("disclosure.village_disclosures"),
         "icon": "公"},
        {"title": "一键监督", "desc": "发现问题，实名或匿名反映", "url": link("citizen.report_form"), "icon": "督"},
        {"title": "回音壁", "desc": "看看大家反映的事怎么答复的", "url": link("wall.wall"), "icon": "答"},
    ]


@bp.route("/q/<code>")
def qr(code: str):
    """A scanned code: count it, remember its label for the landing page, go to its target."""
    try:
        row = qrcodes.get_code(code)
        if not row.active:
            raise qrcodes.CodeRevoked()
    except (qrcodes.CodeUnknown, qrcodes.CodeRevoked) as exc:
        return render_template("citizen/qr_invalid.html", revoked=isinstance(exc, qrcodes.CodeRevoked),
                               message=exc.message), exc.status
    qrcodes.record_scan(row)
    qrcodes.remember_scan(row)
    return redirect(qrcodes.target_url(row))


@bp.route("/v/<slug>/report", methods=["GET", "POST"])
@throttle.submit_per_address
@throttle.submit_per_client
def report_form(slug: str):
    """一键监督: the form, and filing it (the code is shown once on the next page)."""
    if request.method == "POST":
        return _submit(slug)
    village = village_by_slug(slug)
    throttle.mark_browser()
    values = {"subject": request.args.get("subject", ""), "anonymous": "1", "category": "",
              "form_token": tracking.new_form_token()}
    notice, status = None, 200
    try:
        subject = subjects.resolve_subject(village, subjects.parse_subject(values["subject"]))
    except Invalid as exc:
        subject, values["subject"] = None, ""
        notice, status = exc.message + "您仍可以直接填写反映。", 422
    return _form_page(village, values, subject=subject, notice=notice), status


def _submit(slug: str):
    """Check and clean, then file, commit (photos first) and redirect to the one-time code page.

    Photos are re-encoded before the database is first touched: a writing request holds SQLite's
    write lock from its first query, and other villagers' writes should not wait on Pillow.
    """
    values = request.form.to_dict()
    values.setdefault("anonymous", "1")
    values["form_token"] = values.get("form_token") or tracking.new_form_token()
    try:
        data = ReportInSchema().load(values)
        photos = uploaded_photos(request.files.getlist("photos"))
    except ValidationError as exc:
        return _form_page(village_by_slug(slug), values, errors=exc.messages), 422
    except DomainError as exc:
        return _form_page(village_by_slug(slug), values, errors=exc.fields or {}, notice=exc.message), exc.status
    village = village_by_slug(slug)
    try:
        user = current_user._get_current_object() if current_user.is_authenticated else None
        submission = save_report(
            lambda batch: submit_report(village, data, photos, batch, None if data["anonymous"] else user,
                                        data["form_token"]), data["form_token"])
    except DomainError as exc:
        db.session.rollback()
        return _form_page(village, values, errors=exc.fields or {}, notice=exc.message), exc.status
    session[NEW_CODE_KEY] = {"code": submission.tracking_code, "village": village.slug,
                             "level": submission.report.level}
    return redirect(url_for("citizen.report_done", slug=village.slug))


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
        subject_text=subjects.describe_subject(subject) if subject is not None else None,
        errors=errors or {}, messages=messages, notice=notice,
        logged_in=current_user.is_authenticated,
        login_url=url_for("accounts.login_sms", next=url_for("citizen.report_form", slug=village.slug)))


@bp.route("/v/<slug>/report/done")
def report_done(slug: str):
    """The tracking code, shown once, big, with a copy button; a reload no longer shows it."""
    village = village_by_slug(slug)
    shown = session.pop(NEW_CODE_KEY, None)
    if shown and shown.get("village") != village.slug:
        shown = None
    response = make_response(render_template("citizen/report_done.html", village=village, shown=shown))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/photos/<int:photo_id>")
def photo(photo_id: int):
    """A report photo: for its reporter (by code or account), the case's handlers, or all once on the wall."""
    row = db.session.get(ReportPhoto, photo_id)
    if row is None or not (wall.photo_on_wall(row) or tracking.has_tracked(row.report)
                           or allowed("report.view", row.report)):
        raise NotFound()
    key = row.thumb_key if request.args.get("size") == "thumb" else row.storage_key
    try:
        data = photo_store().read(key)
    except FileNotFoundError:
        raise NotFound("照片文件不见了。") from None
    response = make_response(data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


for _rule, _endpoint, _view, _methods in track_pages.ROUTES + code_pages.ROUTES:
    bp.add_url_rule(_rule, _endpoint, _view, methods=_methods)
