"""阅读当月财务公开 earns a point, handed off by the page: no named row while the villager reads, and the
moment recorded is the day's start, not the page's (issue 11, item 4)."""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

import clock
import counters
from points import ledger
from points.models import EarnRecord, Transfer

READ_AT = datetime(2026, 11, 12, 6, 43, 27, 123456, tzinfo=timezone.utc)  # 14:43:27 in Shanghai
DAY_START = datetime(2026, 11, 11, 16, 0, tzinfo=timezone.utc)  # 2026-11-12 00:00 in Shanghai


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(READ_AT)
    yield
    clock.freeze(None)


@pytest.fixture
def finance(hexi, session):
    """A published finance disclosure of 河西村 from the demo."""
    from disclosure.models import Disclosure

    return session.execute(sa.select(Disclosure).where(Disclosure.village_id == hexi.id, Disclosure.category == "finance",
                                                       Disclosure.status == "published")).scalars().first()


def _reads(session, user) -> list[EarnRecord]:
    """The villager's finance-read earn records."""
    return session.execute(sa.select(EarnRecord).where(EarnRecord.user_id == user.id,
                                                       EarnRecord.rule_key == "finance_read")).scalars().all()


def test_reading_the_finance_page_earns_once_at_the_days_start(client, login_as, villager, finance, session):
    login_as(villager)
    assert client.get(f"/d/{finance.id}").status_code == 200
    assert client.get(f"/d/{finance.id}").status_code == 200
    records = _reads(session, villager)
    assert len(records) == 1 and records[0].granted and ledger.balance_of(villager) == 1
    transfer = session.get(Transfer, records[0].transfer_id)
    assert records[0].created_at == transfer.created_at == DAY_START  # not 14:43:27.123456


def test_the_page_writes_no_named_row_the_batch_does(app, client, login_as, villager, finance, session, monkeypatch):
    monkeypatch.setitem(app.config, "DEFERRED_WRITE_SECONDS", 3600)
    login_as(villager)
    assert client.get(f"/d/{finance.id}").status_code == 200
    assert _reads(session, villager) == []  # the read is only in this process's memory
    with app.app_context():
        assert counters.flush() >= 1
    assert len(_reads(session, villager)) == 1


def test_an_anonymous_reader_hands_nothing_off(app, client, finance):
    assert client.get(f"/d/{finance.id}").status_code == 200
    assert not app.extensions["counters"].calls
