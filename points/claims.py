"""Anonymous reporters claim their points with the tracking code, without the ledger learning which report.

A claim writes one row and touches nothing else: PendingClaim (the villager, the Shanghai day, the points
and a keyed tag of the report, HMAC with the app's secret, so without that secret the row names no report).
The report itself is not touched. The batch pays a township's pending claims only once at least
CLAIM_MIN_CLAIMERS different villagers are waiting, so no payment can be matched to its report by being
alone: in one transaction it marks every claimed report by its tag (ReportClaim, in shuffled order), pays
each villager one 匿名举报奖励 transfer (all at one timestamp, ordered by villager), and clears the tags.
docs/SECURITY.md says what a database administrator can and cannot learn from these rows.
"""
import hashlib
import hmac
import random
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

import clock
from accounts.authz import home_township
from accounts.models import User
from citizen.reports import tracking
from errors import Conflict
from extensions import db
from points.earning import earn
from points.models import PendingClaim, ReportClaim
from points.periods import today
from points.rules import rule_for

CLAIMABLE = ("accepted", "answered", "closed")
MEMO = "匿名举报奖励"


def claim_anonymous_report(user: User, report) -> int:
    """Record a claim for an accepted anonymous report (one row, nothing else); returns the points it will pay."""
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
    if is_claimed(report):
        raise Conflict("这个举报的积分已经领取过了。", code="already_claimed")
    try:
        with db.session.begin_nested():
            db.session.add(PendingClaim(user_id=user.id, township_id=township.id, day=today(), points=rule.points,
                                        tag=claim_tag(report.id)))
    except IntegrityError:  # two taps racing: the unique tag lets one through
        raise Conflict("这个举报的积分已经领取过了。", code="already_claimed") from None
    return rule.points


def claim_tag(report_id: int) -> str:
    """The keyed tag that stands for a report in claim rows; only the app's secret turns it back into a report."""
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), b"claim-v1", hashlib.sha256).digest()
    return hmac.new(key, str(report_id).encode(), hashlib.sha256).hexdigest()


def is_claimed(report) -> bool:
    """Has this report's reward been claimed (pending or paid)?"""
    tag = claim_tag(report.id)
    return db.session.execute(sa.select(sa.literal(1)).where(sa.or_(
        sa.exists().where(ReportClaim.tag == tag), sa.exists().where(PendingClaim.tag == tag)))).first() is not None


def payday() -> date:
    """The earliest day the batch can pay today's claims (tomorrow, Shanghai time)."""
    return today() + timedelta(days=1)


def claim_by_code(user: User, code: str) -> int:
    """Claim the report a tracking code opens (CodeNotFound for a wrong code); returns the points."""
    return claim_anonymous_report(user, tracking.find_by_code(code))


def pay_claims(before: date | None = None) -> int:
    """Pay the pending claims of days before `before` (default today) of every township with enough claimers.

    Each villager's waiting claims become one earn at the batch's one timestamp (caps apply as for any
    earn). A township with fewer than CLAIM_MIN_CLAIMERS waiting villagers waits for the next batch.
    Returns how many villagers were paid.
    """
    before = before or today()
    moment = datetime.combine(before, time(0, 0), tzinfo=clock.SHANGHAI).astimezone(timezone.utc)
    waiting = db.session.execute(sa.select(PendingClaim).where(PendingClaim.day < before,
                                                               PendingClaim.earn_record_id.is_(None))
                                 ).scalars().all()
    by_township: dict[int, list[PendingClaim]] = {}
    for pending in waiting:
        by_township.setdefault(pending.township_id, []).append(pending)
    paid = 0
    for claims in by_township.values():
        if len({c.user_id for c in claims}) >= current_app.config["CLAIM_MIN_CLAIMERS"]:
            paid += _pay_together(claims, f"claims:{before.isoformat()}", moment)
    db.session.flush()
    return paid


def _pay_together(claims: list[PendingClaim], source: str, moment: datetime) -> int:
    """Mark the reports claimed in an order unrelated to the payments, pay each villager once, clear the tags."""
    tags = [c.tag for c in claims if c.tag]
    random.SystemRandom().shuffle(tags)
    db.session.add_all([ReportClaim(tag=tag) for tag in tags])
    db.session.flush()
    users = sorted({c.user_id for c in claims})
    for user_id in users:
        mine = [c for c in claims if c.user_id == user_id]
        record = earn(db.session.get(User, user_id), "report_accepted", source,
                      points=sum(c.points for c in mine), memo=MEMO, at=moment)
        for pending in mine:
            pending.earn_record_id, pending.tag = record.id, None
    return len(users)
