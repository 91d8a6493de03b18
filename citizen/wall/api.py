"""JSON endpoints of the wall: the public entries, a flag from anyone, and moderation."""
from flask import request

from accounts.authz import village_by_slug
from accounts.ratelimit import address_only_key
from citizen.wall import entries as wall
from citizen.wall.schemas import FlagInSchema, ModerationInSchema, PublicWallEntrySchema
from extensions import db, limiter
from jsonapi import api_user, json_object, paginate, response


def village_wall(slug: str):
    """Public: the village's wall, newest first, `?category=` optional."""
    village = village_by_slug(slug)
    category = request.args.get("category") or None
    query = wall.wall_query(village, category)
    return paginate(query, PublicWallEntrySchema())


@limiter.limit("60 per hour", key_func=address_only_key)
@limiter.limit("5 per hour")
@response(201)
def flag_wall_entry(slug: str, report_id: int):
    """Public: flag a wall entry (untrue / privacy / other); it hides nothing by itself."""
    data = FlagInSchema().load(json_object())
    report = wall.wall_entry(village_by_slug(slug), report_id)
    flag = wall.flag_entry(report, data["reason"], data["text"])
    db.session.commit()
    return {"id": flag.id, "reason": flag.reason}


@response(200)
def moderate_wall_entry(report_id: int):
    """Hide or restore a wall entry (committee of the village, township staff, inspectors); never by flag count."""
    user = api_user()
    report = wall.entry_to_moderate(report_id, user)  # out of scope is 404 before the body is read
    data = ModerationInSchema().load(json_object())
    record = wall.set_hidden(report, user, data["action"] == "hide", data["reason"])
    db.session.commit()
    return {"id": report.id, "hidden": report.wall_hidden, "action": record.action, "reason": record.reason}
