"""The reporter's appeal of a rejection (申请镇纪委复核): on the case page and through the API, once."""
import re

import pytest
import sqlalchemy as sa

from citizen.reports import lifecycle
from citizen.reports.models import ReportEvent

REASON = "路灯是村集体出钱装的，应该归村里管。"


@pytest.fixture
def rejected(file_report, hexi, people):
    """A fresh anonymous report of 河西村 that the committee rejected; returns (report, tracking code)."""
    submission = file_report(hexi, "文化广场的路灯坏了一个月，没人来修。")
    lifecycle.reject_report(submission.report, people["committee"], "路灯归镇供电所管，请拨打供电所电话。")
    return submission.report, submission.tracking_code


def _events(session, report) -> list[str]:
    """The case's actions, read from the database."""
    return list(session.scalars(sa.select(ReportEvent.action).where(ReportEvent.report_id == report.id)
                                .order_by(ReportEvent.id)))


def test_rejected_case_page_offers_the_appeal_with_its_explanation(client, rejected):
    report, code = rejected
    page = client.get(f"/t/{code}").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="appeal-form".*?</form>', page, re.S).group(0)
    assert f'action="/t/{code}/appeal"' in form and 'name="csrf_token"' in form and 'name="reason"' in form
    assert "只能申请一次" in form and "镇纪委" in form and 'id="btn-appeal"' in form
    assert "路灯归镇供电所管" in page


def test_appeal_through_the_page_sends_the_case_to_the_township_once(client, rejected, session):
    report, code = rejected
    response = client.post(f"/t/{code}/appeal", data={"reason": REASON})
    assert response.status_code == 302 and response.headers["Location"] == f"/t/{code}"  # Post/Redirect/Get
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="case-status">已提交<' in page and "镇纪委" in page and 'id="appealed"' in page
    assert 'id="appeal-form"' not in page and 'id="reject-reason"' not in page
    session.refresh(report)
    assert (report.status, report.level) == ("submitted", "township")
    again = client.post(f"/t/{code}/appeal", data={"reason": "再请复核一次。"})
    assert again.status_code == 409 and "只有不予受理的反映才能申请复核" in again.get_data(as_text=True)
    assert _events(session, report) == ["submit", "reject", "appeal"]


def test_appeal_without_a_reason_says_so_and_changes_nothing(client, rejected, session):
    report, code = rejected
    response = client.post(f"/t/{code}/appeal", data={"reason": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请写明为什么应该受理" in page and 'id="appeal-form"' in page
    too_long = client.post(f"/t/{code}/appeal", data={"reason": "字" * 1001})
    assert too_long.status_code == 422 and "最多1000个字" in too_long.get_data(as_text=True)
    session.refresh(report)
    assert report.status == "rejected" and _events(session, report) == ["submit", "reject"]


def test_appeal_needs_the_pages_csrf_token(client, rejected, app, monkeypatch, session):
    report, code = rejected
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/t/{code}/appeal", data={"reason": REASON}).status_code == 400  # a forged post
    session.refresh(report)
    assert report.status == "rejected" and _events(session, report) == ["submit", "reject"]
    page = client.get(f"/t/{code}").get_data(as_text=True)
    token = re.search(r'id="appeal-form".*?name="csrf_token" value="([^"]+)"', page, re.S).group(1)
    assert client.post(f"/t/{code}/appeal", data={"reason": REASON, "csrf_token": token}).status_code == 302


@pytest.mark.parametrize("token", ["demo-hexi-01", "demo-hexi-05", "demo-hexi-06"])
def test_cases_that_were_not_rejected_offer_no_appeal(client, demo, token):
    code = demo.tracking_codes[token]
    assert 'id="appeal-form"' not in client.get(f"/t/{code}").get_data(as_text=True)
    response = client.post(f"/t/{code}/appeal", data={"reason": REASON})
    assert response.status_code == 409 and "只有不予受理的反映才能申请复核" in response.get_data(as_text=True)


def test_wrong_code_appeal_is_404(client, demo):
    assert client.post("/t/2222-3333-4444-5555/appeal", data={"reason": REASON}).status_code == 404


def test_named_reporter_appeals_from_my_reports(client, login_as, hexi, people, file_report, session):
    report = file_report(hexi, user=people["villager"], anonymous=False).report
    lifecycle.reject_report(report, people["committee"], "不属于村务监督范围。")
    login_as(people["villager_chama"])
    assert client.post(f"/me/reports/{report.id}/appeal", data={"reason": REASON}).status_code == 404
    login_as(people["villager"])
    page = client.get(f"/me/reports/{report.id}").get_data(as_text=True)
    assert f'action="/me/reports/{report.id}/appeal"' in page
    response = client.post(f"/me/reports/{report.id}/appeal", data={"reason": REASON})
    assert response.status_code == 302 and response.headers["Location"] == f"/me/reports/{report.id}"
    session.refresh(report)
    assert (report.status, report.level) == ("submitted", "township")


def test_api_appeal_answers_the_case_then_409(client, rejected, session):
    report, code = rejected
    response = client.post(f"/api/v1/track/{code}/appeal", json={"reason": REASON})
    assert response.status_code == 200
    case = response.get_json()
    assert (case["status"], case["level"]) == ("submitted", "township") and case["reply"] is None
    assert [e["action"] for e in case["events"]] == ["submit", "reject", "appeal"]
    assert case["events"][-1]["text"] == REASON
    again = client.post(f"/api/v1/track/{code}/appeal", json={"reason": REASON})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"
    assert _events(session, report) == ["submit", "reject", "appeal"]


def test_api_appeal_refuses_bad_bodies_and_cases_not_rejected(client, rejected, demo, session):
    report, code = rejected
    missing = client.post(f"/api/v1/track/{code}/appeal", json={})
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["fields"]
    blank = client.post(f"/api/v1/track/{code}/appeal", json={"reason": "  "})
    assert blank.status_code == 422 and "请写明为什么应该受理" in blank.get_json()["error"]["message"]
    assert client.post(f"/api/v1/track/{code}/appeal", data="reason").status_code in (400, 422)
    answered = demo.tracking_codes["demo-hexi-05"]
    assert client.post(f"/api/v1/track/{answered}/appeal", json={"reason": REASON}).status_code == 409
    assert client.post("/api/v1/track/2222-3333-4444-5555/appeal", json={"reason": REASON}).status_code == 404
    assert _events(session, report) == ["submit", "reject"]


def test_openapi_documents_the_appeal(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/track/{code}/appeal"]["post"]
    assert {"200", "409", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    assert spec["components"]["schemas"][name]["required"] == ["reason"]
