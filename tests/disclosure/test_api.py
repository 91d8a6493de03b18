"""The JSON API of API.md: public reads, the clerk's create, import, publish, correct and withdraw."""
import io

import sqlalchemy as sa

from disclosure.models import Disclosure
from tests.disclosure.test_import import GOOD, xlsx


def test_village_disclosures_list_is_paginated_and_filtered(client, hexi):
    body = client.get("/api/v1/villages/hexi/disclosures?category=finance&per_page=2").get_json()
    assert body["total"] == 3 and body["per_page"] == 2 and len(body["items"]) == 2
    assert set(body["items"][0]) >= {"id", "category", "mode", "title", "period", "published_at", "revision"}
    assert {item["category"] for item in body["items"]} == {"finance"}
    bad = client.get("/api/v1/villages/hexi/disclosures?category=money")
    assert bad.status_code == 422 and "category" in bad.get_json()["error"]["fields"]


def test_disclosure_detail_has_lines_totals_and_revisions(client, hexi, make_finance):
    disclosure = make_finance(hexi, "2030-01")
    body = client.get(f"/api/v1/disclosures/{disclosure.id}").get_json()
    assert body["lines"][0] == {"id": body["lines"][0]["id"], "date": "2026-10-03", "direction": "expense",
                                "amount_fen": 104000, "category": "办公费", "text": "购入档案柜1套",
                                "counterparty": "县城办公家具店", "voucher": ""}
    assert body["totals"]["income_fen"] == 2000000 and body["totals"]["expense_fen"] == 104000
    assert body["totals"]["by_category"]["办公费"] == {"income_fen": 0, "expense_fen": 104000}
    assert [r["number"] for r in body["revisions"]] == [1]


def test_draft_is_404_to_the_public(client, hexi, make_finance):
    draft = make_finance(hexi, "2030-02", published=False)
    response = client.get(f"/api/v1/disclosures/{draft.id}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_clerk_creates_imports_and_publishes(client, token_for, session, people):
    auth = token_for(people["clerk"])
    response = client.post("/api/v1/villages/hexi/disclosures", headers=auth, json={
        "category": "finance", "mode": "periodic", "title": "2030年3月财务", "period": "2030-03"})
    assert response.status_code == 201 and response.get_json()["status"] == "draft"
    id = response.get_json()["id"]
    bad = GOOD + [["2026-10-09", "支出", "abc", "办公费", "椅子", "", ""]]
    response = client.post(f"/api/v1/disclosures/{id}/lines/import", headers=auth,
                           data={"file": (io.BytesIO(xlsx(bad)), "a.xlsx")})
    error = response.get_json()["error"]
    assert response.status_code == 422 and error["rows"] == [
        {"row": 5, "field": "amount", "column": "金额(元)", "message": "金额“abc”看不懂，请只填数字，例如 1040 或 1,040.00。"}]
    response = client.post(f"/api/v1/disclosures/{id}/lines/import", headers=auth,
                           data={"file": (io.BytesIO(xlsx(GOOD)), "a.xlsx")})
    assert response.status_code == 201 and response.get_json() == {"imported": 3, "revision": 1, "correction": False}
    response = client.post(f"/api/v1/disclosures/{id}/publish", headers=auth, json={})
    assert response.status_code == 200 and response.get_json()["status"] == "published"
    response = client.post(f"/api/v1/disclosures/{id}/corrections", headers=auth)
    assert response.status_code == 201
    response = client.post(f"/api/v1/disclosures/{id}/publish", headers=auth, json={})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]


def test_create_with_lines_publishes_at_once(client, token_for, people):
    response = client.post("/api/v1/villages/hexi/disclosures", headers=token_for(people["clerk"]), json={
        "category": "finance", "mode": "adhoc", "title": "临时支出",
        "lines": [{"date": "2026-10-03", "direction": "expense", "amount_fen": 104000, "category": "办公费",
                   "text": "购入档案柜1套"}]})
    body = response.get_json()
    assert response.status_code == 201 and body["status"] == "published" and body["lines"][0]["amount_fen"] == 104000


