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
