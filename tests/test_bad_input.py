"""No input is a 500 (issue 11, item 13): ids past the database's integers, wild paging, text no database stores,
bodies that are not JSON, numbers and yes/no of the wrong JSON type.

Each check runs on SQLite and PostgreSQL (TEST_DATABASE_URL): PostgreSQL's INTEGER ends at 2^31 - 1 and it refuses
NUL in text; SQLite's integers end at 2^63 - 1.
"""
import re

import pytest

from jsonapi import MAX_ID, DatabaseId

TOO_BIG = [2**31, 2**63, 10**30]
SAMPLES = {"slug": "hexi", "code": "ABC123", "fmt": "png", "key": "report", "month": "2026-10"}


def _id_routes(app) -> list[tuple[str, str, list[str]]]:
    """Every rule with an `<int:...>` id: (rule, method, names of its id arguments)."""
    found = []
    for rule in app.url_map.iter_rules():
        ids = [name for name, converter in rule._converters.items() if isinstance(converter, DatabaseId)]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}) if ids else ():
            found.append((rule.rule, method, ids))
    return found


def _url(rule: str, number: int) -> str:
    """The rule's path with every id set to `number` and every other argument to a plausible value."""
    def fill(match):
        spec, name = match.group(1) or "", match.group(2)
        if spec.startswith("int"):
            return str(number)
        if spec.startswith("any("):
            return spec[4:].split(",")[0].strip(" )")
        return SAMPLES.get(name, "x")
    return re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", fill, rule)


def test_every_route_with_an_id_answers_404_for_ids_past_the_database(app, client, demo):
    routes = _id_routes(app)
    assert len(routes) >= 26  # the issue counted 26 routes that answered 500
    wrong = []
    for rule, method, _ in routes:
        for number in TOO_BIG:
            url = _url(rule, number)
            response = client.open(url, method=method, json={} if method == "POST" else None)
            if response.status_code != 404:
                wrong.append((method, url, response.status_code))
    assert not wrong


def test_the_largest_id_the_database_holds_still_reaches_the_view(client, demo):
    assert client.get(f"/api/v1/disclosures/{MAX_ID}").get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/disclosures/1").status_code in (200, 404)
    assert client.get("/api/v1/disclosures/%D9%A3").status_code == 404  # Arabic-Indic 3 is not an id


@pytest.mark.parametrize("field, body", [
    ("main_id", {"action": "duplicate", "main_id": 2**63}),
    ("main_id", {"action": "duplicate", "main_id": True}),
    ("main_id", {"action": "duplicate", "main_id": 1.5}),
    ("publish_photos", {"action": "answer", "text": "已处理", "publish_photos": 0}),
])
def test_ids_and_flags_in_a_desk_action_body_must_be_in_range_and_of_their_json_type(client, token_for, people, field,
                                                                                      body):
    response = client.post("/api/v1/triage/reports/1/actions", headers=token_for(people["committee"]), json=body)
    assert response.status_code in (404, 422)  # the case may be out of this committee's scope: never 500
    if response.status_code == 422:
        assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body", [
    {"kind": "disclosure", "target_id": 2**31, "label": "村委会公开栏"},
    {"kind": "disclosure", "target_id": 2**63, "label": "村委会公开栏"},
])
def test_a_code_target_past_the_database_is_422(client, token_for, people, body):
    response = client.post("/api/v1/villages/hexi/codes", headers=token_for(people["township"]), json=body)
    assert response.status_code == 422 and "target_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("subject", [{"type": "line", "id": 2**63}, "line:99999999999999999999", "line:²",
                                     {"type": "cadre", "id": 2**31}])
def test_a_report_about_an_id_past_the_database_is_422(client, demo, subject):
    response = client.post("/api/v1/villages/hexi/reports", json={
        "category": "三务公开", "content": "这笔支出看不明白，请解释一下。", "subject": subject})
    assert response.status_code == 422 and "subject" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("points", [2**31, 2**63, True, 1.5, "5"])
def test_points_must_be_a_json_whole_number_the_database_holds(client, token_for, people, points):
    response = client.post("/api/v1/shops/HXZC01/redemptions", json={"points": points},  # a real shop: scope is checked first
                           headers={**token_for(people["villager"]), "Idempotency-Key": "bad-points-1"})
    assert response.status_code == 422 and "points" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("query", ["page=1e20", "page=99999999999999999999", "page=0", "page=-1", "page=abc",
                                   "per_page=1000", "per_page=1e3", "page=100001"])
@pytest.mark.parametrize("path", ["/api/v1/villages/hexi/disclosures", "/api/v1/villages/hexi/wall",
                                  "/api/v1/villages/hexi/powers", "/api/v1/shops"])
def test_wild_paging_is_a_chinese_422_naming_the_argument(client, demo, path, query):
    response = client.get(f"{path}?{query}")
    error = response.get_json()["error"]
    assert response.status_code == 422 and set(error["fields"]) <= {"page", "per_page"} and error["fields"]
    assert re.search(r"[\u4e00-\u9fff]", " ".join(sum(error["fields"].values(), [])))


def test_the_last_page_still_answers(client, demo):
    assert client.get("/api/v1/villages/hexi/disclosures?page=100000").get_json()["items"] == []


@pytest.mark.parametrize("path", ["/v/hexi/wall?page=99999999999999999999", "/v/hexi/wall?page=1e20"])
def test_pages_with_wild_page_numbers_still_show(client, demo, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("month", ["0001-01", "0000-12", "9999-12", "٢٠٢٦-10"])
def test_months_outside_the_calendar_are_422(client, token_for, people, month):
    response = client.post("/api/v1/township/settlements", headers=token_for(people["township"]),
                           json={"shop_code": "NOSUCH", "month": month})
    assert response.status_code in (404, 422)  # no such shop may answer first; never a 500
    response = client.post("/api/v1/township/settlements", headers=token_for(people["township"]),
                           json={"shop_code": _a_shop_code(client), "month": month})
    assert response.status_code == 422 and "month" in response.get_json()["error"]["fields"]


def _a_shop_code(client) -> str:
    """One partner shop of the demo."""
    return client.get("/api/v1/shops").get_json()["items"][0]["code"]


@pytest.mark.parametrize("path", ["/township/points/shops", "/township/points/events"])
def test_a_village_id_past_the_database_in_a_township_form_is_not_a_500(client, login_as, people, path):
    login_as(people["township"])
    response = client.post(path, data={"village_id": str(2**63), "name": "新店", "title": "义务劳动"})
    assert response.status_code < 500


@pytest.mark.parametrize("huge", ["99999999999999999999", "2147483648", "-1", "１２"])
def test_page_forms_take_ids_past_the_database_as_no_such_row(client, login_as, people, demo, huge):
    from citizen.triage.models import ReplyTemplate
    import sqlalchemy as sa

    login_as(people["township"])
    page = client.post("/township/templates", data={"id": huge, "title": "模板", "body": "已转交镇相关部门办理。"})
    assert page.status_code in (302, 303, 404, 422)  # a new template, or no such one: never a 500
    login_as(people["committee"])
    code = demo.tracking_codes["demo-hexi-03"]
    from citizen.reports.tracking import find_by_code

    report = find_by_code(code)
    desk = client.post(f"/desk/{report.id}/act", data={"action": "duplicate", "main_id": huge})
    assert desk.status_code < 500
