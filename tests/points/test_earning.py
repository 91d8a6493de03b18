"""Earning: named reports earn through the lifecycle signals, caps are recorded as not granted, events."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import clock
from citizen.reports import signals
from citizen.reports.models import Report
from errors import Conflict
from points import ledger
from points.earning import check_in, create_event, earn, earn_finance_read
from points.models import EarnRecord
from points.rules import update_rule

NOON = datetime(2026, 11, 10, 4, 0, tzinfo=timezone.utc)  # 12:00 in Shanghai


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze(NOON)
    yield
    clock.freeze(None)


def _report(session, demo, user=None, n=1):
    """A report row as the reports area stores it (named when a user is given)."""
    report = Report(village_id=demo.villages["hexi"].id, category="其他", content="测试内容" * 3,
                    anonymous=user is None, user_id=user.id if user else None, tracking_hash=f"h{n}-{id(user)}")
    session.add(report)
    session.flush()
    return report


def test_named_report_accepted_earns_ten_from_the_issued_account(session, demo, villager, people):
    issued = ledger.township_account(demo.township, "issued").balance
    signals.report_accepted.send(_report(session, demo, villager), actor=people["committee"])
    assert ledger.balance_of(villager) == 10
    assert ledger.township_account(demo.township, "issued").balance == issued - 10


def test_anonymous_report_earns_nothing(session, demo, villager, ledger_state):
    before = ledger_state()
    signals.report_accepted.send(_report(session, demo), actor=None)
    assert ledger_state() == before


def test_published_and_rated_earn_five_and_one(session, demo, villager):
    report = _report(session, demo, villager)
    signals.report_published.send(report, actor=None)
    signals.report_rated.send(report, actor=None)
    assert ledger.balance_of(villager) == 6


def test_the_same_event_twice_earns_once(session, demo, villager):
    report = _report(session, demo, villager)
    signals.report_accepted.send(report, actor=None)
    signals.report_accepted.send(report, actor=None)
    assert ledger.balance_of(villager) == 10


def test_daily_cap_records_not_granted_with_reason(session, demo, villager):
    update_rule(demo.township, "report_accepted", 10, 20, 100, True)
    for n in range(3):
        signals.report_accepted.send(_report(session, demo, villager, n), actor=None)
    assert ledger.balance_of(villager) == 20
    refused = session.execute(sa.select(EarnRecord).where(EarnRecord.granted.is_(False))).scalar_one()
    assert refused.reason == "今天这一项已到上限（每天最多20分）" and refused.transfer_id is None


def test_monthly_cap_counts_across_days(session, demo, villager):
    update_rule(demo.township, "finance_read", 1, 1, 2, True)
    for day, village in enumerate(("a", "b", "c")):
        clock.freeze(NOON + timedelta(days=day))
        earn(villager, "finance_read", f"finance:{village}:2026-11")
    assert ledger.balance_of(villager) == 2
    refused = session.execute(sa.select(EarnRecord).where(EarnRecord.granted.is_(False))).scalar_one()
    assert "每月最多2分" in refused.reason


def test_switched_off_rule_grants_nothing(session, demo, villager):
    update_rule(demo.township, "finance_read", 1, 2, 5, False)
    record = earn_finance_read(villager, demo.villages["hexi"].id, "2026-10")
    assert not record.granted and record.reason == "这一项积分暂停发放" and ledger.balance_of(villager) == 0


def test_event_check_in_only_during_its_window(session, demo, villager):
    event = create_event(demo.township, demo.villages["hexi"], "群众说事日", NOON - timedelta(hours=1),
                         NOON + timedelta(hours=1))
    assert check_in(villager, event).granted and ledger.balance_of(villager) == 5
    clock.freeze(NOON + timedelta(hours=2))
    with pytest.raises(Conflict) as refused:
        check_in(villager, event)
    assert refused.value.code == "event_closed" and ledger.balance_of(villager) == 5
