"""JSON endpoints of the desks, the wall and the township overview."""
import sqlalchemy as sa
from flask import request
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from accounts.authz import authorize, township_ids_for, village_by_slug, village_ids_for
from accounts.models import Township, Village
from accounts.ratelimit import address_only_key
from citizen import desk_case, lifecycle, notify, overview, queues, wall
from citizen.models import Report
from citizen.triage_models import Notification, ReplyTemplate
from citizen.triage_schemas import (ActionInSchema, DeskFilterSchema, FlagInSchema, HandlerCaseRowSchema,
                                    HandlerCaseSchema, ModerationInSchema, OwnNotificationSchema,
                                    PublicWallEntrySchema, VillageHealthSchema)
from errors import Invalid, NotFound
from extensions import db, limiter
from jsonapi import api_user, json_object, paginate

blp = Blueprint("triage_api", __name__, url_prefix="/api/v1", description="村监会、镇纪委工作台与回音壁")


@blp.route("/villages/<slug>/wall", methods=["GET"])
def village_wall(slug: str):
    """Public: the village's wall, newest first, `?category=` optional."""
    village = village_by_slug(slug)
    category = request.args.get("category") or None
    query = queues.wall_query(village, category)
    return paginate(query, PublicWallEntrySchema())


@blp.route("/villages/<slug>/wall/<int:report_id>/flags", methods=["POST"])
@limiter.limit("60 per hour", key_func=address_only_key)
@limiter.limit("5 per hour")
@blp.response(201)
def flag_wall_entry(slug: str, report_id: int):
    """Public: flag a wall entry (untrue / privacy / other); it hides nothing by itself."""
    data = FlagInSchema().load(json_object())
    report = wall.wall_entry(village_by_slug(slug), report_id)
    flag = wall.flag_entry(report, data["reason"], data["text"])
    db.session.commit()
    return {"id": flag.id, "reason": flag.reason}


@blp.route("/triage/reports", methods=["GET"])
def desk_reports():
    """The caller's desk: open cases by default, most urgent first; `?status=&level=&colour=`."""
    user = api_user()
    authorize("triage.desk", user)
    args = DeskFilterSchema().load({k: v for k, v in request.args.items() if k in ("status", "level", "colour") and v})
    query = queues.desk_query(user, **args).options(selectinload(Report.village))
    return paginate(query, HandlerCaseRowSchema())


@blp.route("/triage/reports/<int:report_id>", methods=["GET"])
@blp.response(200, HandlerCaseSchema)
def desk_report(report_id: int):
    """One case for its handler (404 outside scope, and for a committee member it names)."""
    user = api_user()
    return desk_case.find_case(report_id, user)


@blp.route("/triage/reports/<int:report_id>/actions", methods=["POST"])
@blp.response(200, HandlerCaseSchema)
def desk_action(report_id: int):
    """accept / reject / answer / escalate / message; 409 when the status does not allow it."""
    user = api_user()
    report = desk_case.find_case(report_id, user)
    data = ActionInSchema().load(json_object())
    if data["action"] == "duplicate":
        main = db.session.get(Report, data["main_id"] or 0)
        if main is None:
            raise Invalid("请填写主件的编号。", fields={"main_id": ["没有这个编号的反映。"]})
        lifecycle.mark_duplicate(report, main, user, data["text"])
    else:
        # "escalate" by an inspector on an overdue village case is the takeover; the lifecycle tells them apart.
        lifecycle.perform(report, user, data["action"], data["text"], data["public_text"], data["publish"],
                          data["publish_photos"])
    db.session.commit()
    return report


@blp.route("/triage/wall/<int:report_id>/moderation", methods=["POST"])
@blp.response(200)
def moderate_wall_entry(report_id: int):
    """Hide or restore a wall entry (committee of the village, township staff, inspectors); never by flag count."""
    user = api_user()
    data = ModerationInSchema().load(json_object())
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound()
    record = wall.set_hidden(report, user, data["action"] == "hide", data["reason"])
    db.session.commit()
    return {"id": report.id, "hidden": report.wall_hidden, "action": record.action, "reason": record.reason}


@blp.route("/triage/notifications", methods=["GET"])
def my_notifications():
    """The caller's notices, newest first, with the unread count."""
    user = api_user()
    authorize("triage.moderation", user)
    query = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    return dict(paginate(query, OwnNotificationSchema()), unread=notify.unread_count(user))


@blp.route("/triage/reply-templates", methods=["GET"])
def reply_templates():
    """The reply templates of the caller's township(s), to pick and edit when answering."""
    user = api_user()
    authorize("triage.desk", user)
    townships = sa.select(Village.township_id).where(Village.id.in_(village_ids_for(user, "committee", "inspector")))
    rows = db.session.execute(sa.select(ReplyTemplate).where(ReplyTemplate.township_id.in_(townships))
                              .order_by(ReplyTemplate.title)).scalars()
    items = [{"id": t.id, "title": t.title, "body": t.body} for t in rows]
    return {"items": items, "page": 1, "per_page": len(items), "total": len(items)}


@blp.route("/township/villages", methods=["GET"])
def township_villages():
    """Township staff / inspectors: per village figures and health colour."""
    user = api_user()
    ids = sorted(township_ids_for(user, "township", "inspector"))
    township = db.session.get(Township, ids[0]) if ids else None
    authorize("township.oversee", township, user)
    rows = overview.township_rows(township, request.args.get("sort", "health"))
    items = VillageHealthSchema().dump(rows, many=True)
    return {"items": items, "page": 1, "per_page": len(items), "total": len(items)}
