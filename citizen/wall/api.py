"""JSON endpoints of the wall: the public entries, a flag from anyone, and moderation."""
from flask import request

from accounts.authz import village_by_slug
from accounts.ratelimit import address_only_key
from citizen.wall import entries as wall
from citizen.wall.schemas import (FlagInSchema, FlagOutSchema, ModerationInSchema, ModerationOutSchema,
                                  PublicWallEntrySchema, WallArgs, WallPageSchema)
from errors import NotFound
from extensions import db, limiter
from jsonapi import PageArgs, answers, api_user, body, fails, json_object, needs_login, paginate, query, response

NO_ENTRY = (404, "没有这个村，或回音壁上没有这一条（not_found）")


@answers(200, WallPageSchema)
@query(WallArgs, PageArgs)
@fails((404, "没有这个村（not_found）"))
def village_wall(slug: str):
    """Public: the village's wall, newest first, `?category=` optional."""
    village = village_by_slug(slug)
    category = WallArgs().load({k: v for k, v in request.args.items() if k == "category" and v})["category"]
    return paginate(wall.wall_query(village, category), PublicWallEntrySchema())


@limiter.limit("60 per hour", key_func=address_only_key)
@limiter.limit("5 per hour")
@response(201, FlagOutSchema)
@body(FlagInSchema)
@fails(NO_ENTRY, 429)
def flag_wall_entry(slug: str, report_id: int):
    """Public: flag a wall entry (untrue / privacy / other); it hides nothing by itself."""
    data = FlagInSchema().load(json_object())
    report = wall.wall_entry(village_by_slug(slug), report_id)
    flag = wall.flag_entry(report, data["reason"], data["text"])
    db.session.commit()
    return {"id": flag.id, "reason": flag.reason}


@response(200, ModerationOutSchema)
@needs_login
@body(ModerationInSchema)
@fails((404, "没有这件反映，或调用者不能管理它所在村的回音壁（not_found）"),
       (409, "已经撤下，或已经在回音壁上（invalid_transition）"))
def moderate_wall_entry(report_id: int):
    """Hide or restore a wall entry (committee of the village, township staff, inspectors); never by flag count."""
    user = api_user()
    report = wall.entry_to_moderate(report_id, user)  # out of scope is 404 before the body is read
    data = ModerationInSchema().load(json_object())
    record = wall.set_hidden(report, user, data["action"] == "hide", data["reason"])
    db.session.commit()
    return {"id": report.id, "hidden": report.wall_hidden, "action": record.action, "reason": record.reason}
