"""JSON shapes of the points area, named by audience."""
from marshmallow import fields, validate

import clock
from jsonapi import MAX_ID, ApiSchema, Whole, length, page_schema


class LocalTime(fields.DateTime):
    """A stored UTC time shown in Asia/Shanghai with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else clock.local(value).isoformat()


class OwnHistorySchema(ApiSchema):
    """One line of a villager's own history."""

    at = LocalTime()
    kind = fields.String()
    text = fields.String()
    points = fields.Integer()
    granted = fields.Boolean()
    reason = fields.String(allow_none=True)


class OwnPointsSchema(ApiSchema):
    """A villager's balance and history."""

    balance = fields.Integer()
    entries = fields.List(fields.Nested(OwnHistorySchema))


class PublicShopSchema(ApiSchema):
    """A partner shop as anyone sees it."""

    code = fields.String()
    name = fields.String()
    village = fields.Function(lambda shop: shop.village.name)
    address = fields.String()


class ShopListArgs(ApiSchema):
    """`?village=<slug>`."""

    village = fields.String(load_default=None, validate=length(1, 40))


class RedeemSchema(ApiSchema):
    """What a villager's phone sends to pay a shop."""

    points = Whole(required=True, strict=True, validate=[
        validate.Range(min=1, error="积分至少要用1分。"), validate.Range(max=MAX_ID, error="数值太大。")])


class ClaimSchema(ApiSchema):
    """What a logged-in anonymous reporter sends to claim a report's points."""

    tracking_code = fields.String(required=True, validate=length(1, 40))


class OwnClaimSchema(ApiSchema):
    """The claimant's answer: how many points, and the day the batch pays them (no report)."""

    points = fields.Integer()
    paid_with = fields.Date()


class OwnRedemptionSchema(ApiSchema):
    """The villager's answer after paying: the number the counter shows too."""

    id = fields.Integer()
    points = fields.Integer()
    balance = fields.Integer(attribute="balance_after")
    confirmation = fields.String()
    shop = fields.Function(lambda r: r.shop.name)
    created_at = LocalTime()


class ShopRedemptionSchema(ApiSchema):
    """A redemption as the receiving shop sees it (no balance, a masked name)."""

    id = fields.Integer()
    points = fields.Integer()
    confirmation = fields.String()
    created_at = LocalTime()
    villager = fields.Function(lambda r: f"尾号{r.user.phone[-4:]}")
    settled = fields.Function(lambda r: r.settlement_id is not None)
    reversed = fields.Function(lambda r: r.reversal_transfer_id is not None)


class SettlementRequestSchema(ApiSchema):
    """Township staff open a shop's month."""

    shop_code = fields.String(required=True, validate=length(1, 20))
    month = fields.String(required=True, validate=length(7, 7))


class StaffSettlementSchema(ApiSchema):
    """A statement as township staff see it."""

    id = fields.Integer()
    shop = fields.Function(lambda s: {"code": s.shop.code, "name": s.shop.name})
    month = fields.String()
    points = fields.Integer()
    rate_fen = fields.Integer()
    amount_fen = fields.Integer()
    redemption_count = fields.Integer()
    status = fields.String()
    reference = fields.String(allow_none=True)
    paid_at = LocalTime(allow_none=True)


class PaidSchema(ApiSchema):
    """The bank reference of the payment."""

    reference = fields.String(required=True, validate=length(1, 64))


class ReverseSchema(ApiSchema):
    """Why a redemption is reversed."""

    reason = fields.String(required=True, validate=length(1, 200))


class StaffReversalSchema(ApiSchema):
    """The reversal transfer made."""

    id = fields.Integer()
    redemption_id = fields.Integer()
    points = fields.Integer()
    reason = fields.String()


PublicShopPageSchema = page_schema(PublicShopSchema, "PublicShopPageSchema")
ShopRedemptionPageSchema = page_schema(ShopRedemptionSchema, "ShopRedemptionPageSchema")
