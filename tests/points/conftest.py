"""Points fixtures: give a villager points through the ledger, fresh villagers with no history, and demo shops."""
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


def _person(session, phone: str, name: str, **grant):
    """A new villager with no points history (the demo villagers already have some)."""
    from accounts.models import RoleGrant, User

    user = User(phone=phone, name=name)
    user.grants.append(RoleGrant(role="villager", **grant))
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def villager(demo, session):
    """A fresh villager of 河西村 with no points yet."""
    return _person(session, "13700000001", "孙小梅", village_id=demo.villages["hexi"].id)


@pytest.fixture
def other_villager(demo, session):
    """A fresh villager of 岔马村 (same township)."""
    return _person(session, "13700000002", "钱大伯", village_id=demo.villages["chama"].id)


@pytest.fixture
def foreign_villager(demo, session):
    """A villager of another township, with its own shop."""
    from accounts.models import Township, Village
    from points.models import Shop

    township = Township(name="远山镇", slug="yuanshan")
    session.add(township)
    session.flush()
    village = Village(township_id=township.id, name="远山村", slug="yuanshan-v")
    session.add(village)
    session.flush()
    session.add(Shop(code="YSSHOP1", village_id=village.id, name="远山小卖部", active=True))
    return _person(session, "13700000003", "远山村民", village_id=village.id)


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
