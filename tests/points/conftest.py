"""Points fixtures: give a villager points through the ledger, and handy demo people and shops."""
import itertools

import pytest
import sqlalchemy as sa

_keys = itertools.count(1)


@pytest.fixture
def give_points(session):
    """Credit a villager from the township's issued account (the way every earn does)."""
    from accounts.authz import home_township
    from points import ledger

    def _give(user, points: int):
        township = home_township(user)
        return ledger.transfer("earn", f"test-grant:{next(_keys)}",
                               [(ledger.township_account(township, "issued"), -points),
                                (ledger.villager_account(user), points)], memo="测试发放")

    return _give


@pytest.fixture
def villager(demo):
    """王大爷, a villager of 河西村."""
    return demo.users["13900000101"]


@pytest.fixture
def other_villager(demo):
    """赵大妈, a villager of 岔马村 (same township)."""
    return demo.users["13900000102"]


@pytest.fixture
def staff(demo):
    """清溪镇 township staff."""
    return demo.users["13900000001"]


@pytest.fixture
def keeper(demo):
    """The keeper of 河西早餐店."""
    return demo.users["13900000201"]


@pytest.fixture
def shop(demo):
    """河西早餐店."""
    from points.shops import shop_by_code

    return shop_by_code("HXZC01")


@pytest.fixture
def other_shop(demo):
    """河西便民超市."""
    from points.shops import shop_by_code

    return shop_by_code("HXCS02")


@pytest.fixture
def ledger_state(session):
    """A snapshot of every balance and row count, to prove a refused request changed nothing."""
    from points.models import Account, Entry, Redemption, Transfer

    def _state():
        return (tuple(session.execute(sa.select(Account.id, Account.balance).order_by(Account.id)).all()),
                session.execute(sa.select(sa.func.count(Transfer.id))).scalar_one(),
                session.execute(sa.select(sa.func.count(Entry.id))).scalar_one(),
                session.execute(sa.select(sa.func.count(Redemption.id))).scalar_one())

    return _state
