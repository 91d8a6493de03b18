"""The township's points desk runs a fixed number of statements whatever the number of shops, and its sums stay right."""

from points.redemption import redeem
from points.settlement import preview, previews_of_township
from points.shops import add_shopkeeper, enrol_shop


def _desk_statements(client, count_queries) -> int:
    """Statements one request of /township/points runs."""
    client.get("/township/points")
    with count_queries() as statements:
        assert client.get("/township/points").status_code == 200
    return len(statements)


def _grow(demo, villager, give_points, shops: int) -> list:
    """`shops` more shops, each with a keeper and one redemption of 2 points."""
    added = []
    for i in range(shops):
        shop = enrol_shop(demo.township, demo.villages["hexi"], f"加测商店{i}", f"河西村{i}号")
        add_shopkeeper(shop, f"1360000{i:04d}", f"店主{i}", "shop-password-1")
        give_points(villager, 2)
        redeem(villager, shop, 2, f"grow-{i}")
        added.append(shop)
    return added


def test_township_desk_statements_do_not_grow_with_shops(client, login_as, people, demo, villager, give_points,
                                                        count_queries):
    login_as(people["township"])
    before = _desk_statements(client, count_queries)
    _grow(demo, villager, give_points, 12)
    assert _desk_statements(client, count_queries) == before


def test_township_desk_lists_each_shops_unsettled_points_and_keepers(client, login_as, people, demo, villager,
                                                                    give_points, session):
    shops = _grow(demo, villager, give_points, 3)
    login_as(people["township"])
    page = client.get("/township/points?month=" + _this_month()).get_data(as_text=True)
    for i, shop in enumerate(shops):
        row = page[page.index(f"加测商店{i}"):]
        row = row[:row.index("</tr>")] if "</tr>" in row else row[:600]
        assert f"店主{i}" in row
    grouped = previews_of_township(demo.township.id, _this_month())
    for shop in shops:
        one = preview(shop, _this_month())
        assert grouped[shop.id] == (one.points, one.count) == (2, 1)


def _this_month() -> str:
    """The current month as YYYY-MM (the desk's ?month=), so this month's redemptions count as unsettled."""
    import clock

    return clock.local(clock.now()).strftime("%Y-%m")
