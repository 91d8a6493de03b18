"""The ledger's invariants, one by one."""
import pytest
import sqlalchemy as sa

from points import ledger
from points.models import Account, Entry, LedgerImmutable


def test_transfer_entries_sum_to_zero_and_balances_follow(session, villager, shop, give_points):
    give_points(villager, 30)
    account = ledger.villager_account(villager)
    moved = ledger.transfer("redeem", "k-sum", [(account, -12), (ledger.shop_account(shop), 12)])
    assert sum(e.amount for e in moved.entries) == 0
    assert ledger.balance_of(villager) == 18
    assert ledger.shop_account(shop).balance == 12
    assert ledger.recomputed_balances() == [] and ledger.unbalanced_transfers() == []


def test_unbalanced_transfer_is_refused(session, villager, shop):
    with pytest.raises(ValueError):
        ledger.transfer("redeem", "k-bad", [(ledger.villager_account(villager), -5),
                                            (ledger.shop_account(shop), 4)])
    assert ledger.find_transfer("k-bad") is None


def test_debit_refuses_to_go_below_zero(session, villager, shop, give_points, ledger_state):
    give_points(villager, 5)
    ledger.shop_account(shop)
    before = ledger_state()
    with pytest.raises(ledger.InsufficientPoints):
        ledger.transfer("redeem", "k-over", [(ledger.villager_account(villager), -6),
                                             (ledger.shop_account(shop), 6)])
    assert ledger_state() == before
    assert ledger.balance_of(villager) == 5


def test_issued_account_may_go_negative_as_the_source(session, villager, give_points, demo):
    before = ledger.township_account(demo.township, "issued").balance
    give_points(villager, 7)
    assert ledger.township_account(demo.township, "issued").balance == before - 7 < 0


def test_same_key_returns_first_transfer_and_moves_nothing(session, villager, shop, give_points):
    give_points(villager, 20)
    legs = [(ledger.villager_account(villager), -5), (ledger.shop_account(shop), 5)]
    first = ledger.transfer("redeem", "k-once", legs)
    assert not first.replayed
    again = ledger.transfer("redeem", "k-once", legs)
    assert again.id == first.id and again.replayed
    assert ledger.balance_of(villager) == 15


def test_transfers_and_entries_are_never_updated_or_deleted(session, villager, give_points):
    moved = give_points(villager, 3)
    session.commit()
    moved.memo = "改过"
    with pytest.raises(LedgerImmutable):
        session.flush()
    session.rollback()
    entry = session.execute(sa.select(Entry)).scalars().first()
    session.delete(entry)
    with pytest.raises(LedgerImmutable):
        session.flush()


def test_balance_check_constraint_is_the_backstop(session, villager, give_points):
    from sqlalchemy.exc import IntegrityError

    give_points(villager, 2)
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(sa.update(Account).where(Account.user_id == villager.id).values(balance=-1))


def test_balance_is_read_with_one_query(session, villager, give_points, count_queries):
    for _ in range(5):
        give_points(villager, 1)
    with count_queries() as statements:
        assert ledger.balance_of(villager) == 5
    assert len(statements) == 1 and "entry" not in statements[0].lower()


def test_points_check_passes_then_reports_a_tampered_balance(app, session, villager, give_points):
    give_points(villager, 4)
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["points-check"])
    assert clean.exit_code == 0 and "一致" in clean.output
    session.execute(sa.update(Account).where(Account.user_id == villager.id).values(balance=9))
    assert [(a.user_id, total) for a, total in ledger.recomputed_balances()] == [(villager.id, 4)]
    tampered = runner.invoke(args=["points-check"])
    assert tampered.exit_code == 1 and "相差 5" in tampered.output
