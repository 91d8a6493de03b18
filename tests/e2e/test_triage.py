"""The desk in a phone: the committee head answers a case and the wall shows it, or rejects one and the reporter appeals."""
import json
import re

from tests.e2e.conftest import login_with_password
from tests.e2e.test_shell import MEASURE, _check_readable


def _open_case(phone, content_start: str) -> int:
    """Open the desk, find a case by its first words, open it; returns its id."""
    phone.goto(phone.base + "/desk")
    row = phone.locator(".case-row", has_text=content_start).first
    case_id = int(row.get_attribute("data-case"))
    row.click()
    phone.wait_for_load_state()
    return case_id


def _answer_on_phone(phone, case_id: int) -> None:
    """Accept, then answer with a public text and publish, all by tapping big buttons."""
    phone.click("#btn-accept")
    phone.wait_for_load_state()
    assert "已受理" in phone.inner_text("#case-status")
    public = phone.input_value("#public-text")
    assert "13800010001" not in public  # the phone number is masked before anyone types
    phone.fill("#text-answer", "经核实，已安排维修，本周内完成。")
    phone.fill("#public-text", "村民反映：文化广场东侧路灯不亮。")
    phone.check("#publish")
    phone.shot("triage-answer-form")
    phone.click("#btn-answer")
    phone.wait_for_load_state()
    assert "已答复" in phone.inner_text("#case-status")
    assert phone.url.endswith(f"/desk/{case_id}")  # Post/Redirect/Get


def test_committee_head_answers_a_demo_case_and_the_wall_shows_it(phone):
    login_with_password(phone, phone.base, "13900000012", "demo-committee")
    phone.goto(phone.base + "/desk")
    assert "超期" in phone.inner_text("#case-list") and "临期" in phone.inner_text("#case-list")
    _check_readable(phone.evaluate(MEASURE), min_text=18, min_button=44, min_main=44)
    phone.shot("triage-queue")
    case_id = _open_case(phone, "今年的耕地地力保护补贴")
    _answer_on_phone(phone, case_id)
    phone.shot("triage-case-answered")
    phone.goto(phone.base + "/v/hexi/wall")
    entry = phone.inner_text(f"#entry-{case_id}")
    assert "文化广场东侧路灯不亮" in entry and "已安排维修" in entry
    phone.shot("wall")


def test_full_journey_report_answer_track_rate_wall(phone):
    """Villager reports, committee answers on the phone, villager sees 已答复 and rates, the wall shows it."""
    api = phone.request
    created = api.post(phone.base + "/api/v1/villages/hexi/reports", data=json.dumps({
        "category": "环境卫生", "content": "文化广场路灯不亮，联系电话13800010001。", "anonymous": True,
        "allow_public": True}), headers={"Content-Type": "application/json"})
    assert created.status == 201, created.text()
    code = created.json()["tracking_code"]
    login_with_password(phone, phone.base, "13900000012", "demo-committee")
    case_id = _open_case(phone, "文化广场路灯不亮")
    _answer_on_phone(phone, case_id)
    phone.context.clear_cookies()  # the villager's phone: nobody logged in
    track = api.get(phone.base + f"/api/v1/track/{code}").json()
    assert track["status"] == "answered"
    response = phone.goto(phone.base + f"/t/{code}")
    assert response.status == 200 and "已答复" in phone.inner_text("#case-status")
    phone.shot("track-answered")
    rated = api.post(phone.base + f"/api/v1/track/{code}/rating", data=json.dumps({"rating": "satisfied"}),
                     headers={"Content-Type": "application/json"})
    assert rated.status == 200
    phone.goto(phone.base + "/v/hexi/wall")
    assert re.search("满意", phone.inner_text(f"#entry-{case_id}"))


def test_villager_appeals_a_rejected_case_once_from_the_track_page(phone):
    """The committee rejects a case on the phone; the reporter, on a 360 px phone, asks the township to review it."""
    api = phone.request
    created = api.post(phone.base + "/api/v1/villages/hexi/reports", data=json.dumps({
        "category": "其他", "content": "文化广场东侧的健身器材坏了两个月，没人来修。", "anonymous": True}),
        headers={"Content-Type": "application/json"})
    assert created.status == 201, created.text()
    code = created.json()["tracking_code"]
    login_with_password(phone, phone.base, "13900000012", "demo-committee")
    case_id = _open_case(phone, "文化广场东侧的健身器材坏了")
    phone.fill("#text-reject", "健身器材归镇文化站管理，请联系文化站。")
    phone.click("#btn-reject")
    phone.wait_for_load_state()
    assert phone.url.endswith(f"/desk/{case_id}")

    phone.context.clear_cookies()  # the villager's phone: nobody logged in
    phone.goto(phone.base + f"/t/{code}")
    assert "不予受理" in phone.inner_text("#case-status") and "镇文化站" in phone.inner_text("#reject-reason")
    assert "只能申请一次" in phone.inner_text("#appeal-form")
    _check_readable(phone.evaluate(MEASURE), min_text=18, min_button=44, min_main=44)
    phone.fill("#appeal-reason", "器材是村里用集体经费买的，应该由村里负责修。")
    phone.shot("track-appeal-form")
    phone.click("#btn-appeal")
    phone.wait_for_load_state()
    assert phone.url.endswith(f"/t/{code}")  # Post/Redirect/Get
    assert "已提交" in phone.inner_text("#case-status") and "镇纪委" in phone.inner_text("main")
    assert phone.is_visible("#appealed") and phone.locator("#appeal-form").count() == 0  # only once
    phone.shot("track-appealed")
    track = api.get(phone.base + f"/api/v1/track/{code}").json()
    assert (track["status"], track["level"], track["events"][-1]["action"]) == ("submitted", "township", "appeal")


def test_township_staff_sees_every_village_with_health_and_trend(phone):
    login_with_password(phone, phone.base, "13900000001", "demo-township")
    phone.goto(phone.base + "/township")
    table = phone.inner_text("#overview")
    assert "河西村" in table and "岔马村" in table
    assert any(word in table for word in ("预警", "关注", "良好")) and "距财务公开" in table
    assert "—" not in table  # finance and points figures are known for every demo village
    phone.shot("township-overview")
    phone.click("#overview >> text=河西村")
    phone.wait_for_load_state()
    assert phone.locator("svg rect").count() >= 12
    phone.shot("township-trend")
    phone.goto(phone.base + "/township")
    with phone.expect_download() as download:
        phone.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
