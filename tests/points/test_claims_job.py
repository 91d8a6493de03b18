"""The daily anonymous-claim payout is a periodic job now: scheduled hourly at :20, paying nothing twice."""
from datetime import datetime, timedelta

import pytest

import clock
from jobs.queue import huey
from points import ledger
from points.claims import claim_anonymous_report
from points.tasks import pay_anonymous_claims
from tests.points.test_claims import DAY, _anonymous


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(DAY)
    yield
    clock.freeze(None)


def test_the_worker_schedules_the_payout_at_twenty_past_each_hour():
    due = {type(t).__name__ for t in huey.read_periodic(datetime(2026, 11, 10, 16, 20))}
    assert "pay_anonymous_claims" in due
    assert "pay_anonymous_claims" not in {type(t).__name__ for t in huey.read_periodic(datetime(2026, 11, 10, 16, 21))}


def test_the_job_pays_yesterdays_claims_once_however_often_it_runs(session, demo, villager, other_villager):
    from tests.points.conftest import _person

    # three claimers, so the batch pays under a minimum-claimers rule too
    claimers = [villager, other_villager, _person(session, "13700000009", "周阿婆", village_id=demo.villages["hexi"].id)]
    for n, person in enumerate(claimers):
        claim_anonymous_report(person, _anonymous(session, demo, n=n))
    session.commit()
    pay_anonymous_claims()
    assert [ledger.balance_of(p) for p in claimers] == [0, 0, 0]  # same day: waits for the batch after midnight
    clock.freeze(DAY + timedelta(days=1))
    pay_anonymous_claims()
    pay_anonymous_claims()
    session.expire_all()
    assert [ledger.balance_of(p) for p in claimers] == [10, 10, 10]
