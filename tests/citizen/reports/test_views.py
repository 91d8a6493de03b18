"""The report form over HTTP: PRG with the code shown once, bad input refused with nothing kept."""
import gzip
import io
import re

import pytest
import sqlalchemy as sa

from citizen.reports.models import Report, ReportPhoto
from tests.citizen.conftest import bomb_png, form_token, jpeg_bytes, shown_code


def _count(session) -> int:
    return session.scalar(sa.select(sa.func.count(Report.id)))


def _post(client, token, photos=(), **fields):
    data = {"category": "环境卫生", "content": "村口的垃圾桶满了好几天没人清理。", "anonymous": "1",
            "form_token": token}
    data.update(fields)
    data["photos"] = [(io.BytesIO(raw), name) for raw, name in photos]
    return client.post("/v/hexi/report", data=data, content_type="multipart/form-data")


def test_form_shows_categories_and_prefilled_cadre_subject(client, demo, cadres):
    page = client.get(f"/v/hexi/report?subject=cadre:{cadres['赵卫东'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "作风纪律" in text and "环境卫生" in text
    assert re.search(r'id="subject-text">反映的是：[^<]*赵卫东', text)


def test_form_with_missing_subject_says_so_and_still_works(client, demo):
    page = client.get("/v/hexi/report?subject=line:12345")
    assert page.status_code == 422
    assert "找不到这一项" in page.get_data(as_text=True)
    assert 'name="content"' in page.get_data(as_text=True)


def test_submit_shows_the_code_on_this_phone_for_a_few_minutes_only(client, demo, session):
    import clock
    from datetime import timedelta

    response = _post(client, form_token(client), photos=[(jpeg_bytes(), "a.jpg")])
    assert response.status_code == 302
    code = shown_code(client, response)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    assert code in client.get(response.headers["Location"]).get_data(as_text=True)  # a reload keeps it
    clock.freeze(clock.now() + timedelta(minutes=11))
    try:
        later = client.get(response.headers["Location"]).get_data(as_text=True)
    finally:
        clock.freeze(None)
    assert code not in later and "只显示一次" in later
    case = client.get(f"/t/{code}")
    assert "已提交" in case.get_data(as_text=True)
    report = session.execute(sa.select(Report).order_by(Report.id.desc())).scalars().first()
    assert len(report.photos) == 1


def test_double_tap_creates_one_report(client, demo, session):
    token = form_token(client)
    before = _count(session)
    first = _post(client, token)
    second = _post(client, token)
    assert first.status_code == second.status_code == 302
    assert _count(session) == before + 1
    assert shown_code(client, second)


@pytest.mark.parametrize("fields, photos, status, message", [
    ({"content": ""}, [], 422, "请填写10到2000个字"),
    ({"content": "太短了"}, [], 422, "请填写10到2000个字"),
    ({"content": "字" * 2001}, [], 422, "请填写10到2000个字"),
    ({"category": "乱填"}, [], 422, "类别只能是"),
    ({}, [(jpeg_bytes(gps=False, size=(40, 30)), f"{n}.jpg") for n in range(7)], 422, "最多上传6张照片"),
    ({}, [(b"MZ\x90\x00" + b"\x00" * 4000, "virus.jpg")], 422, "照片打不开"),
    ({}, [(bomb_png(), "big.png")], 422, "像素太多"),
    ({"subject": "line:99999"}, [], 422, "找不到这一项"),
    ({"subject": "power_item:999999"}, [], 422, "找不到这一项"),
    ({"subject": "nonsense"}, [], 422, "找不到这一项"),
])
def test_bad_input_is_refused_and_nothing_kept(client, demo, session, fields, photos, status, message):
    before = _count(session)
    response = _post(client, form_token(client), photos=photos, **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _count(session) == before


def test_subject_from_another_village_is_refused(client, demo, session, cadres):
    before = _count(session)
    response = _post(client, form_token(client), subject=f"cadre:{cadres['刘长贵'].id}")
    assert response.status_code == 422 and "找不到这一项" in response.get_data(as_text=True)
    assert _count(session) == before


def test_photo_over_10_mb_is_413(client, demo, session):
    before = _count(session)
    big = jpeg_bytes(size=(64, 64)) + b"\x00" * (10 * 1024 * 1024)
    response = _post(client, form_token(client), photos=[(big, "big.jpg")])
    assert response.status_code == 413 and "10MB" in response.get_data(as_text=True)
    assert _count(session) == before


def test_named_without_login_keeps_the_text_and_asks_to_log_in(client, demo, session):
    before = _count(session)
    response = _post(client, form_token(client), anonymous="0")
    text = response.get_data(as_text=True)
    assert response.status_code == 401 and "先登录" in text and "村口的垃圾桶" in text
    assert _count(session) == before


def test_named_report_appears_under_my_reports(client, login_as, session, people):
    login_as(people["villager"])
    response = _post(client, form_token(client), anonymous="0")
    assert response.status_code == 302
    mine = client.get("/me/reports").get_data(as_text=True)
    assert "村口的垃圾桶" in mine
    report = session.execute(sa.select(Report).order_by(Report.id.desc())).scalars().first()
    assert report.user_id == people["villager"].id
    assert client.get(f"/me/reports/{report.id}").status_code == 200


def test_someone_elses_report_is_404_under_my_reports(client, login_as, file_report, hexi, people):
    report = file_report(hexi, user=people["villager"], anonymous=False).report
    login_as(people["villager_chama"])
    assert client.get(f"/me/reports/{report.id}").status_code == 404


def test_failure_while_saving_leaves_no_report_and_no_file(client, demo, session, monkeypatch, app):
    from storage import LocalStore

    def _broken(self, key):
        raise OSError("disk full")

    monkeypatch.setattr(LocalStore, "publish", _broken)
    before = _count(session)
    photos_before = session.scalar(sa.select(sa.func.count(ReportPhoto.id)))
    response = _post(client, form_token(client), photos=[(jpeg_bytes(), "a.jpg")])
    assert response.status_code == 503 and "请再点一次" in response.get_data(as_text=True)
    assert _count(session) == before
    assert session.scalar(sa.select(sa.func.count(ReportPhoto.id))) == photos_before
    import pathlib

    leftovers = [p for p in pathlib.Path(app.config["UPLOAD_DIR"]).rglob("*.part")]
    assert leftovers == []


def test_form_page_is_small_gzipped_with_css(client, demo, app):
    import re

    page = client.get("/v/hexi/report").data
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)
    assert any(b"weui" in a for a in assets)
    total = len(gzip.compress(page)) + sum(len(gzip.compress(client.get(a.decode()).data)) for a in assets)
    assert total < 30 * 1024, total  # issue 16: a first visit within 30 KB


def test_wrong_codes_are_throttled(client, demo):
    for _ in range(10):
        assert client.post("/track", data={"code": "2222-3333-4444-5555"}).status_code == 404
    assert client.post("/track", data={"code": "2222-3333-4444-5555"}).status_code == 429


def test_track_form_opens_case_by_code(client, demo):
    code = demo.tracking_codes["demo-hexi-05"]
    response = client.post("/track", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    text = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已答复" in text and "鱼塘承包合同" in text


def test_reporter_adds_information_and_rates_by_code(client, demo, session):
    code = demo.tracking_codes["demo-hexi-06"]
    response = client.post(f"/t/{code}/message", data={"text": "补充：垃圾是周末晚上倒的。"},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert "垃圾是周末晚上倒的" in client.get(f"/t/{code}").get_data(as_text=True)
    assert client.post(f"/t/{code}/rating", data={"rating": "satisfied"}).status_code == 302
    assert "我的评价：满意" in client.get(f"/t/{code}").get_data(as_text=True)
    bad = client.post(f"/t/{code}/rating", data={"rating": "satisfied"})
    assert bad.status_code == 409 and "答复之后才能评价" in bad.get_data(as_text=True)  # rated means closed


def test_neighbours_behind_one_address_have_their_own_guess_limit(app, demo):
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.get("/track")  # the page gives the browser its own random limit id
    for _ in range(10):
        assert first.post("/track", data={"code": "2222-3333-4444-5555"}).status_code == 404
    assert first.post("/track", data={"code": "2222-3333-4444-5555"}).status_code == 429
    assert second.post("/track", data={"code": "2222-3333-4444-5555"}).status_code == 404


def test_racing_double_tap_answers_with_the_first_report(client, demo, session, monkeypatch, file_report, hexi):
    from citizen.reports import tracking

    token = form_token(client)
    first = file_report(hexi, token=token)  # the other tap won the race and committed first
    real = tracking.find_by_form_token
    calls = []

    def _late(form_token):  # this tap checked before the winner committed
        calls.append(form_token)
        return None if len(calls) == 1 else real(form_token)

    monkeypatch.setattr(tracking, "find_by_form_token", _late)
    before = _count(session)
    response = _post(client, token)
    assert response.status_code == 302
    assert shown_code(client, response) == first.tracking_code
    assert _count(session) == before
