"""Earning: one grant per reason (source), from the township's `issued` account, within the rule's caps."""
from datetime import date, datetime

import sqlalchemy as sa

import clock
from accounts.authz import home_township
from accounts.models import User
from errors import Conflict, Invalid, NotFound
from extensions import db
from points import ledger, tally
from points.models import EarnRecord, Event
from points.periods import day_bounds, day_start, month_bounds, month_of
from points.rules import RULE_NAMES, rule_for


def earn(user: User, key: str, source: str, actor: User | None = None, points: int | None = None,
         memo: str | None = None, at: datetime | None = None) -> EarnRecord | None:
    """Grant `key`'s points (or `points`) to a villager once for `source`; over a cap it is recorded as not granted.

    Returns the record (the first one when this source was seen before), or None when the person
    belongs to no township.
    """
    township = home_township(user)
    if township is None:
        return None
    account = ledger.villager_account(user)
    ledger.lock_account(account)  # caps are counted under the villager's row lock
    existing = _record(user, key, source)
    if existing is not None:
        return existing
    rule = rule_for(township, key)
    record = EarnRecord(user_id=user.id, township_id=township.id, rule_key=key, source=source,
                        points=points or rule.points, created_at=at or clock.now())
    record.reason = _refusal(user, rule, record.points)
    record.granted = record.reason is None
    if record.granted:
        transfer = ledger.transfer("earn", f"earn:{user.id}:{key}:{source}",
                                   [(ledger.township_account(township, "issued"), -record.points),
                                    (account, record.points)],
                                   memo=memo or RULE_NAMES[key], actor=actor, at=record.created_at)
        record.transfer_id = transfer.id
        tally.add_issued(user.id, record.points)
    db.session.add(record)
    db.session.flush()
    return record


def _record(user: User, key: str, source: str) -> EarnRecord | None:
    """The earlier record of this reason, if any."""
    return db.session.execute(sa.select(EarnRecord).filter_by(user_id=user.id, rule_key=key, source=source)
                              ).scalar_one_or_none()


def _refusal(user: User, rule, points: int) -> str | None:
    """Why this earn is not granted (switched off, a cap reached), or None."""
    if not rule.enabled:
        return "这一项积分暂停发放"
    day_start, day_end = day_bounds()
    month_start, month_end = month_bounds(month_of())
    if _granted_between(user, rule.key, day_start, day_end) + points > rule.daily_cap:
        return f"今天这一项已到上限（每天最多{rule.daily_cap}分）"
    if _granted_between(user, rule.key, month_start, month_end) + points > rule.monthly_cap:
        return f"本月这一项已到上限（每月最多{rule.monthly_cap}分）"
    return None


def _granted_between(user: User, key: str, start: datetime, end: datetime) -> int:
    """Points granted to the villager by one rule in [start, end)."""
    return db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(EarnRecord.points), 0))
        .where(EarnRecord.user_id == user.id, EarnRecord.rule_key == key, EarnRecord.granted.is_(True),
               EarnRecord.created_at >= start, EarnRecord.created_at < end)).scalar_one()


def earn_for_report(report, key: str, actor: User | None = None) -> EarnRecord | None:
    """A report event earns its named reporter points; anonymous reports earn nothing."""
    if report.anonymous or report.user_id is None:
        return None
    user = db.session.get(User, report.user_id)
    if user is None or not user.active:
        return None
    return earn(user, key, f"report:{report.id}", actor=actor)


def earn_finance_read(user: User, village_id: int, period: str, at: datetime | None = None) -> EarnRecord | None:
    """A villager read a village's monthly finance disclosure: once per village and month."""
    return earn(user, "finance_read", f"finance:{village_id}:{period}", at=at)


def earn_finance_read_later(user_id: int, village_id: int, period: str, day: str) -> EarnRecord | None:
    """The deferred earn of a read on `day` (ISO date), recorded at that day's start: the page's moment is not kept."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return earn_finance_read(user, village_id, period, at=day_start(date.fromisoformat(day)))


def create_event(township, village, title: str, starts_at: datetime, ends_at: datetime) -> Event:
    """Township staff schedule a 群众说事日 whose code villagers scan to check in."""
    title = (title or "").strip()
    if not title or len(title) > 80:
        raise Invalid("请填写活动名称（最多80个字）。", fields={"title": ["请填写活动名称。"]})
    if village.township_id != township.id:  # another township's village is out of scope, not a typo
        raise NotFound()
    if ends_at <= starts_at:
        raise Invalid("结束时间要晚于开始时间。", fields={"ends_at": ["要晚于开始时间。"]})
    event = Event(township_id=township.id, village_id=village.id, title=title, starts_at=starts_at,
                  ends_at=ends_at)
    db.session.add(event)
    db.session.flush()
    return event


def find_event(village, event_id: int) -> Event | None:
    """The village's event with this id, or None."""
    event = db.session.get(Event, event_id)
    return event if event is not None and event.village_id == village.id else None


def event_open(event: Event) -> bool:
    """True while the event's check-in window is open."""
    return event.starts_at <= clock.now() < event.ends_at


def check_in(user: User, event: Event) -> EarnRecord:
    """A villager scanned the event's code during its window: 参加群众说事日 points, once per event."""
    if not event_open(event):
        raise Conflict("现在不在签到时间内，请在活动进行时扫码签到。", code="event_closed")
    township = home_township(user)
    if township is None or township.id != event.township_id:
        raise Conflict("只有本镇村民可以在这里签到。", code="not_local")
    return earn(user, "event_checkin", f"event:{event.id}")
