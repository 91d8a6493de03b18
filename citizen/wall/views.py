"""Pages of the wall (回音壁): answered cases the reporter allowed and the handler published; flags; moderation."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

import clock
from accounts.authz import authorize, village_by_slug, village_ids_for
from accounts.ratelimit import address_only_key
from citizen.reports import lifecycle
from citizen.reports.models import CATEGORIES
from citizen.wall import entries as wall
from citizen.wall.forms import FlagForm, ModerateForm
from citizen.wall.models import FLAG_REASONS
from errors import NotFound
from extensions import db, limiter
from webforms import REFUSALS, refusal

PER_PAGE = 20


def entry_view(report) -> dict:
    """A wall entry as villagers read it: never the reporter, never unpublished photos."""
    photos = [url_for("reports.photo", photo_id=p.id) for p in report.photos if p.public]
    return {"id": report.id, "category": report.category, "public_text": report.public_text, "reply": report.reply,
            "rating": lifecycle.RATING_WORDS.get(report.rating or ""), "created_at": clock.local(report.created_at),
            "answered_at": clock.local(report.answered_at), "photos": photos}


def wall_page(slug: str):
    """Newest first, twenty at a time, filterable by category; 下一页 and 上一页 carry where the page ends (keyset)."""
    village = village_by_slug(slug)
    category = request.args.get("category") if request.args.get("category") in CATEGORIES else None
    rows, older, newer = wall.wall_page(village, category, request.args.get("older"), request.args.get("newer"),
                                        PER_PAGE)
    return render_template("wall/wall.html", village=village, entries=[entry_view(r) for r in rows], older=older,
                           newer=newer, category=category, categories=CATEGORIES)


@limiter.limit("60 per hour", key_func=address_only_key, methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"])
def flag(slug: str, report_id: int):
    """Anyone may flag an entry (不实 / 泄露隐私 / 其他); it goes to the moderators, it hides nothing."""
    village = village_by_slug(slug)
    report = wall.wall_entry(village, report_id)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            wall.flag_entry(report, form.reason.data or "", form.text.data)
            db.session.commit()
        except NotFound:
            raise  # taken off the wall meanwhile: the 404 page, as for a missing entry
        except REFUSALS as exc:
            db.session.rollback()
            refused = refusal(exc)
            return render_template("wall/flag.html", village=village, entry=entry_view(report), reasons=FLAG_REASONS,
                                   error=refused.message, form=form.posted()), refused.status
        flash("谢谢，已转给村监会和镇里查看。")
        return redirect(url_for("wall.wall", slug=slug))
    return render_template("wall/flag.html", village=village, entry=entry_view(report), reasons=FLAG_REASONS,
                           error=None, form={})


def moderation():
    """Flagged and hidden wall entries this person may moderate."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    authorize("wall.moderation", user)
    return _moderation_page(user)


def _moderation_page(user, refused_id: int | None = None, typed: dict | None = None, refused=None):
    """The moderation list; after a refusal, its message, and the reason typed kept on its entry."""
    villages = village_ids_for(user, "committee", "inspector", "township")
    entries = [dict(e, answered_at=clock.local(e["report"].answered_at),
                    reason=(typed or {}).get("reason", "") if e["report"].id == refused_id else "")
               for e in wall.moderation_list(user, villages)]
    return render_template("triage/moderation.html", entries=entries,
                           error=refused.message if refused else None), refused.status if refused else 200


def moderate(report_id: int):
    """Hide, restore, or dismiss the flags of a wall entry, with a reason on the record."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    authorize("wall.moderation", user)
    report = wall.entry_to_moderate(report_id, user)
    form = ModerateForm()
    action = form.action.data
    try:
        if action == "dismiss":
            wall.dismiss_flags(report, user)
            message = "已处理举报，内容保留。"
        else:
            wall.set_hidden(report, user, action == "hide", form.reason.data)
            message = "已撤下，并记录了理由。" if action == "hide" else "已恢复上墙，并记录了理由。"
        db.session.commit()
    except NotFound:
        raise  # outside this moderator's villages: the 404 page, as for a missing entry
    except REFUSALS as exc:
        db.session.rollback()
        return _moderation_page(user, report.id, form.posted(), refusal(exc))
    flash(message)
    return redirect(url_for("wall.moderation"))
