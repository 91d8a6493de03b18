"""Redemption (扫码用积分): a villager pays a shop in points; township staff may reverse it before settlement."""
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from accounts.models import User
from errors import Conflict, Invalid
from extensions import db
from points import ledger, tally
from points.models import Redemption, Shop
from points.periods import day_bounds
from points.rules import settings_for

MAX_KEY_LENGTH = 64


class ShopSuspended(Conflict):
    """The shop is suspended and cannot receive points."""

    code = "shop_suspended"
    message = "这家店暂停收积分了，请换一家店。"


def check_key(key: str | None) -> str:
    """The client's idempotency key, 1–64 printable characters."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Invalid("缺少或无效的幂等键（Idempotency-Key，最多64个字符）。", code="idempotency_key_required")
    return key


def _points(value, most: int) -> int:
    """The number of points typed, a whole number from 1 to the township's limit."""
    try:
        points = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid("请输入要用的积分，整数。", fields={"points": ["请输入整数。"]}) from None
    if points < 1:
        raise Invalid("积分至少要用1分。", fields={"points": ["至少1分。"]})
    if points > most:
        raise Invalid(f"每次最多用{most}分。", fields={"points": [f"每次最多{most}分。"]})
    return points


def redeem(user: User, shop: Shop, points, key: str) -> Redemption:
    """Move points villager → shop under the client's idempotency key; a repeat returns the first redemption.

    The caller has checked the villager may pay this shop (accounts.authz "points.pay_shop").
    """
    key = check_key(key)
    account = ledger.locked_villager_account(user)  # held: this villager's other payments wait for this one
    earlier = ledger.find_transfer(_transfer_key(user, key))
    if earlier is not None:
        return _replayed(earlier.id)
    if not shop.active:
        raise ShopSuspended()
    township_id = shop.village.township_id
    rules = settings_for(township_id)
    points = _points(points, rules.max_points_per_redemption)
    start, end = day_bounds()
    today, used = _today_at(shop, user, start, end)
    if today >= rules.max_redemptions_per_day:
        raise Conflict(f"在这家店今天已经用了{today}次积分，每天最多{rules.max_redemptions_per_day}次，明天再来吧。",
                       code="daily_limit")
    balance = account.balance  # steady: this request holds the villager's row
    confirmation = _confirmation(used)  # chosen before the shop's busy row is touched
    try:
        transfer = ledger.transfer("redeem", _transfer_key(user, key),
                                   [(account, -points), (ledger.shop_account(shop), points)],
                                   memo=shop.name, actor=user, key_checked=True)
    except ledger.InsufficientPoints:
        raise ledger.InsufficientPoints(f"积分不够：您现在有{balance}分，想用{points}分。",
                                        extra={"balance": balance}) from None
    if transfer.replayed:  # a racing twin with the same key won (PostgreSQL)
        return _replayed(transfer.id)
    redemption = Redemption(transfer_id=transfer.id, shop_id=shop.id, user_id=user.id, township_id=township_id,
                            points=points, balance_after=balance - points, confirmation=confirmation,
                            created_at=transfer.created_at, shop=shop)
    tally.add_redeemed(shop.village_id, points)
    db.session.add(redemption)
    db.session.flush()
    redemption.replayed = False
    return redemption


def _transfer_key(user: User, key: str) -> str:
    """Client keys are scoped to the villager, so one person's key never finds another's redemption."""
    return f"redeem:{user.id}:{key}"


def _replayed(transfer_id: int) -> Redemption:
    """The redemption made by an earlier request with the same key."""
    redemption = db.session.execute(sa.select(Redemption).options(joinedload(Redemption.shop))
                                    .where(Redemption.transfer_id == transfer_id)).scalar_one()
    redemption.replayed = True
    return redemption


def _today_at(shop: Shop, user: User, start, end) -> tuple[int, set[str]]:
    """(the villager's redemptions at this shop today, the confirmation numbers the shop used today), in one read."""
    rows = db.session.execute(
        sa.select(Redemption.user_id, Redemption.confirmation)
        .where(Redemption.shop_id == shop.id, Redemption.created_at >= start, Redemption.created_at < end)).all()
    return sum(1 for user_id, _ in rows if user_id == user.id), {number for _, number in rows}


def _confirmation(used: set[str]) -> str:
    """A 4-digit number not yet used at this shop today (so the counter can tell two payments apart)."""
    for _ in range(50):
        number = f"{secrets.randbelow(10000):04d}"
        if number not in used:
            return number
    return number


def _reason(reason: str | None) -> str:
    """The required reason of a reversal or correction."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请写明撤销的原因。", fields={"reason": ["请填写原因。"]})
    if len(reason) > 200:
        raise Invalid("原因最多200个字。", fields={"reason": ["最多200个字。"]})
    return reason


def _locked(redemption: Redemption):
    """Lock the villager's row, then the shop's (the order every transfer uses); re-read the redemption."""
    villager_account = ledger.villager_account(redemption.user)
    shop_account = ledger.shop_account(redemption.shop)
    ledger.lock_account(villager_account)
    ledger.lock_account(shop_account)  # settlement takes this lock too: the two never interleave
    db.session.refresh(redemption)
    if redemption.reversal_transfer_id is not None:
        raise Conflict("这笔兑换已经撤销过了。", code="already_reversed")
    return villager_account, shop_account


def reverse_redemption(redemption: Redemption, actor: User, reason: str):
    """Undo a wrong redemption with a new `reverse` transfer (shop → villager); refused once settled."""
    reason = _reason(reason)
    villager_account, shop_account = _locked(redemption)
    if redemption.settlement_id is not None:
        raise Conflict("这笔兑换已结算，不能撤销；请在下个月做一笔更正。", code="already_settled")
    transfer = ledger.transfer("reverse", f"reverse:redemption:{redemption.id}",
                               [(shop_account, -redemption.points), (villager_account, redemption.points)],
                               memo=f"撤销 {redemption.shop.name} 的兑换：{reason}"[:200], actor=actor)
    redemption.reversal_transfer_id = transfer.id
    redemption.reversal_reason = reason
    tally.add_redeemed(redemption.shop.village_id, -redemption.points)
    db.session.flush()
    return transfer


def correct_settled_redemption(redemption: Redemption, actor: User, reason: str):
    """Correct a wrong redemption already settled: a new transfer now (shop → villager) that the shop's
    next statement nets off. The shop's points received since its last statement must cover it."""
    reason = _reason(reason)
    villager_account, shop_account = _locked(redemption)
    if redemption.settlement_id is None:
        raise Conflict("这笔兑换还没结算，请直接撤销。", code="not_settled")
    try:
        transfer = ledger.transfer("reverse", f"correct:redemption:{redemption.id}",
                                   [(shop_account, -redemption.points), (villager_account, redemption.points)],
                                   memo=f"更正 {redemption.shop.name} 的兑换：{reason}"[:200], actor=actor)
    except ledger.InsufficientPoints:
        raise Conflict("这家店上次结算后收到的积分还不够冲抵这笔更正，请等店里有新的兑换后再做。",
                       code="correction_not_covered") from None
    redemption.reversal_transfer_id = transfer.id
    redemption.reversal_reason = reason
    redemption.corrected_at = transfer.created_at
    tally.add_redeemed(redemption.shop.village_id, -redemption.points)
    db.session.flush()
    return transfer
