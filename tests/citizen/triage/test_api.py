"""The triage JSON endpoints: scope, filters, actions and their 409s, the overview."""
import pytest

from citizen.reports import lifecycle
from tests.citizen.triage_factories import ago, cadre_named, make_report, reloaded


def test_desk_list_is_scoped_and_coloured(client, demo, people, token_for):
    mine = make_report(demo.villages["hexi"])
    other = make_report(demo.villages["chama"])
    body = client.get("/api/v1/triage/reports", headers=token_for(people["committee"])).get_json()
    ids = [item["id"] for item in body["items"]]
    assert mine.id in ids and other.id not in ids
    assert next(i for i in body["items"] if i["id"] == mine.id)["colour"] == "green"
    assert body["items"][0]["colour"] == "red"  # the demo's overdue case comes first


def test_desk_list_rejects_bad_filter_in_chinese(client, demo, people, token_for):
    response = client.get("/api/v1/triage/reports?colour=purple", headers=token_for(people["committee"]))
    assert response.status_code == 422
    assert "颜色只能是" in response.get_json()["error"]["fields"]["colour"][0]


def test_desk_list_needs_login(client, demo):
    assert client.get("/api/v1/triage/reports").status_code == 401


def test_villager_gets_404_on_desk_case(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"])
    assert client.get(f"/api/v1/triage/reports/{report.id}", headers=token_for(people["villager"])).status_code == 404


def test_committee_named_in_case_gets_404(client, demo, people, token_for):
    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id), route=False)
    headers = token_for(people["committee"])
    assert client.get(f"/api/v1/triage/reports/{report.id}", headers=headers).status_code == 404
    listed = client.get("/api/v1/triage/reports", headers=headers).get_json()["items"]
    assert report.id not in [i["id"] for i in listed]


def test_cross_village_case_is_404(client, demo, people, token_for):
    report = make_report(demo.villages["chama"])
    headers = token_for(people["committee"])
    assert client.get(f"/api/v1/triage/reports/{report.id}", headers=headers).status_code == 404
    r = client.post(f"/api/v1/triage/reports/{report.id}/actions", json={"action": "accept"}, headers=headers)
    assert r.status_code == 404
    assert reloaded(report).status == "submitted"


