"""Anonymous reporters claim their points with the tracking code, without the ledger learning which report.

The report keeps only "claimed" (ReportClaim: the report id, no person, no time). The claim is added to the villager's
pending total for the day (PendingClaim: user, day, points; no report). Once a day a batch pays every
pending total of earlier days as 匿名举报奖励 transfers that all carry one timestamp, so neither the memo,
the time nor the order of the ledger rows points back to a report.
"""
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import clock
from accounts.authz import home_township
from accounts.models import User
from citizen.reports import tracking
from errors import Conflict
from extensions import db
from points.earning import earn
from points.models import PendingClaim, ReportClaim
from points.rules import rule_for

CLAIMABLE = ("accepted", "answered", "closed")
MEMO = "匿名举报奖励"


def today() -> date:
    """The Shanghai calendar day now."""
    return clock.local(clock.now()).date()


def claim_anonymous_report(user: User, report) -> int:
    """Record a claim for an accepted anonymous report; returns the points to be paid with the day's batch."""
    if not report.anonymous or report.user_id is not None:
        raise Conflict("实名举报的积分在受理时已经自动发放。", code="not_anonymous")
    if report.status not in CLAIMABLE:
        raise Conflict("这个举报还没有被受理，受理后才能领取积分。", code="not_accepted")
    township = home_township(user)
    if township is None or township.id != report.village.township_id:
        raise Conflict("只能领取本镇举报的积分。", code="not_local")
    rule = rule_for(township, "report_accepted")
    if not rule.enabled:
        raise Conflict("这一项积分暂停发放。", code="rule_off")
    day = today()
    try:
        with db.session.begin_nested():
            db.session.add(ReportClaim(report_id=report.id))
    except IntegrityError:
        raise Conflict("这个举报的积分已经领取过了。", code="already_claimed") from None
    pending = db.session.execute(sa.select(PendingClaim).filter_by(user_id=user.id, day=day)
                                 .with_for_update()).scalar_one_or_none()
    if pending is None:
        pending = PendingClaim(user_id=user.id, township_id=township.id, day=day, points=0)
        db.session.add(pending)
    pending.points += rule.points
    db.session.flush()
    return rule.points


def payday() -> date:
    """The day the batch that pays today's claims runs (tomorrow, Shanghai time)."""
    return today() + timedelta(days=1)


def claim_by_code(user: User, code: str) -> int:
    """Claim the report a tracking code opens (CodeNotFound for a wrong code); returns the points."""
    return claim_anonymous_report(user, tracking.find_by_code(code))


def pay_claims(before: date | None = None) -> int:
    """Pay every unpaid pending claim of days before `before` (default today), all at one timestamp.

    Each villager-day becomes one earn (caps apply as for any earn). Returns how many were paid.
    """
    before = before or today()
    moment = datetime.combine(before, time(0, 0), tzinfo=clock.SHANGHAI).astimezone(timezone.utc)
    rows = db.session.execute(sa.select(PendingClaim).where(PendingClaim.day < before,
                                                            PendingClaim.earn_record_id.is_(None))
                              .order_by(PendingClaim.user_id, PendingClaim.day)).scalars().all()
    for pending in rows:
        user = db.session.get(User, pending.user_id)
        record = earn(user, "report_accepted", f"claims:{pending.day.isoformat()}", points=pending.points,
                      memo=MEMO, at=moment)
        pending.earn_record_id = record.id
    db.session.flush()
    return len(rows)
