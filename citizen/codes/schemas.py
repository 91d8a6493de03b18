"""JSON shapes of the codes, named by audience: a scanned code for anyone, the management list for staff."""
from marshmallow import fields, pre_load

from accounts.schemas import PlaceSchema
from citizen.codes.models import QR_KINDS
from jsonapi import ApiSchema, Id, length, one_of, page_schema


class TargetSchema(ApiSchema):
    """Where a code points."""

    type = fields.String()
    id = fields.Integer(allow_none=True)
    url = fields.String()


class PublicCodeSchema(ApiSchema):
    """A scanned code as anyone sees it."""

    code = fields.String()
    kind = fields.String()
    label = fields.String()
    active = fields.Boolean()
    village = fields.Nested(PlaceSchema)
    target = fields.Nested(TargetSchema)


class StaffCodeSchema(ApiSchema):
    """A code in the management list."""

    code = fields.String()
    kind = fields.String()
    label = fields.String()
    active = fields.Boolean()
    url = fields.String()
    target_id = fields.Integer(allow_none=True)


class CodeInSchema(ApiSchema):
    """A new code: kind, target and where it will be posted."""

    kind = fields.String(required=True, validate=one_of(QR_KINDS, "类型"))
    target_id = Id(load_default=None, allow_none=True)
    label = fields.String(required=True, validate=length(2, 60))

    @pre_load
    def _tidy(self, data, **kwargs):
        """Empty target means none."""
        data = dict(data)
        if data.get("target_id") == "":
            data["target_id"] = None
        if isinstance(data.get("label"), str):
            data["label"] = data["label"].strip()
        return data


class RelabelSchema(ApiSchema):
    """A code's new posting place."""

    label = fields.String(required=True, validate=length(2, 60))


StaffCodePageSchema = page_schema(StaffCodeSchema, "StaffCodePageSchema")
