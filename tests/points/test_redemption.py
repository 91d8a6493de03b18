"""Redemption rules: limits, suspended and foreign shops, idempotent retries, reversal."""
import pytest

from accounts.authz import allowed
from errors import Conflict, Invalid
from points import ledger
from points.redemption import redeem, reverse_redemption
from points.rules import update_settings
from points.shops import set_shop_active, shop_by_code


def test_redeem_moves_points_and_shows_a_four_digit_number(session, villager, shop, give_points):
    give_points(villager, 50)
    r = redeem(villager, shop, 20, "tap-1")
    assert (r.points, r.balance_after, ledger.balance_of(villager)) == (20, 30, 30)
    assert len(r.confirmation) == 4 and r.confirmation.isdigit()
    assert ledger.shop_account(shop).balance == 20


def test_redeem_refuses_to_go_below_zero(session, villager, shop, give_points, ledger_state):
    give_points(villager, 10)
    ledger.shop_account(shop)
    before = ledger_state()
    with pytest.raises(ledger.InsufficientPoints) as refused:
        redeem(villager, shop, 11, "tap-over")
    assert refused.value.message == "积分不够：您现在有10分，想用11分。"
    assert ledger_state() == before


def test_double_tap_spends_once(session, villager, shop, give_points):
    give_points(villager, 50)
    first = redeem(villager, shop, 20, "same")
    again = redeem(villager, shop, 20, "same")
    assert again.id == first.id and again.replayed and ledger.balance_of(villager) == 30


def test_keys_are_per_villager(session, villager, other_villager, shop, give_points):
    give_points(villager, 20)
    give_points(other_villager, 20)
    mine, theirs = redeem(villager, shop, 5, "k"), redeem(other_villager, shop, 5, "k")
    assert mine.id != theirs.id


@pytest.mark.parametrize("points, message", [(0, "积分至少要用1分。"), ("abc", "请输入要用的积分，整数。"),
                                             (201, "每次最多用200分。")])
def test_bad_amounts_are_refused_in_chinese(session, villager, shop, give_points, points, message):
    give_points(villager, 500)
    with pytest.raises(Invalid) as refused:
        redeem(villager, shop, points, "bad")
    assert refused.value.message == message and ledger.balance_of(villager) == 500


def test_daily_limit_per_shop(session, demo, villager, shop, other_shop, give_points):
    update_settings(demo.township, {"max_redemptions_per_day": 2})
    give_points(villager, 50)
    redeem(villager, shop, 1, "a")
    redeem(villager, shop, 1, "b")
    with pytest.raises(Conflict) as refused:
        redeem(villager, shop, 1, "c")
    assert refused.value.code == "daily_limit"
    assert redeem(villager, other_shop, 1, "d").points == 1


def test_suspended_shop_cannot_receive(session, villager, shop, give_points):
    give_points(villager, 50)
    set_shop_active(shop, False)
    with pytest.raises(Conflict) as refused:
        redeem(villager, shop, 5, "s")
    assert refused.value.code == "shop_suspended" and ledger.balance_of(villager) == 50


def test_foreign_township_shop_is_out_of_scope(session, villager, foreign_villager, shop):
    assert allowed("points.pay_shop", shop, villager)
    assert not allowed("points.pay_shop", shop_by_code("YSSHOP1"), villager)
    assert not allowed("points.pay_shop", shop, foreign_villager)


def test_reversal_gives_points_back_once_and_needs_a_reason(session, villager, shop, give_points, people):
    give_points(villager, 30)
    r = redeem(villager, shop, 20, "x")
    with pytest.raises(Invalid):
        reverse_redemption(r, people["township"], "  ")
    reverse_redemption(r, people["township"], "店家收错了")
    assert ledger.balance_of(villager) == 30 and ledger.shop_account(shop).balance == 0
    with pytest.raises(Conflict) as again:
        reverse_redemption(r, people["township"], "再来一次")
    assert again.value.code == "already_reversed" and ledger.balance_of(villager) == 30
