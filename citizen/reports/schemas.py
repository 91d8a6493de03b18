"""JSON shapes of reports, named by audience; the report form is checked by the same schema."""
from marshmallow import ValidationError, fields, post_load, pre_load

from citizen.reports.models import CATEGORIES, RATINGS
from citizen.reports.subjects import NOT_FOUND
from jsonapi import ApiSchema, Flag, Id, length, one_of, page_schema


class ReportInSchema(ApiSchema):
    """A new report from a villager (the web form and the API)."""

    category = fields.String(required=True, validate=one_of(CATEGORIES, "类别"))
    content = fields.String(required=True, validate=length(10, 2000))
    anonymous = Flag(load_default=True)
    allow_public = Flag(load_default=False)
    subject = fields.Raw(load_default=None, allow_none=True, metadata={
        "description": "反映对象：{type: cadre|line|power_item, id}，表单里写成 \"line:12\"",
        "oneOf": [{"type": "object", "properties": {"type": {"type": "string"}, "id": {"type": "integer"}}},
                  {"type": "string"}]})
    cadre_id = Id(load_default=None, allow_none=True)
    form_token = fields.String(load_default=None, allow_none=True, validate=length(8, 64))
    # Read by photos.decoded_photos (JSON) or from the multipart files; listed here so the document shows it.
    photos = fields.List(fields.String(), load_default=None, allow_none=True,
                         metadata={"description": "照片，每张一个 base64 字符串（可带 data: 前缀），最多6张"})

    @pre_load
    def _tidy(self, data, **kwargs):
        """Trim the text; empty optional fields mean "not given"."""
        data = dict(data)
        if isinstance(data.get("content"), str):
            data["content"] = data["content"].strip()
        for key in ("cadre_id", "subject", "form_token"):
            if data.get(key) in ("", None):
                data[key] = None
        return data

    @post_load
    def _subject(self, data, **kwargs):
        """`subject` arrives as "line:12" (form) or {type, id} (JSON); keep it as ("line", 12)."""
        raw = data.get("subject")
        if isinstance(raw, dict):
            raw = f"{raw.get('type')}:{raw.get('id')}"
        if raw is None:
            data["subject"] = None
            return data
        from citizen.reports.subjects import parse_subject
        from errors import Invalid

        try:
            data["subject"] = parse_subject(str(raw))
        except Invalid:
            raise ValidationError({"subject": [NOT_FOUND]}) from None
        return data


class SubmittedSchema(ApiSchema):
    """What the reporter gets back, once."""

    tracking_code = fields.String()
    status = fields.String()
    level = fields.String()


class MessageInSchema(ApiSchema):
    """The reporter adds information or answers a question."""

    text = fields.String(required=True, validate=length(2, 1000))

    @pre_load
    def _tidy(self, data, **kwargs):
        """Trim the text."""
        data = dict(data)
        if isinstance(data.get("text"), str):
            data["text"] = data["text"].strip()
        return data


class RatingInSchema(ApiSchema):
    """The reporter rates an answered case."""

    rating = fields.String(required=True, validate=one_of(RATINGS, "评价"))
    comment = fields.String(load_default=None, allow_none=True, validate=length(max_len=500))


class ClientIdSchema(ApiSchema):
    """A new API client id and the header to send it in."""

    client_id = fields.String(required=True)
    header = fields.String(required=True)


class FormTokenSchema(ApiSchema):
    """A one-time form token for a report, bound to the client that asked."""

    form_token = fields.String(required=True)


class AppealInSchema(ApiSchema):
    """The reporter asks the township to review a rejected case, saying why it should be taken up."""

    reason = fields.String(required=True, validate=length(max_len=1000),
                           metadata={"description": "为什么应该受理（镇纪委复核时会看到）"})

    @pre_load
    def _tidy(self, data, **kwargs):
        """Trim the reason."""
        data = dict(data)
        if isinstance(data.get("reason"), str):
            data["reason"] = data["reason"].strip()
        return data


class TrackEventSchema(ApiSchema):
    """One step of a case's timeline, as the reporter sees it."""

    at = fields.DateTime()
    action = fields.String()
    text = fields.String(allow_none=True)


class TrackMessageSchema(ApiSchema):
    """A message on the case, without who the handler is."""

    at = fields.DateTime()
    author = fields.String()
    text = fields.String()


class ReporterCaseSchema(ApiSchema):
    """A case as its reporter sees it through the tracking code."""

    status = fields.String()
    level = fields.String()
    category = fields.String()
    content = fields.String()
    created_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    events = fields.List(fields.Nested(TrackEventSchema))
    messages = fields.List(fields.Nested(TrackMessageSchema))
    reply = fields.String(allow_none=True)
    rating = fields.String(allow_none=True)


class MessageOutSchema(ApiSchema):
    """The reporter's message as saved."""

    id = fields.Integer()
    at = fields.String(metadata={"format": "date-time"})
    text = fields.String()


def report_multipart() -> dict:
    """The multipart form of a new report: ReportInSchema's fields as form fields, photos as files."""
    return {"type": "object", "required": ["category", "content"], "properties": {
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "content": {"type": "string", "minLength": 10, "maxLength": 2000},
        "anonymous": {"type": "boolean"}, "allow_public": {"type": "boolean"},
        "subject": {"type": "string", "description": "line:12、power_item:3 或 cadre:5，也可以是 JSON 对象"},
        "form_token": {"type": "string", "minLength": 8, "maxLength": 64},
        "photos": {"type": "array", "maxItems": 6, "items": {"type": "string", "format": "binary"}}}}


class OwnReportSchema(ApiSchema):
    """A named reporter's own report in a list."""

    id = fields.Integer()
    status = fields.String()
    level = fields.String()
    category = fields.String()
    created_at = fields.DateTime()


OwnReportPageSchema = page_schema(OwnReportSchema, "OwnReportPageSchema")
