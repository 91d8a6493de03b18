"""JSON endpoints of the desks and the township overview."""
import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import selectinload

from accounts.authz import authorize, township_ids_for, village_ids_for
from accounts.places import township_by_id, township_ids_of
from citizen.reports import lifecycle
from citizen.reports.models import Report
from citizen.triage import desk_case, notify, overview, queues
from citizen.triage.models import Notification, ReplyTemplate
from citizen.triage.schemas import (ActionInSchema, DeskFilterSchema, HandlerCaseRowSchema, HandlerCasePageSchema,
                                    HandlerCaseSchema, NotificationPageSchema, OwnNotificationSchema,
                                    ReplyTemplatePageSchema, VillageHealthPageSchema, VillageHealthSchema,
                                    VillageSortArgs)
from errors import Invalid
from extensions import db
from jsonapi import PageArgs, answers, api_user, body, fails, json_object, needs_login, paginate, query, response

NO_DESK = (404, "调用者没有工作台（不是村监会成员或镇纪委）（not_found）")
NO_CASE = (404, "没有这件反映，或不在调用者的范围内；反映点名的村监会成员也看不到（not_found）")


@answers(200, HandlerCasePageSchema)
@needs_login
@query(DeskFilterSchema, PageArgs)
@fails(NO_DESK)
def desk_reports():
    """The caller's desk: open cases by default, most urgent first; `?status=&level=&colour=`."""
    user = api_user()
    authorize("triage.desk", user)
    args = DeskFilterSchema().load({k: v for k, v in request.args.items() if k in ("status", "level", "colour") and v})
    query = queues.desk_query(user, **args).options(selectinload(Report.village))
    return paginate(query, HandlerCaseRowSchema())


@response(200, HandlerCaseSchema)
@needs_login
@fails(NO_CASE)
def desk_report(report_id: int):
    """One case for its handler (404 outside scope, and for a committee member it names)."""
    user = api_user()
    return desk_case.find_case(report_id, user)


@response(200, HandlerCaseSchema)
@needs_login
@body(ActionInSchema)
@fails(NO_CASE, (409, "当前状态下不能这样操作（invalid_transition）"))
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


@answers(200, NotificationPageSchema)
@needs_login
@query(PageArgs)
@fails(NO_DESK)
def my_notifications():
    """The caller's notices, newest first, with the unread count."""
    user = api_user()
    authorize("triage.notices", user)
    query = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    return dict(paginate(query, OwnNotificationSchema()), unread=notify.unread_count(user))


@answers(200, ReplyTemplatePageSchema)
@needs_login
@fails(NO_DESK)
def reply_templates():
    """The reply templates of the caller's township(s), to pick and edit when answering."""
    user = api_user()
    authorize("triage.desk", user)
    townships = township_ids_of(village_ids_for(user, "committee", "inspector"))
    rows = db.session.execute(sa.select(ReplyTemplate).where(ReplyTemplate.township_id.in_(townships))
                              .order_by(ReplyTemplate.title)).scalars()
    items = [{"id": t.id, "title": t.title, "body": t.body} for t in rows]
    return {"items": items, "page": 1, "per_page": len(items), "total": len(items)}


@answers(200, VillageHealthPageSchema)
@needs_login
@query(VillageSortArgs)
@fails((404, "调用者不是镇干部或镇纪委（not_found）"))
def township_villages():
    """Township staff / inspectors: per village figures and health colour."""
    user = api_user()
    ids = sorted(township_ids_for(user, "township", "inspector"))
    township = township_by_id(ids[0] if ids else None)
    authorize("township.oversee", township, user)
    rows = overview.township_rows(township, request.args.get("sort", "health"))
    items = VillageHealthSchema().dump(rows, many=True)
    return {"items": items, "page": 1, "per_page": len(items), "total": len(items)}
