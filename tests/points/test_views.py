"""The points pages: pay a shop (PRG, double tap), 我的积分, the shop desk and its feed, the township desk."""
import re
from datetime import datetime, timezone

import sqlalchemy as sa

import clock
from points import ledger
from points.models import Redemption, Settlement
from points.redemption import redeem
from points.shops import set_shop_active


def _key(html: str) -> str:
    """The idempotency key the pay page generated into its form."""
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def test_pay_page_without_login_names_the_shop_and_offers_login(client, demo):
    page = client.get("/pay/HXZC01").get_data(as_text=True)
    assert "河西早餐店" in page and "河西村" in page and "登录后用积分" in page and 'name="key"' not in page


def test_pay_page_shows_balance_pad_and_a_fresh_key(client, login_as, villager, give_points):
    give_points(villager, 42)
    login_as(villager)
    first, second = client.get("/pay/HXZC01").get_data(as_text=True), client.get("/pay/HXZC01").get_data(as_text=True)
    assert 'id="balance">42<' in first and "确认" in first and "data-numpad" in first
    assert _key(first) != _key(second)


def test_pay_then_confirmation_number_and_double_tap_spends_once(client, login_as, villager, give_points, session):
    give_points(villager, 50)
    login_as(villager)
    key = _key(client.get("/pay/HXZC01").get_data(as_text=True))
    first = client.post("/pay/HXZC01", data={"points": "20", "key": key})
    again = client.post("/pay/HXZC01", data={"points": "20", "key": key})
    assert first.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    done = client.get(first.headers["Location"]).get_data(as_text=True)
    number = session.execute(sa.select(Redemption.confirmation)).scalar_one()
    assert f'id="confirmation">{number}<' in done and "剩余 30 分" in done
    assert ledger.balance_of(villager) == 30