def test_bad_bodies_get_chinese_400_or_422_and_create_nothing(client, token_for, session, people):
    before = session.execute(sa.select(sa.func.count(Disclosure.id))).scalar_one()
    auth = token_for(people["clerk"])
    response = client.post("/api/v1/villages/hexi/disclosures", headers=auth, json={"category": "money"})
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 422 and "类别只能是" in fields["category"][0] and fields["title"] == ["这一项必须填写。"]
    response = client.post("/api/v1/villages/hexi/disclosures", headers=auth, data="not json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"  # API.md's bad request
    response = client.post("/api/v1/villages/hexi/disclosures", headers=auth, json={
        "category": "finance", "mode": "adhoc", "title": "x",
        "lines": [{"date": "2026-10-03", "direction": "expense", "amount_fen": -5, "category": "办公费", "text": "x"}]})
    assert response.status_code == 422 and response.get_json()["error"]["rows"][0]["field"] == "amount"
    assert session.execute(sa.select(sa.func.count(Disclosure.id))).scalar_one() == before


def test_writes_need_login_and_scope(client, chama_clerk, token_for, hexi, make_finance):

    body = {"category": "party", "mode": "adhoc", "title": "x", "body": "y"}
    response = client.post("/api/v1/villages/hexi/disclosures", json=body, headers=token_for(chama_clerk))
    assert response.status_code == 404
    disclosure = make_finance(hexi, "2030-04")
    for path in ("withdraw", "corrections", "publish", "lines/import"):
        response = client.post(f"/api/v1/disclosures/{disclosure.id}/{path}", headers=token_for(chama_clerk), json={})
        assert response.status_code == 404, path
    assert client.post("/api/v1/villages/hexi/disclosures", json=body).status_code == 401


def test_import_into_a_published_disclosure_prepares_a_correction(client, token_for, hexi, make_finance, people):
    disclosure = make_finance(hexi, "2030-05")
    auth = token_for(people["clerk"])
    response = client.post(f"/api/v1/disclosures/{disclosure.id}/lines/import", headers=auth)
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/disclosures/{disclosure.id}/lines/import", headers=auth,
                           data={"file": (io.BytesIO(xlsx(GOOD)), "a.xlsx")})
    assert response.status_code == 201 and response.get_json() == {"imported": 3, "revision": 2, "correction": True}
    public = client.get(f"/api/v1/disclosures/{disclosure.id}").get_json()
    assert public["revision"] == 1 and len(public["lines"]) == 2  # villagers still read revision 1
    response = client.post(f"/api/v1/disclosures/{disclosure.id}/lines/import", headers=auth,
                           data={"file": (io.BytesIO(b""), "a.csv")})
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "empty_file"


def test_powers_and_cadres_lists(client, hexi):
    powers = client.get("/api/v1/villages/hexi/powers?per_page=100").get_json()
    assert powers["total"] == 14 and powers["items"][0]["steps"][0] == "村党组织提议"
    cadres = client.get("/api/v1/villages/hexi/cadres").get_json()["items"]
    chair = next(c for c in cadres if c["secretary_chair"])
    assert chair["name"] == "张建国" and chair["committee"] is False and chair["pledge"]
    assert {c["name"] for c in cadres if c["committee"]} == {"李秀英", "王明"}
    assert client.get("/api/v1/villages/nowhere/cadres").status_code == 404


def test_openapi_documents_the_disclosure_endpoints(client, app):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/disclosures/{id}/lines/import" in paths and "/api/v1/villages/{slug}/powers" in paths


def test_create_can_keep_a_draft_and_text_disclosures_publish_by_default(client, token_for, people):
    auth = token_for(people["clerk"])
    draft = client.post("/api/v1/villages/hexi/disclosures", headers=auth, json={
        "category": "affairs", "mode": "adhoc", "title": "草稿通知", "body": "内容", "publish": False}).get_json()
    assert draft["status"] == "draft"
    notice = client.post("/api/v1/villages/hexi/disclosures", headers=auth, json={
        "category": "affairs", "mode": "adhoc", "title": "停水通知", "body": "明天停水"}).get_json()
    assert notice["status"] == "published"
    assert client.get(f"/api/v1/disclosures/{notice['id']}").status_code == 200
