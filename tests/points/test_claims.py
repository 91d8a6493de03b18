"""Anonymous reporters claim points with the tracking code; the ledger cannot tell which report."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import clock
from citizen.reports.models import Report
from errors import Conflict
from points import ledger
from points.claims import MEMO, claim_anonymous_report, claim_tag, pay_claims, today
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


@pytest.fixture
def third_villager(demo, session):
    """A third fresh villager of 河西村, so that a batch has enough claimers to pay."""
    from tests.points.conftest import _person

    return _person(session, "13700000009", "周阿婆", village_id=demo.villages["hexi"].id)


def _rows(session) -> dict:
    """How many rows every table holds."""
    from extensions import db

    return {table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables}


def test_a_claim_writes_one_pending_row_and_touches_no_report(session, demo, villager):
    report = _anonymous(session, demo)
    before_rows = _rows(session)
    before_report = {c.name: getattr(report, c.key) for c in Report.__table__.columns}
    claim_anonymous_report(villager, report)
    session.expire_all()
    after = _rows(session)
    assert {name: after[name] - before_rows[name] for name in after if after[name] != before_rows[name]} == \
        {"pending_claim": 1}
    assert {c.name: getattr(session.get(Report, report.id), c.key) for c in Report.__table__.columns} == before_report
    pending = session.execute(sa.select(PendingClaim)).scalar_one()
    assert pending.tag == claim_tag(report.id) and pending.tag != str(report.id) and len(pending.tag) == 64
    assert "report_id" not in PendingClaim.__table__.columns
    assert [c.name for c in ReportClaim.__table__.columns] == ["tag"]


def test_claims_wait_until_enough_villagers_of_the_township_claimed(session, demo, villager, other_villager,
                                                                     third_villager):
    reports = [_anonymous(session, demo, n=n) for n in range(4)]
    claim_anonymous_report(villager, reports[0])
    claim_anonymous_report(other_villager, reports[1])
    claim_anonymous_report(villager, reports[2])
    clock.freeze(DAY + timedelta(days=1))
    assert pay_claims() == 0  # two villagers waiting: a payment could be matched to its report
    assert ledger.balance_of(villager) == 0
    claim_anonymous_report(third_villager, reports[3])
    clock.freeze(DAY + timedelta(days=2))
    assert pay_claims() == 3
    assert (ledger.balance_of(villager), ledger.balance_of(other_villager), ledger.balance_of(third_villager)) == \
        (20, 10, 10)


def test_one_batch_pays_at_one_moment_and_leaves_only_tags_that_name_nobody(session, demo, villager, other_villager,
                                                                           third_villager):
    reports = [_anonymous(session, demo, n=n) for n in range(3)]
    for person, report in zip((villager, other_villager, third_villager), reports):
        claim_anonymous_report(person, report)
        clock.freeze(clock.now() + timedelta(hours=3))
    clock.freeze(DAY + timedelta(days=1))
    assert pay_claims() == 3
    transfers = session.execute(sa.select(Transfer).where(Transfer.memo == MEMO)).scalars().all()
    assert len(transfers) == 3 and len({t.created_at for t in transfers}) == 1
    assert all(t.idempotency_key.endswith(":report_accepted:claims:2026-11-11") for t in transfers)
    assert set(session.execute(sa.select(ReportClaim.tag)).scalars()) == {claim_tag(r.id) for r in reports}
    assert session.execute(sa.select(PendingClaim.tag).where(PendingClaim.tag.is_not(None))).first() is None


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


def test_paying_twice_pays_once(session, demo, villager, monkeypatch, app):
    monkeypatch.setitem(app.config, "CLAIM_MIN_CLAIMERS", 1)
    report = _anonymous(session, demo)
    claim_anonymous_report(villager, report)
    clock.freeze(DAY + timedelta(days=1))
    pay_claims()
    assert pay_claims() == 0 and ledger.balance_of(villager) == 10
    with pytest.raises(Conflict) as again:  # paid: the report's tag now sits in ReportClaim
        claim_anonymous_report(villager, report)
    assert again.value.code == "already_claimed"


def test_todays_claims_wait_for_tomorrows_batch(session, demo, villager, monkeypatch, app):
    monkeypatch.setitem(app.config, "CLAIM_MIN_CLAIMERS", 1)
    claim_anonymous_report(villager, _anonymous(session, demo))
    assert pay_claims() == 0 and today().isoformat() == "2026-11-10"
