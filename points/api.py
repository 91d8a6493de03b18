"""JSON endpoints of the points area (API.md): balance, shops, redemption, the shop's list, settlement."""
from io import BytesIO

import sqlalchemy as sa
from flask import request, send_file

from accounts.authz import authorize, township_ids_for, village_by_slug
from citizen.reports import throttle
from errors import DomainError, NotFound
from extensions import db
from jsonapi import (PageArgs, answers, api_user, binary, body, fails, header, json_object, needs_login, paginate, query,
                     response)
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
@needs_login
def my_points():
    """The caller's balance and latest history."""
    user = api_user()
    return {"balance": ledger.balance_of(user), "entries": history(user)}


@answers(200, schemas.PublicShopPageSchema)
@query(schemas.ShopListArgs, PageArgs)
@fails((404, "没有这个村（not_found）"))
def shops():
    """Active partner shops, of one village with ?village=<slug> (public)."""
    args = schemas.ShopListArgs().load(request.args)
    village = village_by_slug(args["village"]) if args["village"] else None
    return paginate(active_shops(village), schemas.PublicShopSchema())


@response(201, schemas.OwnRedemptionSchema)
@needs_login
@header("Idempotency-Key", "本次付款的唯一编号（客户端生成，最多64个字符）；重试时带同一个编号只付一次", required=True,
        max_length=64)
@body(schemas.RedeemSchema)
@fails((400, "缺少或无效的 Idempotency-Key（idempotency_key_required）"), (404, "没有这家店（not_found）"),
       (409, "积分不够（insufficient_points）、店铺暂停收积分，或今天在这家店用的次数到了上限"),
       (422, "积分不是1到每次上限之间的整数"))
def create_redemption(code):
    """Pay a shop in points; the Idempotency-Key header makes a retry return the first result."""
    user = api_user()
    shop = shop_by_code(code)
    authorize("points.pay_shop", shop)  # another township's shop is 404, whatever the request carries
    try:
        key = check_key(request.headers.get("Idempotency-Key"))
    except DomainError:
        raise KeyMissing() from None
    data = schemas.RedeemSchema().load(json_object())
    redemption = redeem(user, shop, data["points"], key)
    commit_keeping(redemption, shop)  # the answer needs nothing reloaded
    return redemption


@throttle.wrong_codes_per_address
@throttle.wrong_codes
@response(201, schemas.OwnClaimSchema)
@needs_login
@body(schemas.ClaimSchema)
@fails((404, "没有这个查询码（not_found）"),
       (409, "还没受理、已领取过、实名反映或不是本镇的反映（not_accepted、already_claimed …）"), 429)
def create_claim():
    """Claim an accepted anonymous report's points by its tracking code; paid with tomorrow's batch."""
    user = api_user()
    data = schemas.ClaimSchema().load(json_object())
    points = claim_by_code(user, data["tracking_code"])
    db.session.commit()
    return {"points": points, "paid_with": payday()}


@answers(200, schemas.ShopRedemptionPageSchema)
@needs_login
@query(PageArgs)
@fails((404, "调用者不是店主（not_found）"))
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
@needs_login
@body(schemas.SettlementRequestSchema)
@fails((404, "调用者不是镇干部，或没有这家店（not_found）"),
       (409, "这个月还没过完、结算单已经有了，或没有待结算的兑换（month_not_over、already_opened、nothing_to_settle）"))
def create_settlement():
    """Open a shop's statement for an ended month."""
    user = api_user()
    if not township_ids_for(user, "township"):
        raise NotFound()
    body = json_object()
    named = body.get("shop_code")
    if isinstance(named, str) and named:  # another township's shop is 404 before the rest of the body is read
        authorize("points.manage_shop", shop_by_code(named))
    data = schemas.SettlementRequestSchema().load(body)
    shop = shop_by_code(data["shop_code"])
    authorize("points.manage_shop", shop)
    statement = open_settlement(shop, data["month"], user)
    db.session.commit()
    return statement


@response(200, schemas.StaffSettlementSchema)
@needs_login
@body(schemas.PaidSchema)
@fails((404, "没有这张结算单，或不是本镇的（not_found）"), (409, "已经付过款了（already_paid）"))
def settlement_paid(settlement_id):
    """Mark a statement paid with the bank reference; 409 when it already is."""
    user = api_user()
    statement = _statement(settlement_id)
    data = schemas.PaidSchema().load(json_object())
    mark_paid(statement, data["reference"], user)
    db.session.commit()
    return statement


@binary(200, XLSX, description="结算单 Excel 文件")
@needs_login
@fails((404, "没有这张结算单，或不是本镇的（not_found）"))
def settlement_xlsx(settlement_id):
    """The statement as a spreadsheet."""
    api_user()
    statement = _statement(settlement_id)
    return send_file(BytesIO(statement_xlsx(statement)), mimetype=XLSX, as_attachment=True,
                     download_name=f"statement-{statement.shop.code}-{statement.month}.xlsx")


@response(201, schemas.StaffReversalSchema)
@needs_login
@body(schemas.ReverseSchema)
@fails((404, "没有这笔兑换，或不是本镇的（not_found）"), (409, "已经撤销过，或已结算（already_reversed、already_settled）"))
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

