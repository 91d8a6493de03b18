"""JSON shape of a village as anyone sees it."""
from marshmallow import fields

from accounts.schemas import PlaceSchema
from jsonapi import ApiSchema


class VillageCountsSchema(ApiSchema):
    """How much is published, open and answered."""

    disclosures = fields.Integer()
    open_reports = fields.Integer()
    wall = fields.Integer()


class PublicVillageSchema(ApiSchema):
    """A village: its name, township and counts."""

    slug = fields.String()
    name = fields.String()
    township = fields.Nested(PlaceSchema)
    counts = fields.Nested(VillageCountsSchema)
