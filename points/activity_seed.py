"""Demo points history made through the real rules: check-ins, redemptions at both 河西村 shops, settlements.

Two months back is settled and paid, last month's statement is open (unpaid); the current month is
not settled. Safe to run again: every step is keyed (event titles, earn sources, idempotency keys).
"""
from datetime import datetime, timedelta

import sqlalchemy as sa

import clock
from accounts.seed import Demo, get_or_create
from citizen.reports.models import Report
from extensions import db
from points.earning import check_in, earn_finance_read, earn_for_report
from points.models import Event, Settlement
from points.periods import month_bounds, month_of, previous_month
from points.redemption import redeem
from points.settlement import mark_paid, open_settlement
from points.shops import shop_by_code

MEETING_DAYS = (3, 10, 17, 24)
# (villager phone, shop code, day of month, points) for each of the two past months
REDEMPTIONS = (("13900000101", "HXZC01", 12, 5), ("13900000101", "HXCS02", 20, 3),
               ("13900000102", "CMLF01", 15, 6))


def _at(month: str, day: int, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock moment in a YYYY-MM month."""
    year, mon = map(int, month.split("-"))
    return datetime(year, mon, day, hour, minute, tzinfo=clock.SHANGHAI)


def _month_history(demo: Demo, month: str) -> None:
    """One past month: 群众说事日 check-ins, the finance read, and a few redemptions."""
    for slug, phone in (("hexi", "13900000101"), ("chama", "13900000102")):
        village, user = demo.villages[slug], demo.users[phone]
        for day in MEETING_DAYS:
            start = _at(month, day, 9)
            event = get_or_create(Event, {"township_id": demo.township.id, "ends_at": start + timedelta(hours=2)},
                                  village_id=village.id, title=f"{village.name}群众说事日", starts_at=start)
            clock.freeze(start + timedelta(minutes=30))
            check_in(user, event)
        clock.freeze(_at(month, 28, 20))
        earn_finance_read(user, village.id, month)
    for phone, code, day, points in REDEMPTIONS:
        clock.freeze(_at(month, day, 10, 15))
        redeem(demo.users[phone], shop_by_code(code), points, f"demo-{month}-{code}")


def _named_report_earnings(demo: Demo) -> None:
    """Named demo reports already accepted, published or rated earn as the lifecycle would have granted."""
    ids = [u.id for u in demo.users.values()]
    reports = db.session.execute(sa.select(Report).where(Report.user_id.in_(ids), Report.anonymous.is_(False)))
    for report in reports.scalars():
        if report.status in ("accepted", "answered", "closed"):
            earn_for_report(report, "report_accepted")
        if report.published:
            earn_for_report(report, "report_published")
        if report.rating:
            earn_for_report(report, "report_rated")


def _settle(demo: Demo, month: str, paid: bool) -> None:
    """Open (and maybe pay) each shop's statement for an ended month, once."""
    clock.freeze(month_bounds(month)[1] + timedelta(days=2, hours=2))
    for code in ("HXZC01", "HXCS02", "CMLF01"):
        shop = shop_by_code(code)
        statement = db.session.execute(sa.select(Settlement).filter_by(shop_id=shop.id, month=month)).scalar_one_or_none()
        if statement is None:
            statement = open_settlement(shop, month, demo.users["13900000001"])
        if paid and statement.status == "open":
            mark_paid(statement, f"DEMO-{month.replace('-', '')}-{code}", demo.users["13900000001"])


def seed_demo(demo: Demo) -> Demo:
    """Two months of demo points activity, made by the real earn, redeem and settle functions."""
    frozen = clock._frozen
    this_month = month_of()
    last, before_last = previous_month(this_month), previous_month(previous_month(this_month))
    try:
        _month_history(demo, before_last)
        _settle(demo, before_last, paid=True)
        _month_history(demo, last)
        _settle(demo, last, paid=False)
    finally:
        clock.freeze(frozen)
    _named_report_earnings(demo)
    db.session.flush()
    return demo
