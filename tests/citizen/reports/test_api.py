"""The reports and track endpoints of API.md: JSON and multipart, the same rules as the pages."""
import base64
import io

import sqlalchemy as sa

from citizen.reports.models import Report
from tests.citizen.conftest import jpeg_bytes


def _count(session) -> int:
    return session.scalar(sa.select(sa.func.count(Report.id)))


def test_json_submit_returns_code_status_and_level(client, demo, cadres, session):
    body = {"category": "作风纪律", "content": "书记在村集体工程里安排亲戚承包，没有公开招标。", "anonymous": True,
            "subject": {"type": "cadre", "id": cadres["张建国"].id},
            "photos": ["data:image/jpeg;base64," + base64.b64encode(jpeg_bytes()).decode()]}
    response = client.post("/api/v1/villages/hexi/reports", json=body)
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["status"] == "submitted" and answer["level"] == "township"
    assert len(answer["tracking_code"]) == 19
    report = session.execute(sa.select(Report).order_by(Report.id.desc())).scalars().first()
    assert report.user_id is None and len(report.photos) == 1 and report.subject_type == "cadre"


def test_multipart_submit(client, demo):
    response = client.post("/api/v1/villages/hexi/reports", content_type="multipart/form-data", data={
        "category": "环境卫生", "content": "村口的垃圾桶满了好几天没人清理。", "anonymous": "true",
        "photos": [(io.BytesIO(jpeg_bytes()), "a.jpg")]})
    assert response.status_code == 201 and response.get_json()["level"] == "village"


def test_named_report_without_login_is_401(client, demo, session):
    before = _count(session)
    response = client.post("/api/v1/villages/hexi/reports", json={
        "category": "其他", "content": "想实名反映一件事情，请联系我。", "anonymous": False})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"
    assert _count(session) == before


def test_named_report_with_token(client, token_for, session, people):
    villager = people["villager"]
    response = client.post("/api/v1/villages/hexi/reports", headers=token_for(villager), json={
        "category": "其他", "content": "想实名反映一件事情，请联系我。", "anonymous": False})
    assert response.status_code == 201
    report = session.execute(sa.select(Report).order_by(Report.id.desc())).scalars().first()
    assert report.user_id == villager.id


def test_bad_json_is_422_with_fields_and_nothing_kept(client, demo, session):
    before = _count(session)
    response = client.post("/api/v1/villages/hexi/reports", json={"category": "乱填", "content": "短"})
    error = response.get_json()["error"]
    assert response.status_code == 422 and {"category", "content"} <= set(error["fields"])
    assert "请填写10到2000个字" in error["fields"]["content"][0]
    seven = client.post("/api/v1/villages/hexi/reports", json={
        "category": "其他", "content": "照片太多的反映，看看会怎样。", "photos": ["AAAA"] * 7})
    assert seven.status_code == 422 and "最多上传6张照片" in seven.get_json()["error"]["message"]
    not_json = client.post("/api/v1/villages/hexi/reports", data="[[[", content_type="application/json")
    assert not_json.status_code in (400, 422)
    assert _count(session) == before


def test_unknown_subject_is_422(client, demo):
    response = client.post("/api/v1/villages/hexi/reports", json={
        "category": "三务公开", "content": "这笔支出看不明白，请解释一下。", "subject": {"type": "line", "id": 999999}})
    assert response.status_code == 422 and "找不到这一项" in str(response.get_json()["error"])


def test_track_shows_case_and_takes_message_and_rating(client, demo):
    code = demo.tracking_codes["demo-hexi-05"]
    case = client.get(f"/api/v1/track/{code}").get_json()
    assert case["status"] == "answered" and case["reply"] and case["events"][0]["action"] == "submit"
    assert set(case) >= {"status", "level", "category", "content", "created_at", "due_at", "events", "messages",
                         "reply", "rating"}
    assert client.post(f"/api/v1/track/{code}/messages", json={"text": "谢谢，请按时招标。"}).status_code == 201
    rated = client.post(f"/api/v1/track/{code}/rating", json={"rating": "basic", "comment": "希望快一点"})
    assert rated.status_code == 200 and rated.get_json()["rating"] == "basic"
    again = client.post(f"/api/v1/track/{code}/rating", json={"rating": "basic"})
    assert again.status_code == 409


def test_rating_before_answer_is_409_and_bad_rating_422(client, demo):
    code = demo.tracking_codes["demo-hexi-01"]
    assert client.post(f"/api/v1/track/{code}/rating", json={"rating": "satisfied"}).status_code == 409
    bad = client.post(f"/api/v1/track/{code}/rating", json={"rating": "great"})
    assert bad.status_code == 422 and "评价只能是" in bad.get_json()["error"]["fields"]["rating"][0]


def test_wrong_code_is_404_then_throttled(client, demo):
    for _ in range(10):
        response = client.get("/api/v1/track/ABCD-EFGH-JKLM-NPQR")
        assert response.status_code == 404 and "查询码不对" in response.get_json()["error"]["message"]
    assert client.get("/api/v1/track/ABCD-EFGH-JKLM-NPQR").status_code == 429


def test_submissions_are_rate_limited(client, demo):
    body = {"category": "其他", "content": "同一个人连续提交很多次反映。"}
    statuses = [client.post("/api/v1/villages/hexi/reports", json=body).status_code for _ in range(6)]
    assert statuses[:5] == [201] * 5 and statuses[5] == 429


def test_message_with_photo_through_api(client, demo, session):
    code = demo.tracking_codes["demo-hexi-03"]
    photo = base64.b64encode(jpeg_bytes()).decode()
    response = client.post(f"/api/v1/track/{code}/messages", json={"text": "补一张现场照片。", "photos": [photo]})
    assert response.status_code == 201
    from citizen.reports.models import ReportMessage

    message = session.get(ReportMessage, response.get_json()["id"])
    assert len([p for p in message.report.photos if p.message_id == message.id]) == 1


def test_my_reports_lists_only_own_named_reports(client, token_for, session, people):
    villager = people["villager"]
    own = session.execute(sa.select(sa.func.count()).select_from(Report).where(Report.user_id == villager.id)).scalar_one()
    response = client.get("/api/v1/me/reports", headers=token_for(villager))
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == own >= 4  # the demo's named reports of this villager
    assert {"id", "status", "level", "category", "created_at"} <= set(body["items"][0])
    assert client.get("/api/v1/me/reports").status_code in (401,)
