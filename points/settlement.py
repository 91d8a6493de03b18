"""Monthly settlement: gather a shop's unsettled redemptions, move their points to the township, mark paid."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

import clock
from accounts.models import User
from errors import Conflict, Invalid
from extensions import db
from points import ledger
from points.models import Redemption, Settlement, Shop
from points.periods import month_bounds
from points.rules import settings_for

STATUS_WORDS = {"open": "待付款", "paid": "已付款"}


@dataclass
class Preview:
    """What a statement would hold if opened now."""

    shop: Shop
    month: str
    points: int
    count: int
    rate_fen: int

    @property
    def amount_fen(self) -> int:
        """The fen owed at the township's current rate."""
        return self.points * self.rate_fen


def _unsettled(shop: Shop, end):
    """The where-clause of a shop's redemptions not yet settled nor reversed, made before `end`."""
    return (Redemption.shop_id == shop.id, Redemption.settlement_id.is_(None),
            Redemption.reversal_transfer_id.is_(None), Redemption.created_at < end)


def _pending_corrections(shop: Shop, end):
    """The where-clause of settled redemptions corrected before `end` and not yet netted on a statement."""
    return (Redemption.shop_id == shop.id, Redemption.corrected_at.is_not(None), Redemption.corrected_at < end,
            Redemption.correction_settlement_id.is_(None))


def _sum_count(*where) -> tuple[int, int]:
    """Points and number of the redemptions matching `where`."""
    points, count = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Redemption.points), 0), sa.func.count(Redemption.id))
        .where(*where)).one()
    return int(points), int(count)


def preview(shop: Shop, month: str) -> Preview:
    """Count and sum what a statement for `month` would gather (less corrections), without changing anything."""
    _, end = month_bounds(month)
    points, count = _sum_count(*_unsettled(shop, end))
    corrected, corrections = _sum_count(*_pending_corrections(shop, end))
    return Preview(shop, month, points - corrected, count + corrections,
                   settings_for(shop.village.township_id).rate_fen)


def previews_of_township(township_id: int, month: str) -> dict[int, tuple[int, int]]:
    """{shop id: (points, count)} a statement for `month` would gather, for every shop of a township at once.

    The same sums as `preview`, grouped by shop in two statements whatever the number of shops.
    """
    _, end = month_bounds(month)
    unsettled = db.session.execute(
        sa.select(Redemption.shop_id, sa.func.sum(Redemption.points), sa.func.count(Redemption.id))
        .where(Redemption.township_id == township_id, Redemption.settlement_id.is_(None),
               Redemption.reversal_transfer_id.is_(None), Redemption.created_at < end)
        .group_by(Redemption.shop_id)).all()
    corrections = db.session.execute(
        sa.select(Redemption.shop_id, sa.func.sum(Redemption.points), sa.func.count(Redemption.id))
        .where(Redemption.township_id == township_id, Redemption.corrected_at.is_not(None),
               Redemption.corrected_at < end, Redemption.correction_settlement_id.is_(None))
        .group_by(Redemption.shop_id)).all()
    figures = {shop_id: (int(points), int(count)) for shop_id, points, count in unsettled}
    for shop_id, points, count in corrections:
        before = figures.get(shop_id, (0, 0))
        figures[shop_id] = (before[0] - int(points), before[1] + int(count))
    return figures


def open_settlement(shop: Shop, month: str, actor: User | None) -> Settlement:
    """Open a shop's statement for a month that has ended: its points move shop → township `settled`."""
    _, end = month_bounds(month)
    if end > clock.now():
        raise Conflict("这个月还没过完，月底以后再结算。", code="month_not_over")
    account = ledger.shop_account(shop)
    ledger.lock_account(account)  # reversals take the same lock first
    if db.session.execute(sa.select(Settlement.id).filter_by(shop_id=shop.id, month=month)).first():
        raise Conflict(f"{shop.name} {month} 的结算单已经有了。", code="already_opened")
    township_id = shop.village.township_id
    figures = preview(shop, month)
    if figures.points <= 0:
        raise Conflict(f"{shop.name} 到 {month} 底没有待结算的兑换。", code="nothing_to_settle")
    transfer = ledger.transfer("settle", f"settle:{shop.id}:{month}",
                               [(account, -figures.points), (ledger.township_account(township_id, "settled"),
                                                             figures.points)],
                               memo=f"{shop.name} {month} 结算", actor=actor)
    statement = Settlement(shop_id=shop.id, township_id=township_id, month=month, period_end=end,
                           points=figures.points, rate_fen=figures.rate_fen, amount_fen=figures.amount_fen,
                           redemption_count=figures.count, status="open", transfer_id=transfer.id,
                           opened_by=actor.id if actor else None, created_at=clock.now())
    db.session.add(statement)
    db.session.flush()
    db.session.execute(sa.update(Redemption).where(*_unsettled(shop, end)).values(settlement_id=statement.id),
                       execution_options={"synchronize_session": False})
    db.session.execute(sa.update(Redemption).where(*_pending_corrections(shop, end))
                       .values(correction_settlement_id=statement.id),
                       execution_options={"synchronize_session": False})
    db.session.expire_all()
    return statement


def mark_paid(statement: Settlement, reference: str, actor: User | None) -> Settlement:
    """Record the bank reference of the cash paid to the shop; a paid statement never changes again."""
    reference = (reference or "").strip()
    if not reference:
        raise Invalid("请填写银行转账的流水号。", fields={"reference": ["请填写流水号。"]})
    if len(reference) > 64:
        raise Invalid("流水号最多64个字符。", fields={"reference": ["最多64个字符。"]})
    if statement.status == "paid":
        raise Conflict("这张结算单已经付过款了，不能再改。", code="already_paid")
    statement.status = "paid"
    statement.reference = reference
    statement.paid_by = actor.id if actor else None
    statement.paid_at = clock.now()
    db.session.flush()
    return statement


def statement_lines(statement: Settlement) -> list[Redemption]:
    """The redemptions a statement settled, oldest first."""
    return list(db.session.execute(
        sa.select(Redemption).options(selectinload(Redemption.user)).where(Redemption.settlement_id == statement.id)
        .order_by(Redemption.created_at, Redemption.id)).scalars())


def statement_corrections(statement: Settlement) -> list[Redemption]:
    """Earlier settled redemptions this statement nets off as corrections."""
    return list(db.session.execute(
        sa.select(Redemption).options(selectinload(Redemption.user))
        .where(Redemption.correction_settlement_id == statement.id).order_by(Redemption.corrected_at)).scalars())


def statements_of_month(township_id: int, month: str) -> list[Settlement]:
    """Every statement of the township for one month, by shop."""
    return list(db.session.execute(
        sa.select(Settlement).where(Settlement.township_id == township_id, Settlement.month == month)
        .order_by(Settlement.shop_id)).scalars())


def yuan(fen: int) -> str:
    """Fen as a yuan amount with two decimals, from integers only (no float rounding)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"
