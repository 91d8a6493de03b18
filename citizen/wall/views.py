"""The public feedback wall (回音壁): answered cases the reporter allowed and the handler published."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

import clock
from accounts.authz import village_by_slug
from accounts.ratelimit import address_only_key
from citizen import lifecycle, queues, wall
from citizen.models import CATEGORIES
from citizen.triage_models import FLAG_REASONS
from errors import Invalid
from extensions import db, limiter

bp = Blueprint("wall", __name__)
PER_PAGE = 20


def entry_view(report) -> dict:
    """A wall entry as villagers read it: never the reporter, never unpublished photos."""
    photos = [url_for("citizen.photo", photo_id=p.id) for p in report.photos if p.public]
    return {"id": report.id, "category": report.category, "public_text": report.public_text, "reply": report.reply,
            "rating": lifecycle.RATING_WORDS.get(report.rating or ""), "created_at": clock.local(report.created_at),
            "answered_at": clock.local(report.answered_at), "photos": photos}


@bp.route("/v/<slug>/wall", endpoint="wall")
def wall_page(slug: str):
    """Newest first, twenty at a time, filterable by category."""
    village = village_by_slug(slug)
    category = request.args.get("category") if request.args.get("category") in CATEGORIES else None
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    rows, more = queues.page_of(queues.wall_query(village, category), page, PER_PAGE)
    return render_template("wall/wall.html", village=village, entries=[entry_view(r) for r in rows], page=page,
                           more=more, category=category, categories=CATEGORIES)



@bp.route("/v/<slug>/wall/<int:report_id>/flag", methods=["GET", "POST"])
@limiter.limit("60 per hour", key_func=address_only_key, methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"])
def flag(slug: str, report_id: int):
    """Anyone may flag an entry (不实 / 泄露隐私 / 其他); it goes to the moderators, it hides nothing."""
    village = village_by_slug(slug)
    report = wall.wall_entry(village, report_id)
    error, form = None, {}
    if request.method == "POST":
        try:
            wall.flag_entry(report, request.form.get("reason", ""), request.form.get("text"))
        except Invalid as err:
            error, form = err.message, request.form
        else:
            db.session.commit()
            flash("谢谢，已转给村监会和镇里查看。")
            return redirect(url_for("wall.wall", slug=slug))
    return render_template("wall/flag.html", village=village, entry=entry_view(report), reasons=FLAG_REASONS,
                           error=error, form=form), 422 if error else 200
