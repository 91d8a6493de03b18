"""JSON endpoints of the points area (API.md): balance, shops, redemption, the shop's list, settlement."""
from io import BytesIO

import sqlalchemy as sa
from flask import request, send_file

from accounts.authz import authorize, township_ids_for, village_by_slug
from citizen.reports import throttle
from errors import DomainError, NotFound
from extensions import db
from jsonapi import api_user, json_object, paginate, response
from points import ledger, schemas
from points.claims import claim_by_code, payday
from points.exports import statement_xlsx
from points.history import history
from points.models import Redemption, Settlement
from points.redemption import check_key, redeem, reverse_redemption
from points.settlement import mark_paid, open_settlement
from points.shops import active_shops, shop_by_code
from transactions import commit_keeping

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KeyMissing(DomainError):
    """A request that moves points came without its Idempotency-Key header."""

    status = 400
    code = "idempotency_key_required"
    message = "请在请求头 Idempotency-Key 中带上本次操作的唯一编号（最多64个字符）。"


@response(200, schemas.OwnPointsSchema)
def my_points():
    """The caller's balance and latest history."""
    user = api_user()
    return {"balance": ledger.balance_of(user), "entries": history(user)}


@response(200)
def shops():
    """Active partner shops, of one village with ?village=<slug> (public)."""
    args = schemas.ShopListArgs().load(request.args)
    village = village_by_slug(args["village"]) if args["village"] else None
    return paginate(active_shops(village), schemas.PublicShopSchema())


@response(201, schemas.OwnRedemptionSchema)
def create_redemption(code):
    """Pay a shop in points; the Idempotency-Key header makes a retry return the first result."""
    user = api_user()
    try:
        key = check_key(request.headers.get("Idempotency-Key"))
    except DomainError:
        raise KeyMissing() from None
    data = schemas.RedeemSchema().load(json_object())
    shop = shop_by_code(code)
    authorize("points.pay_shop", shop)
    redemption = redeem(user, shop, data["points"], key)
    commit_keeping(redemption, shop)  # the answer needs nothing reloaded
    return redemption


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@response(201, schemas.OwnClaimSchema)
def create_claim():
    """Claim an accepted anonymous report's points by its tracking code; paid with tomorrow's batch."""
    user = api_user()
    data = schemas.ClaimSchema().load(json_object())
    points = claim_by_code(user, data["tracking_code"])
    db.session.commit()
    return {"points": points, "paid_with": payday()}


@response(200)
def shop_redemptions():
    """The caller's shop's redemptions, newest first (shop keepers only)."""
    user = api_user()
    shop_ids = [g.shop_id for g in user.grants if g.role == "shopkeeper"]
    if not shop_ids:
        raise NotFound()
    query = sa.select(Redemption).where(Redemption.shop_id.in_(shop_ids)).order_by(Redemption.id.desc())
    return paginate(query, schemas.ShopRedemptionSchema())


def _statement(settlement_id: int) -> Settlement:
    """A statement of the caller's township, else 404."""
    statement = db.session.get(Settlement, settlement_id)
    if statement is None:
        raise NotFound()
    authorize("points.manage_shop", statement.shop)
    return statement


@response(201, schemas.StaffSettlementSchema)
def create_settlement():
    """Open a shop's statement for an ended month."""
    user = api_user()
    if not township_ids_for(user, "township"):
        raise NotFound()
    data = schemas.SettlementRequestSchema().load(json_object())
    shop = shop_by_code(data["shop_code"])
    authorize("points.manage_shop", shop)
    statement = open_settlement(shop, data["month"], user)
    db.session.commit()
    return statement


@response(200, schemas.StaffSettlementSchema)
def settlement_paid(settlement_id):
    """Mark a statement paid with the bank reference; 409 when it already is."""
    user = api_user()
    statement = _statement(settlement_id)
    data = schemas.PaidSchema().load(json_object())
    mark_paid(statement, data["reference"], user)
    db.session.commit()
    return statement


def settlement_xlsx(settlement_id):
    """The statement as a spreadsheet."""
    api_user()
    statement = _statement(settlement_id)
    return send_file(BytesIO(statement_xlsx(statement)), mimetype=XLSX, as_attachment=True,
                     download_name=f"statement-{statement.shop.code}-{statement.month}.xlsx")


@response(201, schemas.StaffReversalSchema)
def reverse(redemption_id):
    """Reverse a wrong redemption before it is settled (reason required); 409 when settled."""
    user = api_user()
    redemption = db.session.get(Redemption, redemption_id)
    if redemption is None:
        raise NotFound()
    authorize("points.manage_redemption", redemption)
    data = schemas.ReverseSchema().load(json_object())
    transfer = reverse_redemption(redemption, user, data["reason"])
    db.session.commit()
    return {"id": transfer.id, "redemption_id": redemption.id, "points": redemption.points,
            "reason": redemption.reversal_reason}

