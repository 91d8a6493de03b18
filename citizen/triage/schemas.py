"""JSON shapes of the desks and the township overview, named by audience."""
from marshmallow import fields

from citizen.reports import deadlines, lifecycle
from citizen.triage import desk_case
from citizen.triage.overview import SORT_KEYS
from citizen.reports.models import LEVELS, STATUSES
from jsonapi import ApiSchema, Flag, Id, length, one_of, page_schema


class DeskFilterSchema(ApiSchema):
    """`?status=&level=&colour=` on the desk's list."""

    status = fields.String(validate=one_of(STATUSES, "状态"))
    level = fields.String(validate=one_of(LEVELS, "级别"))
    colour = fields.String(validate=one_of(("red", "yellow", "green"), "颜色"))


class HandlerCaseRowSchema(ApiSchema):
    """A case in a handler's list."""

    id = fields.Integer()
    status = fields.String()
    level = fields.String()
    colour = fields.Method("_colour")
    category = fields.String()
    content = fields.String()
    due_at = fields.AwareDateTime(format="iso", allow_none=True)
    created_at = fields.AwareDateTime(format="iso")
    duplicate_of = fields.Integer(attribute="duplicate_of_id", allow_none=True)

    def _colour(self, report):
        return deadlines.report_colour(report)


class HandlerCaseSchema(HandlerCaseRowSchema):
    """One case for its handler: subject, history (roles only), messages, photos, the reply."""

    village = fields.Function(lambda r: {"slug": r.village.slug, "name": r.village.name})
    anonymous = fields.Boolean()
    allow_public = fields.Boolean()
    subject = fields.Method("_subject")
    events = fields.Method("_events")
    messages = fields.Method("_messages")
    photos = fields.Method("_photos")
    reply = fields.String(allow_none=True)
    public_text = fields.String(allow_none=True)
    published = fields.Boolean()
    rating = fields.String(allow_none=True)
    answered_at = fields.AwareDateTime(format="iso", allow_none=True)

    def _subject(self, report):
        if not report.subject_type and not report.cadre_id:
            return None
        return {"type": report.subject_type or "cadre", "id": report.subject_id or report.cadre_id,
                "text": desk_case.describe_subject(report)}

    def _events(self, report):
        return [{"at": e.at.isoformat(), "action": e.action, "actor_role": e.actor_role, "from_status": e.from_status,
                 "to_status": e.to_status, "from_level": e.from_level, "to_level": e.to_level, "text": e.text}
                for e in report.events]

    def _messages(self, report):
        return [{"at": m.at.isoformat(), "author": m.author, "text": m.text} for m in report.messages]

    def _photos(self, report):
        return desk_case.photo_links(report)


class ActionInSchema(ApiSchema):
    """A handler's action on a case."""

    action = fields.String(required=True, validate=one_of(lifecycle.HANDLER_ACTIONS + ("duplicate",), "操作"))
    main_id = Id(load_default=None, allow_none=True)  # for "duplicate": the earlier main case
    text = fields.String(load_default=None, allow_none=True, validate=length(max_len=2000))
    public_text = fields.String(load_default=None, allow_none=True, validate=length(max_len=2000))
    publish = Flag(load_default=False)
    publish_photos = Flag(load_default=False)


class VillageHealthSchema(ApiSchema):
    """One row of the township overview."""

    slug = fields.String()
    name = fields.String()
    open = fields.Integer()
    overdue = fields.Integer()
    avg_answer_days = fields.Float(allow_none=True)
    satisfaction = fields.Float(allow_none=True)
    days_since_finance = fields.Integer(allow_none=True)
    points_issued = fields.Integer(allow_none=True)
    points_redeemed = fields.Integer(allow_none=True)
    health = fields.String()


class OwnNotificationSchema(ApiSchema):
    """A handler's own notice."""

    id = fields.Integer()
    kind = fields.String()
    report_id = fields.Integer(allow_none=True)
    text = fields.String()
    created_at = fields.AwareDateTime(format="iso")
    read = fields.Function(lambda n: n.read_at is not None)


class VillageSortArgs(ApiSchema):
    """`?sort=` on the township overview (an unknown column sorts by health)."""

    sort = fields.String(load_default="health", metadata={
        "description": f"按哪一列排序，前面加 - 倒序：{'、'.join(SORT_KEYS)}"})


class ReplyTemplateSchema(ApiSchema):
    """A reply template of the caller's township."""

    id = fields.Integer()
    title = fields.String()
    body = fields.String()


HandlerCasePageSchema = page_schema(HandlerCaseRowSchema, "HandlerCasePageSchema")
NotificationPageSchema = type("NotificationPageSchema", (page_schema(OwnNotificationSchema, "_Notifications"),), {
    "__doc__": "A page of the caller's notices, with how many are unread.", "unread": fields.Integer()})
ReplyTemplatePageSchema = page_schema(ReplyTemplateSchema, "ReplyTemplatePageSchema")
VillageHealthPageSchema = page_schema(VillageHealthSchema, "VillageHealthPageSchema")
