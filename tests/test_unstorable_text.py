"""Text no database can store (NUL, which PostgreSQL refuses; lone surrogates, which have no UTF-8) is refused up
front with the fields named, in JSON, query strings, forms and paths, on pages and the API alike (webguard).

On PostgreSQL these were a 503 ("try again", which never helps) or a 500; the same tests run there.
"""
import json

import pytest
import sqlalchemy as sa

from citizen.reports.models import Report

REPORT = {"category": "环境卫生", "content": "村口的垃圾已经一个星期没人清运了。", "anonymous": True}
BAD = ["\x00", "\ud800", "\udfff"]


def _reports(session) -> int:
    return session.execute(sa.select(sa.func.count(Report.id))).scalar_one()


def _raw_json(client, path: str, text: str, headers: dict | None = None):
    """POST a JSON body written by hand, so lone surrogates travel as the \\ud800 escapes a client would send."""
    return client.post(path, data=text, content_type="application/json", headers=headers or {})


@pytest.mark.parametrize("bad", BAD)
def test_a_report_with_unstorable_text_is_422_naming_the_field_and_keeps_nothing(client, demo, session, bad):
    before = _reports(session)
    body = json.dumps({**REPORT, "content": REPORT["content"] + bad})  # json.dumps escapes both as \\uXXXX
    response = _raw_json(client, "/api/v1/villages/hexi/reports", body)
    error = response.get_json()["error"]
    assert response.status_code == 422 and error["code"] == "unstorable_text"
    assert list(error["fields"]) == ["content"] and "特殊字符" in error["message"]
    assert _reports(session) == before


@pytest.mark.parametrize("body", [
    {**REPORT, "subject": {"type": "line\x00", "id": 1}},  # nested
    {**REPORT, "photos": ["AAAA", "\ud800"]},  # in a list
    {**REPORT, "x\x00": 1},  # in an unknown key
])
def test_unstorable_text_anywhere_in_the_json_is_refused(client, demo, body):
    response = _raw_json(client, "/api/v1/villages/hexi/reports", json.dumps(body))
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "unstorable_text"


def test_login_with_a_nul_in_the_phone_is_422_not_a_database_error(client, demo):
    response = _raw_json(client, "/api/v1/auth/login", '{"phone": "1390000\\u00000012", "password": "x"}')
    assert response.status_code == 422 and "phone" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/v1/villages/hexi/wall?category=%00", "/api/v1/shops?village=hexi%00",
                                  "/api/v1/villages/hexi/disclosures?%00=1"])
def test_a_nul_in_the_query_string_is_422(client, demo, path):
    response = client.get(path)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "unstorable_text"


@pytest.mark.parametrize("path", ["/api/v1/villages/hexi%00", "/api/v1/track/AB%00CD", "/v/hexi%00", "/q/A%00"])
def test_a_nul_in_the_path_names_nothing(client, demo, path):
    assert client.get(path).status_code == 404


def test_a_form_with_a_nul_is_a_chinese_422_page_and_files_nothing(client, demo, session):
    before = _reports(session)
    response = client.post("/v/hexi/report", data={"category": "环境卫生", "content": "路灯坏了\x00很久了没人修。",
                                                     "anonymous": "1"})
    assert response.status_code == 422 and "无法保存的特殊字符" in response.get_data(as_text=True)
    assert _reports(session) == before


def test_the_track_message_api_refuses_a_nul(client, demo):
    code = demo.tracking_codes["demo-hexi-05"]
    response = _raw_json(client, f"/api/v1/track/{code}/messages", '{"text": "补充\\u0000情况"}')
    assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == ["text"]


def test_ordinary_chinese_and_emoji_still_go_through(client, demo, session):
    before = _reports(session)
    response = client.post("/api/v1/villages/hexi/reports", json={**REPORT, "content": "路灯坏了🙏 请尽快修，谢谢！𠮷"})
    assert response.status_code == 201 and _reports(session) == before + 1
