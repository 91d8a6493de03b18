"""JSON shapes of the wall, named by audience: an entry for anyone, a flag from anyone, a moderator's action."""
from marshmallow import fields

from citizen.reports.models import CATEGORIES
from citizen.wall.models import FLAG_REASONS
from jsonapi import ApiSchema, length, one_of, page_schema


class PublicWallEntrySchema(ApiSchema):
    """A wall entry for anyone: never the reporter, never the original content."""

    id = fields.Integer()
    category = fields.String()
    public_text = fields.String()
    reply = fields.String()
    rating = fields.String(allow_none=True)
    answered_at = fields.AwareDateTime(format="iso")


class FlagInSchema(ApiSchema):
    """Anyone's objection to a wall entry."""

    reason = fields.String(required=True, validate=one_of(tuple(FLAG_REASONS), "原因"))
    text = fields.String(load_default="", validate=length(max_len=200))


class ModerationInSchema(ApiSchema):
    """Hide or restore a wall entry, with the reason that goes on the record."""

    action = fields.String(required=True, validate=one_of(("hide", "restore"), "操作"))
    reason = fields.String(required=True, validate=length(1, 500))


class WallArgs(ApiSchema):
    """`?category=` on the wall."""

    category = fields.String(load_default=None, validate=one_of(CATEGORIES, "类别"))


class FlagOutSchema(ApiSchema):
    """The flag as recorded."""

    id = fields.Integer()
    reason = fields.String()


class ModerationOutSchema(ApiSchema):
    """The entry's state after a moderator's action."""

    id = fields.Integer()
    hidden = fields.Boolean()
    action = fields.String()
    reason = fields.String(allow_none=True)


WallPageSchema = page_schema(PublicWallEntrySchema, "WallPageSchema")