def test_pay_too_much_shows_the_reason_and_keeps_the_form(client, login_as, villager, give_points, ledger_state):
    give_points(villager, 5)
    login_as(villager)
    before = ledger_state()
    response = client.post("/pay/HXZC01", data={"points": "20", "key": "k-over"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "积分不够：您现在有5分，想用20分。" in page and 'value="k-over"' in page
    assert ledger_state()[1:] == before[1:]


def test_suspended_shop_page_says_so_and_has_no_pad(client, login_as, villager, shop):
    set_shop_active(shop, False)
    login_as(villager)
    page = client.get("/pay/HXZC01").get_data(as_text=True)
    assert "暂停收积分" in page and "data-numpad" not in page


def test_foreign_villager_gets_404_on_the_pay_page(client, login_as, foreign_villager):
    login_as(foreign_villager)
    assert client.get("/pay/HXZC01").status_code == 404
    assert client.post("/pay/HXZC01", data={"points": "1", "key": "k"}).status_code == 404


def test_my_points_shows_balance_history_and_nearby_shops(client, login_as, villager, shop, give_points):
    give_points(villager, 30)
    redeem(villager, shop, 20, "m")
    login_as(villager)
    page = client.get("/me/points").get_data(as_text=True)
    assert 'id="balance">10<' in page and "河西早餐店" in page and "−20" in page and "+30" in page
    assert "河西便民超市" in page


def test_my_points_needs_login(client, demo):
    response = client.get("/me/points")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_shop_desk_and_feed_show_the_confirmation_number(client, login_as, villager, shop, give_points, people):
    give_points(villager, 30)
    r = redeem(villager, shop, 20, "s")
    login_as(people["shopkeeper"])
    page = client.get("/shop").get_data(as_text=True)
    assert r.confirmation in page and 'id="today-total">20<' in page
    feed = client.get("/shop/feed.json").get_json()
    assert feed["latest_id"] == r.id and feed["items"][0]["confirmation"] == r.confirmation and feed["total"] == 20


def test_shop_desk_is_404_for_a_villager(client, login_as, villager):
    login_as(villager)
    assert client.get("/shop").status_code == 404 and client.get("/shop/feed.json").status_code == 404


def test_township_desk_settles_and_marks_paid(client, login_as, villager, shop, give_points, session, people):
    give_points(villager, 30)
    clock.freeze(datetime(2026, 10, 9, 3, tzinfo=timezone.utc))
    redeem(villager, shop, 20, "t")
    clock.freeze(datetime(2026, 11, 2, 3, tzinfo=timezone.utc))
    try:
        login_as(people["township"])
        page = client.get("/township/points?month=2026-10").get_data(as_text=True)
        assert "河西早餐店" in page and "确认结算" in page and "实名举报被受理" in page
        opened = client.post("/township/points/settlements", data={"shop_code": "HXZC01", "month": "2026-10"})
        assert opened.status_code == 303
        statement = client.get(opened.headers["Location"]).get_data(as_text=True)
        assert "2.00 元" in statement and "标记已付款" in statement
        sid = session.execute(sa.select(Settlement.id)).scalar_one()
        client.post(f"/points/statements/{sid}/paid", data={"reference": "BANK-9"})
        assert "已付款" in client.get(f"/points/statements/{sid}").get_data(as_text=True)
    finally:
        clock.freeze(None)


def test_township_desk_reverses_with_reason(client, login_as, villager, shop, give_points, people):
    give_points(villager, 30)
    r = redeem(villager, shop, 20, "r")
    login_as(people["township"])
    response = client.post(f"/township/points/redemptions/{r.id}/reverse", data={"reason": "店家按错了"})
    assert response.status_code == 303 and ledger.balance_of(villager) == 30


def test_township_desk_is_404_for_a_shopkeeper(client, login_as, people):
    login_as(people["shopkeeper"])
    assert client.get("/township/points").status_code == 404


def test_township_enrols_a_shop_and_a_keeper(client, login_as, demo, people):
    login_as(people["township"])
    response = client.post("/township/points/shops", data={"name": "岔马小卖部", "village_id": demo.villages["chama"].id,
                                                           "address": "桥头", "contact": "钱"})
    assert response.status_code == 303
    code = response.headers["Location"].rsplit("/", 1)[1]
    keeper = client.post(f"/township/points/shops/{code}/keepers",
                         data={"name": "钱老板", "phone": "13700000099", "password": "shop-pass-1"})
    assert keeper.status_code == 303
    assert "钱老板" in client.get(f"/township/points/shops/{code}").get_data(as_text=True)


def test_pages_carry_no_inline_script_or_style(client, login_as, villager, give_points):
    give_points(villager, 5)
    login_as(villager)
    for url in ("/pay/HXZC01", "/me/points"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_bad_rule_values_are_refused_in_chinese_and_change_nothing(client, login_as, demo, people):
    from points.rules import rule_for

    login_as(people["township"])
    response = client.post("/township/points/rules/report_accepted",
                           data={"points": "十", "daily_cap": "30", "monthly_cap": "100", "enabled": "1"})
    assert response.status_code == 422 and "实名举报被受理的积分要填整数。" in response.get_data(as_text=True)
    assert rule_for(demo.township, "report_accepted").points == 10


def test_a_refused_desk_form_shows_the_desk_again_with_what_was_typed(client, login_as, demo, people):
    """Each desk form comes back on its own page with the message and the typed values; never the password."""
    login_as(people["township"])
    rule = client.post("/township/points/rules/report_accepted",
                       data={"points": "十", "daily_cap": "30", "monthly_cap": "100", "enabled": "1"})
    page = rule.get_data(as_text=True)
    assert rule.status_code == 422 and 'role="alert"' in page and 'name="points" value="十"' in page
    enrol = client.post("/township/points/shops", data={"name": "", "village_id": demo.villages["chama"].id,
                                                        "address": "桥头第三家", "contact": "钱"})
    page = enrol.get_data(as_text=True)
    assert enrol.status_code == 422 and "请填写店名" in page and 'value="桥头第三家"' in page
    assert f'<option value="{demo.villages["chama"].id}" selected>' in page
    keeper = client.post("/township/points/shops/HXZC01/keepers",
                         data={"name": "钱老板", "phone": "13700000098", "password": "short"})
    page = keeper.get_data(as_text=True)
    assert keeper.status_code == 422 and "初始密码至少8位" in page
    assert 'value="钱老板"' in page and 'value="13700000098"' in page and "short" not in page
    month = clock.local(clock.now()).strftime("%Y-%m")
    settle = client.post("/township/points/settlements", data={"shop_code": "HXZC01", "month": month})
    page = settle.get_data(as_text=True)
    assert settle.status_code == 409 and "这个月还没过完" in page and f'name="month" value="{month}"' in page


def test_a_refused_payment_reference_shows_the_statement_again(client, login_as, villager, shop, give_points,
                                                               people):
    from points.settlement import open_settlement

    give_points(villager, 30)
    clock.freeze(datetime(2026, 10, 9, 3, tzinfo=timezone.utc))
    redeem(villager, shop, 20, "p")
    clock.freeze(datetime(2026, 11, 2, 3, tzinfo=timezone.utc))
    try:
        statement = open_settlement(shop, "2026-10", people["township"])
        login_as(people["township"])
        response = client.post(f"/points/statements/{statement.id}/paid", data={"reference": "B" * 65})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "流水号最多64个字符" in page and "标记已付款" in page
        assert f'value="{"B" * 65}"' in page and statement.status == "open"
    finally:
        clock.freeze(None)


def test_staff_change_the_rate_and_limits(client, login_as, demo, people):
    from points.rules import settings_for

    login_as(people["township"])
    response = client.post("/township/points/settings", data={"rate_fen": "12", "max_redemptions_per_day": "5"})
    assert response.status_code == 303
    row = settings_for(demo.township)
    assert (row.rate_fen, row.max_redemptions_per_day) == (12, 5)


def test_event_check_in_page_earns_once_during_the_meeting(client, login_as, villager, demo, people):
    from datetime import timedelta

    from points.earning import create_event

    now = clock.now()
    event = create_event(demo.township, demo.villages["hexi"], "十一月群众说事日", now - timedelta(hours=1),
                         now + timedelta(hours=1))
    login_as(villager)
    assert "签到" in client.get(f"/e/{event.id}").get_data(as_text=True)
    first = client.post(f"/e/{event.id}")
    client.post(f"/e/{event.id}")
    assert first.status_code == 303 and ledger.balance_of(villager) == 5
    assert "签到成功" in client.get(first.headers["Location"]).get_data(as_text=True)


def test_shop_feed_query_count_does_not_grow_with_redemptions(client, login_as, shop, give_points, session, count_queries, demo, people):
    from tests.points.conftest import _person

    for n in range(6):
        person = _person(session, f"1370000010{n}", f"村民{n}", village_id=demo.villages["hexi"].id)
        give_points(person, 5)
        redeem(person, shop, 1, f"q{n}")
    login_as(people["shopkeeper"])
    client.get("/shop/feed.json")
    with count_queries() as statements:
        assert client.get("/shop/feed.json").get_json()["count"] == 6
    assert len(statements) <= 10  # one query per row would make it 13 or more


def test_township_desk_shows_fraud_flags_but_blocks_nothing(client, login_as, villager, shop, give_points, demo, people):
    from points.rules import update_settings

    update_settings(demo.township, {"drain_repeats": 2, "max_redemptions_per_day": 10})
    for n in range(2):
        give_points(villager, 4)
        redeem(villager, shop, 4, f"drain-{n}")  # each time the whole balance
    login_as(people["township"])
    page = client.get(f"/township/points?month={clock.local(clock.now()).strftime('%Y-%m')}").get_data(as_text=True)
    assert "本月2次把积分全部用在同一家店" in page and f"尾号{villager.phone[-4:]}" in page
    assert ledger.balance_of(villager) == 0  # both redemptions went through


def test_township_desk_corrects_a_settled_redemption(client, login_as, villager, shop, give_points, people):
    from points.settlement import open_settlement

    give_points(villager, 60)
    clock.freeze(datetime(2026, 10, 9, 3, tzinfo=timezone.utc))
    wrong = redeem(villager, shop, 20, "wrong")
    clock.freeze(datetime(2026, 11, 2, 3, tzinfo=timezone.utc))
    try:
        open_settlement(shop, "2026-10", people["township"])
        redeem(villager, shop, 30, "later")
        login_as(people["township"])
        assert "更正" in client.get("/township/points/shops/HXZC01").get_data(as_text=True)
        response = client.post(f"/township/points/redemptions/{wrong.id}/correct", data={"reason": "重复扣分"})
        assert response.status_code == 303 and ledger.balance_of(villager) == 30
        assert "已更正：重复扣分" in client.get("/township/points/shops/HXZC01").get_data(as_text=True)
    finally:
        clock.freeze(None)


def test_township_desk_shows_defaults_without_writing_them(client, login_as, people, session):
    from points.models import EarnRule, PointsSettings

    def rows():
        return [session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
                for model in (EarnRule, PointsSettings)]

    before = rows()
    login_as(people["township"])
    page = client.get("/township/points").get_data(as_text=True)
    assert "实名举报被受理" in page and 'value="200"' in page  # a default rule and the default redemption cap
    assert rows() == before
    assert client.post("/township/points/settings", data={"max_points_per_redemption": "150"}).status_code == 303
    assert rows() == [before[0], before[1] + 1]
