"""Anonymous reporters claim points with the tracking code; the ledger cannot tell which report."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import clock
from citizen.reports.models import Report
from errors import Conflict
from points import ledger
from points.claims import MEMO, claim_anonymous_report, pay_claims, today
from points.models import EarnRecord, PendingClaim, ReportClaim, Transfer

DAY = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(DAY)
    yield
    clock.freeze(None)


def _anonymous(session, demo, status="accepted", n=0):
    report = Report(village_id=demo.villages["hexi"].id, category="其他", content="匿名反映的内容",
                    anonymous=True, status=status, tracking_hash=f"anon-{n}")
    session.add(report)
    session.flush()
    return report


def test_claims_of_a_day_are_paid_together_without_a_link_to_the_report(session, demo, villager, other_villager):
    reports = [_anonymous(session, demo, n=n) for n in range(3)]
    claim_anonymous_report(villager, reports[0])
    clock.freeze(DAY + timedelta(hours=3))
    claim_anonymous_report(other_villager, reports[1])
    claim_anonymous_report(villager, reports[2])
    assert ledger.balance_of(villager) == 0  # nothing moves at claim time
    clock.freeze(DAY + timedelta(days=1))
    assert pay_claims() == 2
    assert ledger.balance_of(villager) == 20 and ledger.balance_of(other_villager) == 10
    transfers = session.execute(sa.select(Transfer).where(Transfer.memo == MEMO)).scalars().all()
    assert len({t.created_at for t in transfers}) == 1
    assert all(t.idempotency_key.endswith(":report_accepted:claims:2026-11-10") for t in transfers)
    sources = set(session.execute(sa.select(EarnRecord.source).where(
        EarnRecord.user_id.in_([villager.id, other_villager.id]))).scalars())
    assert sources == {"claims:2026-11-10"}
    assert set(session.execute(sa.select(ReportClaim.report_id)).scalars()) == {r.id for r in reports}
    assert [c.name for c in ReportClaim.__table__.columns] == ["report_id"]
    assert "report_id" not in PendingClaim.__table__.columns


def test_a_report_is_claimed_once(session, demo, villager, other_villager):
    report = _anonymous(session, demo)
    claim_anonymous_report(villager, report)
    with pytest.raises(Conflict) as again:
        claim_anonymous_report(other_villager, report)
    assert again.value.code == "already_claimed"


@pytest.mark.parametrize("status, code", [("submitted", "not_accepted"), ("rejected", "not_accepted")])
def test_only_accepted_reports_can_be_claimed(session, demo, villager, status, code):
    with pytest.raises(Conflict) as refused:
        claim_anonymous_report(villager, _anonymous(session, demo, status))
    assert refused.value.code == code


def test_paying_twice_pays_once(session, demo, villager):
    claim_anonymous_report(villager, _anonymous(session, demo))
    clock.freeze(DAY + timedelta(days=1))
    pay_claims()
    assert pay_claims() == 0 and ledger.balance_of(villager) == 10


def test_todays_claims_wait_for_tomorrows_batch(session, demo, villager):
    claim_anonymous_report(villager, _anonymous(session, demo))
    assert pay_claims() == 0 and today().isoformat() == "2026-11-10"
