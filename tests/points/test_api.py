"""The points endpoints of API.md: status codes, bodies, idempotency header, scope."""
from datetime import datetime, timezone
from io import BytesIO

import pytest
from openpyxl import load_workbook

import clock
from points import ledger
from points.redemption import redeem
from points.shops import set_shop_active

URL = "/api/v1/shops/HXZC01/redemptions"


def test_redeem_returns_201_with_confirmation_and_balance(client, villager, give_points, token_for):
    give_points(villager, 50)
    response = client.post(URL, json={"points": 20}, headers={**token_for(villager), "Idempotency-Key": "a1"})
    body = response.get_json()
    assert response.status_code == 201 and body["points"] == 20 and body["balance"] == 30
    assert len(body["confirmation"]) == 4


def test_retry_with_same_key_returns_the_first_result(client, villager, give_points, token_for):
    give_points(villager, 50)
    headers = {**token_for(villager), "Idempotency-Key": "same"}
    first = client.post(URL, json={"points": 20}, headers=headers).get_json()
    second = client.post(URL, json={"points": 20}, headers=headers).get_json()
    assert first == second and ledger.balance_of(villager) == 30


def test_missing_idempotency_key_is_400_and_moves_nothing(client, villager, give_points, token_for, ledger_state):
    give_points(villager, 50)
    before = ledger_state()
    response = client.post(URL, json={"points": 20}, headers=token_for(villager))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "idempotency_key_required"
    assert "Idempotency-Key" in response.get_json()["error"]["message"]
    assert ledger_state() == before


def test_insufficient_points_is_409(client, villager, give_points, token_for):
    give_points(villager, 5)
    response = client.post(URL, json={"points": 20}, headers={**token_for(villager), "Idempotency-Key": "x"})
    assert response.status_code == 409
    assert response.get_json()["error"] == {"code": "insufficient_points", "message": "积分不够：您现在有5分，想用20分。",
                                            "balance": 5}


def test_bad_points_is_422_with_fields(client, villager, token_for):
    response = client.post(URL, json={"points": "many"}, headers={**token_for(villager), "Idempotency-Key": "x"})
    assert response.status_code == 422 and "points" in response.get_json()["error"]["fields"]


def test_not_logged_in_is_401(client, demo):
    response = client.post(URL, json={"points": 1}, headers={"Idempotency-Key": "x"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"


def test_foreign_township_shop_is_404(client, foreign_villager, give_points, token_for):
    response = client.post(URL, json={"points": 1}, headers={**token_for(foreign_villager), "Idempotency-Key": "x"})
    assert response.status_code == 404


def test_suspended_shop_is_409(client, villager, shop, give_points, token_for):
    give_points(villager, 50)
    set_shop_active(shop, False)
    response = client.post(URL, json={"points": 1}, headers={**token_for(villager), "Idempotency-Key": "x"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "shop_suspended"


def test_me_points_lists_history_in_plain_words(client, villager, shop, give_points, token_for):
    give_points(villager, 50)
    redeem(villager, shop, 20, "h")
    body = client.get("/api/v1/me/points", headers=token_for(villager)).get_json()
    assert body["balance"] == 30
    assert [(e["text"], e["points"]) for e in body["entries"]] == [("河西早餐店", -20), ("测试发放", 50)]


def test_public_shop_list_by_village(client, demo):
    body = client.get("/api/v1/shops?village=hexi").get_json()
    assert body["total"] == 2 and {s["code"] for s in body["items"]} == {"HXZC01", "HXCS02"}
    assert client.get("/api/v1/shops?village=nowhere").status_code == 404


def test_shopkeeper_sees_only_their_shop(client, villager, shop, other_shop, give_points, token_for, people):
    give_points(villager, 50)
    redeem(villager, shop, 7, "k1")
    redeem(villager, other_shop, 9, "k2")
    body = client.get("/api/v1/shop/redemptions", headers=token_for(people["shopkeeper"])).get_json()
    assert [i["points"] for i in body["items"]] == [7] and body["items"][0]["villager"] == f"尾号{villager.phone[-4:]}"


def test_shop_list_for_a_villager_is_404(client, villager, token_for):
    assert client.get("/api/v1/shop/redemptions", headers=token_for(villager)).status_code == 404


@pytest.fixture
def settled_october(session, villager, shop, give_points):
    """An October redemption; the clock then stands in November."""
    give_points(villager, 50)
    clock.freeze(datetime(2026, 10, 9, 3, tzinfo=timezone.utc))
    redeem(villager, shop, 12, "oct")
    clock.freeze(datetime(2026, 11, 2, 3, tzinfo=timezone.utc))
    yield
    clock.freeze(None)


def test_settlement_open_pay_export(client, token_for, settled_october, people):
    headers = token_for(people["township"])
    opened = client.post("/api/v1/township/settlements", json={"shop_code": "HXZC01", "month": "2026-10"},
                         headers=headers)
    body = opened.get_json()
    assert opened.status_code == 201
    assert {k: body[k] for k in ("month", "points", "rate_fen", "amount_fen", "status")} == {
        "month": "2026-10", "points": 12, "rate_fen": 10, "amount_fen": 120, "status": "open"}
    paid = client.post(f"/api/v1/township/settlements/{body['id']}/paid", json={"reference": "B1"}, headers=headers)
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    again = client.post(f"/api/v1/township/settlements/{body['id']}/paid", json={"reference": "B2"}, headers=headers)
    assert again.status_code == 409
    sheet = client.get(f"/api/v1/township/settlements/{body['id']}.xlsx", headers=headers)
    rows = list(load_workbook(BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[-1][3:5] == (12, 120)


@pytest.mark.parametrize("who", ["shopkeeper", "villager"])
def test_settlement_out_of_scope_is_404(client, who, token_for, settled_october, people):
    response = client.post("/api/v1/township/settlements", json={"shop_code": "HXZC01", "month": "2026-10"},
                           headers=token_for(people[who]))
    assert response.status_code == 404


def test_reverse_needs_reason_and_is_409_when_settled(client, token_for, settled_october, session, people):
    from points.models import Redemption
    import sqlalchemy as sa

    rid = session.execute(sa.select(Redemption.id)).scalar_one()
    headers = token_for(people["township"])
    missing = client.post(f"/api/v1/township/redemptions/{rid}/reverse", json={}, headers=headers)
    assert missing.status_code == 422
    client.post("/api/v1/township/settlements", json={"shop_code": "HXZC01", "month": "2026-10"}, headers=headers)
    late = client.post(f"/api/v1/township/redemptions/{rid}/reverse", json={"reason": "错了"}, headers=headers)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "already_settled"


def test_reverse_before_settlement_is_201(client, villager, token_for, settled_october, session, people):
    from points.models import Redemption
    import sqlalchemy as sa

    rid = session.execute(sa.select(Redemption.id)).scalar_one()
    response = client.post(f"/api/v1/township/redemptions/{rid}/reverse", json={"reason": "错了"},
                           headers=token_for(people["township"]))
    assert response.status_code == 201 and response.get_json()["points"] == 12
    assert ledger.balance_of(villager) == 50
