"""The demo's points history is made by the real rules and is idempotent."""
import sqlalchemy as sa

from points import ledger
from points.models import Redemption, Settlement, Transfer


def test_demo_has_a_paid_and_an_open_month_and_points_left(session, full_demo):
    villager = full_demo.users["13900000101"]
    statements = session.execute(sa.select(Settlement).order_by(Settlement.month)).scalars().all()
    assert {s.status for s in statements} == {"paid", "open"}
    assert ledger.balance_of(villager) >= 20
    hexi_shops = {r.shop.code for r in session.execute(sa.select(Redemption)).scalars()} >= {"HXZC01", "HXCS02"}
    assert hexi_shops
    assert ledger.recomputed_balances() == [] and ledger.unbalanced_transfers() == []


def test_demo_points_seed_twice_changes_nothing(session, full_demo):
    from accounts.cli import run_seeders

    count = session.execute(sa.select(sa.func.count(Transfer.id))).scalar_one()
    run_seeders()
    assert session.execute(sa.select(sa.func.count(Transfer.id))).scalar_one() == count
