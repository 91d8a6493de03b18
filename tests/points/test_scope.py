"""Scope: a shop keeper sees only their shop; staff of another township see none of ours; villagers see their own."""
from datetime import datetime, timezone

import pytest

import clock
from accounts.models import RoleGrant, Township, User
from points.redemption import redeem
from points.settlement import open_settlement


@pytest.fixture
def october_statements(session, villager, shop, other_shop, give_points, people):
    """One statement for each 河西村 shop."""
    give_points(villager, 50)
    clock.freeze(datetime(2026, 10, 9, 3, tzinfo=timezone.utc))
    redeem(villager, shop, 5, "a")
    redeem(villager, other_shop, 6, "b")
    clock.freeze(datetime(2026, 11, 2, 3, tzinfo=timezone.utc))
    statements = open_settlement(shop, "2026-10", people["township"]), open_settlement(other_shop, "2026-10", people["township"])
    yield statements
    clock.freeze(None)


@pytest.fixture
def foreign_staff(session):
    """Township staff of another township."""
    township = Township(name="远山镇", slug="yuanshan")
    session.add(township)
    session.flush()
    user = User(phone="13700000077", name="远山镇工作人员")
    user.grants.append(RoleGrant(role="township", township_id=township.id))
    session.add(user)
    session.flush()
    return user


def test_keeper_sees_own_statement_not_the_other_shops(client, login_as, october_statements, people):
    own, other = october_statements
    login_as(people["shopkeeper"])
    assert client.get(f"/points/statements/{own.id}").status_code == 200
    assert client.get(f"/points/statements/{other.id}").status_code == 404
    assert client.get(f"/points/statements/{other.id}.xlsx").status_code == 404


def test_keeper_cannot_mark_paid(client, login_as, october_statements, people):
    login_as(people["shopkeeper"])
    assert client.post(f"/points/statements/{october_statements[0].id}/paid", data={"reference": "x"}).status_code == 404
    assert october_statements[0].status == "open"


def test_other_townships_staff_see_nothing_of_ours(client, token_for, foreign_staff, october_statements):
    headers = token_for(foreign_staff)
    assert client.get(f"/api/v1/township/settlements/{october_statements[0].id}.xlsx", headers=headers).status_code == 404
    response = client.post("/api/v1/township/settlements", json={"shop_code": "HXZC01", "month": "2026-09"},
                           headers=headers)
    assert response.status_code == 404


def test_other_townships_staff_cannot_manage_our_shop(client, login_as, foreign_staff, shop):
    login_as(foreign_staff)
    assert client.get("/township/points/shops/HXZC01").status_code == 404
    assert client.post("/township/points/shops/HXZC01/active", data={"active": "0"}).status_code == 404
    assert shop.active


def test_villager_sees_only_own_confirmation_page(client, login_as, villager, other_villager, shop, give_points):
    give_points(villager, 10)
    r = redeem(villager, shop, 5, "mine")
    login_as(other_villager)
    assert client.get(f"/pay/HXZC01/ok/{r.id}").status_code == 404


@pytest.fixture
def foreign_event(foreign_villager):
    """A 群众说事日 running now in the other township's village."""
    from datetime import timedelta

    from accounts.authz import home_township, home_village
    from points.earning import create_event

    now = clock.now()
    return create_event(home_township(foreign_villager), home_village(foreign_villager), "远山群众说事日",
                        now - timedelta(hours=1), now + timedelta(hours=1))


@pytest.fixture
def our_event(demo):
    """A 群众说事日 running now in 河西村."""
    from datetime import timedelta

    from points.earning import create_event

    now = clock.now()
    return create_event(demo.township, demo.villages["hexi"], "河西群众说事日", now - timedelta(hours=1),
                        now + timedelta(hours=1))


def test_another_townships_event_page_is_404_and_checks_nobody_in(client, login_as, villager, foreign_event):
    from points import ledger

    login_as(villager)
    assert client.get(f"/e/{foreign_event.id}").status_code == 404
    assert client.post(f"/e/{foreign_event.id}").status_code == 404
    assert ledger.balance_of(villager) == 0


def test_an_event_page_is_for_its_townships_people_and_any_visitor(client, login_as, our_event, people,
                                                                   foreign_villager):
    assert client.get(f"/e/{our_event.id}").status_code == 200  # a visitor is shown the way to log in
    for role in ("villager_chama", "committee", "township", "inspector"):
        login_as(people[role])
        assert client.get(f"/e/{our_event.id}").status_code == 200, role
    for outsider in (people["shopkeeper"], foreign_villager):
        login_as(outsider)
        assert client.get(f"/e/{our_event.id}").status_code == 404


def test_enrolling_a_shop_in_another_townships_village_is_404(client, login_as, people, foreign_villager):
    from accounts.authz import home_village
    from points.shops import shops_of_village

    village = home_village(foreign_villager)
    login_as(people["township"])
    response = client.post("/township/points/shops", data={"village_id": village.id, "name": "冒名小店"})
    assert response.status_code == 404
    assert [s.name for s in shops_of_village(village)] == ["远山小卖部"]
    assert client.post("/township/points/shops", data={"name": "没选村的店"}).status_code == 422


def test_scheduling_an_event_in_another_townships_village_is_404(client, login_as, people, foreign_villager):
    from accounts.authz import home_village

    form = {"village_id": home_village(foreign_villager).id, "title": "越界的活动", "day": "2026-11-28",
            "start": "09:00", "end": "11:00"}
    login_as(people["township"])
    assert client.post("/township/points/events", data=form).status_code == 404
    assert client.post("/township/points/events", data=dict(form, village_id="")).status_code == 422


def test_domain_refuses_another_townships_village_as_out_of_scope(demo, foreign_villager):
    from datetime import timedelta

    from accounts.authz import home_village
    from errors import NotFound
    from points.earning import create_event
    from points.shops import enrol_shop

    village, now = home_village(foreign_villager), clock.now()
    with pytest.raises(NotFound):
        enrol_shop(demo.township, village, "冒名小店")
    with pytest.raises(NotFound):
        create_event(demo.township, village, "越界的活动", now, now + timedelta(hours=1))


def test_a_foreign_shop_is_404_before_the_body_is_read(client, token_for, villager, foreign_villager, people):
    headers = token_for(villager)
    assert client.post("/api/v1/shops/YSSHOP1/redemptions", json={"points": 0}, headers=headers).status_code == 404
    response = client.post("/api/v1/township/settlements", json={"shop_code": "YSSHOP1", "month": "坏"},
                           headers=token_for(people["township"]))
    assert response.status_code == 404


def test_a_keeper_asking_for_another_shop_gets_404_not_their_own(client, login_as, people):
    login_as(people["shopkeeper"])
    assert client.get("/shop?shop=HXCS02").status_code == 404
    assert client.get("/shop/feed.json?shop=HXCS02").status_code == 404
    assert client.get("/shop?shop=HXZC01").status_code == 200