def test_accept_then_accept_again_is_409(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"])
    headers = token_for(people["committee"])
    ok = client.post(f"/api/v1/triage/reports/{report.id}/actions", json={"action": "accept"}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["status"] == "accepted"
    again = client.post(f"/api/v1/triage/reports/{report.id}/actions", json={"action": "accept"}, headers=headers)
    assert again.status_code == 409
    assert "只有刚提交的反映才能受理" in again.get_json()["error"]["message"]


def test_answer_with_public_text_via_api(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"], content="找村会计13912345678。")
    headers = token_for(people["committee"])
    client.post(f"/api/v1/triage/reports/{report.id}/actions", json={"action": "accept"}, headers=headers)
    body = client.post(f"/api/v1/triage/reports/{report.id}/actions",
                       json={"action": "answer", "text": "已核实。", "publish": True}, headers=headers).get_json()
    assert body["status"] == "answered" and body["public_text"] == "找村会计139****5678。"
    assert [e["action"] for e in body["events"]] == ["submit", "accept", "answer"]


def test_reject_without_reason_is_422_and_changes_nothing(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"])
    r = client.post(f"/api/v1/triage/reports/{report.id}/actions", json={"action": "reject"},
                    headers=token_for(people["committee"]))
    assert r.status_code == 422 and "理由" in r.get_json()["error"]["message"]
    assert reloaded(report).status == "submitted" and len(report.events) == 1


def test_unknown_action_is_422(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"])
    r = client.post(f"/api/v1/triage/reports/{report.id}/actions", json={"action": "delete"},
                    headers=token_for(people["committee"]))
    assert r.status_code == 422 and "操作只能是" in r.get_json()["error"]["fields"]["action"][0]


def test_inspector_sees_township_and_overdue_village_cases_only(client, demo, people, token_for):
    village = demo.villages["hexi"]
    fresh = make_report(village)
    late = make_report(village, created_at=ago(days=5))
    senior = make_report(village, cadre=cadre_named(village, secretary_chair=True))
    headers = token_for(people["inspector"])
    ids = [i["id"] for i in client.get("/api/v1/triage/reports", headers=headers).get_json()["items"]]
    assert senior.id in ids and late.id in ids and fresh.id not in ids
    assert client.get(f"/api/v1/triage/reports/{fresh.id}", headers=headers).status_code == 404
    # read-only on the overdue village case, but may take it over
    r = client.post(f"/api/v1/triage/reports/{late.id}/actions", json={"action": "accept"}, headers=headers)
    assert r.status_code == 404
    r = client.post(f"/api/v1/triage/reports/{late.id}/actions", json={"action": "escalate", "text": "超期未受理，镇纪委接手。"},
                    headers=headers)
    assert r.status_code == 200 and r.get_json()["level"] == "township"


def test_committee_never_lists_township_cases(client, demo, people, token_for):
    village = demo.villages["hexi"]
    senior = make_report(village, cadre=cadre_named(village, secretary_chair=True))
    headers = token_for(people["committee"])
    ids = [i["id"] for i in client.get("/api/v1/triage/reports?level=township", headers=headers).get_json()["items"]]
    assert ids == []
    assert client.get(f"/api/v1/triage/reports/{senior.id}", headers=headers).status_code == 404


def test_township_villages_overview(client, demo, people, token_for):
    from citizen.triage import overview

    before = {r["slug"]: r for r in overview.township_rows(demo.township)}
    make_report(demo.villages["chama"], created_at=ago(days=12))
    body = client.get("/api/v1/township/villages", headers=token_for(people["township"])).get_json()
    rows = {r["slug"]: r for r in body["items"]}
    assert set(rows) == {"hexi", "chama"}
    assert rows["chama"]["overdue"] == before["chama"]["overdue"] + 1 and rows["chama"]["health"] == "red"
    from disclosure.freshness import days_since_finance

    assert rows["chama"]["days_since_finance"] == days_since_finance(demo.villages["chama"])
    assert rows["hexi"]["satisfaction"] == before["hexi"]["satisfaction"]


@pytest.mark.parametrize("who", ["committee", "villager", "clerk"])
def test_township_villages_refused_to_others(client, demo, people, token_for, who):
    assert client.get("/api/v1/township/villages", headers=token_for(people[who])).status_code == 404


def test_duplicate_via_api(client, demo, people, token_for):
    village = demo.villages["hexi"]
    main = make_report(village, created_at=ago(hours=2))
    dup = make_report(village)
    headers = token_for(people["committee"])
    r = client.post(f"/api/v1/triage/reports/{dup.id}/actions", json={"action": "duplicate", "main_id": main.id,
                                                                      "text": "同一件事"}, headers=headers)
    assert r.status_code == 200 and r.get_json()["duplicate_of"] == main.id
    r = client.post(f"/api/v1/triage/reports/{main.id}/actions", json={"action": "duplicate", "text": "x"},
                    headers=headers)
    assert r.status_code == 422 and "主件" in r.get_json()["error"]["message"]


def test_moderation_and_notifications_via_api(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"])
    from citizen.reports import lifecycle

    lifecycle.accept_report(report, people["committee"])
    lifecycle.answer_report(report, people["committee"], "好", publish=True)
    headers = token_for(people["inspector"])
    r = client.post(f"/api/v1/triage/wall/{report.id}/moderation", json={"action": "hide", "reason": "含隐私"},
                    headers=headers)
    assert r.status_code == 200 and r.get_json()["hidden"] is True
    again = client.post(f"/api/v1/triage/wall/{report.id}/moderation", json={"action": "hide", "reason": "再撤"},
                        headers=headers)
    assert again.status_code == 409
    assert client.post(f"/api/v1/triage/wall/{report.id}/moderation", json={"action": "restore", "reason": "x"},
                       headers=token_for(people["villager"])).status_code == 404
    body = client.get("/api/v1/triage/notifications", headers=token_for(people["committee"])).get_json()
    assert body["unread"] >= 1 and any(n["report_id"] == report.id for n in body["items"])


def test_reply_templates_for_handlers(client, demo, people, token_for):
    body = client.get("/api/v1/triage/reply-templates", headers=token_for(people["committee"])).get_json()
    assert "已安排维修" in [t["title"] for t in body["items"]]
    assert client.get("/api/v1/triage/reply-templates", headers=token_for(people["villager"])).status_code == 404


def test_committee_reads_but_cannot_act_on_a_case_it_sent_up(client, demo, people, token_for):
    report = make_report(demo.villages["hexi"])
    lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    headers = token_for(people["committee"])
    assert client.get(f"/api/v1/triage/reports/{report.id}", headers=headers).status_code == 200
    refused = client.post(f"/api/v1/triage/reports/{report.id}/actions", headers=headers,
                          json={"action": "accept"})
    assert refused.status_code == 404
    assert reloaded(report).status == "submitted" and report.level == "township"
