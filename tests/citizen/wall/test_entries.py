"""The wall: only published answers, never the reporter, flags that hide nothing, moderation on the record."""
from citizen.reports import lifecycle
from citizen.wall import entries as wall
from citizen.wall.models import WallFlag, WallModeration
from tests.citizen.triage_factories import client_for, make_report, reloaded


def answered(village, people, publish=True, **kw):
    """A case answered by the committee, on the wall if `publish`."""
    report = make_report(village, **kw)
    lifecycle.accept_report(report, people["committee"])
    lifecycle.answer_report(report, people["committee"], "已派人修好。", publish=publish)
    return report


def test_wall_shows_published_answers_only(client, demo, people):
    village = demo.villages["hexi"]
    shown = answered(village, people, content="路灯坏了，电话13800010001")
    unpublished = answered(village, people, publish=False, content="不公开的事")
    open_case = make_report(village, content="还在办的事")
    page = client.get("/v/hexi/wall").get_data(as_text=True)
    assert f'id="entry-{shown.id}"' in page and "138****0001" in page and "13800010001" not in page
    assert "不公开的事" not in page and "还在办的事" not in page
    assert f'id="entry-{unpublished.id}"' not in page and f'id="entry-{open_case.id}"' not in page


def test_wall_never_shows_reporter_identity(client, demo, people):
    villager = people["villager"]
    answered(demo.villages["hexi"], people, anonymous=False, user=villager)
    page = client.get("/v/hexi/wall").get_data(as_text=True)
    assert villager.name not in page and villager.phone not in page
    body = client.get("/api/v1/villages/hexi/wall").get_json()
    assert set(body["items"][0]) == {"id", "category", "public_text", "reply", "rating", "answered_at"}


def test_wall_filters_by_category_and_pages(client, demo, people):
    village = demo.villages["hexi"]
    before = client.get("/api/v1/villages/hexi/wall").get_json()["total"]
    for i in range(3):
        answered(village, people, category="环境卫生", content=f"垃圾{i}")
    answered(village, people, category="三资管理", content="账目")
    page = client.get("/v/hexi/wall?category=三资管理").get_data(as_text=True)
    assert "账目" in page and "垃圾0" not in page
    body = client.get("/api/v1/villages/hexi/wall?per_page=2").get_json()
    assert body["total"] == before + 4 and len(body["items"]) == 2 and body["per_page"] == 2


def test_wall_shows_rating_after_rating(client, demo, people):
    report = answered(demo.villages["hexi"], people)
    lifecycle.rate_report(report, "basic")
    assert "基本满意" in client.get("/v/hexi/wall").get_data(as_text=True)


def test_flag_records_and_hides_nothing_however_many(client, demo, people, session):
    report = answered(demo.villages["hexi"], people)
    for _ in range(3):
        r = client.post(f"/v/hexi/wall/{report.id}/flag", data={"reason": "untrue", "text": "不是这样的"})
        assert r.status_code == 302
    assert session.query(WallFlag).filter_by(report_id=report.id).count() == 3
    assert not reloaded(report).wall_hidden
    assert f'id="entry-{report.id}"' in client.get("/v/hexi/wall").get_data(as_text=True)


def test_flag_is_rate_limited(client, demo, people, session):
    report = answered(demo.villages["hexi"], people)
    codes = [client.post(f"/v/hexi/wall/{report.id}/flag", data={"reason": "privacy"}).status_code for _ in range(6)]
    assert codes[:5] == [302] * 5 and codes[5] == 429


def test_flag_needs_reason_and_other_needs_text(client, demo, people, session):
    report = answered(demo.villages["hexi"], people)
    r = client.post(f"/v/hexi/wall/{report.id}/flag", data={"reason": "bad"})
    assert r.status_code == 422 and "请选择原因" in r.get_data(as_text=True)
    r = client.post(f"/v/hexi/wall/{report.id}/flag", data={"reason": "other", "text": ""})
    assert r.status_code == 422 and "请简单说明原因" in r.get_data(as_text=True)
    assert session.query(WallFlag).count() == 0


def test_flag_unpublished_case_is_404(client, demo, people):
    report = answered(demo.villages["hexi"], people, publish=False)
    assert client.post(f"/v/hexi/wall/{report.id}/flag", data={"reason": "untrue"}).status_code == 404
    assert client.post("/api/v1/villages/hexi/wall/999999/flags", json={"reason": "untrue"}).status_code == 404


def test_hide_and_restore_keep_a_record(app, demo, people, session):
    report = answered(demo.villages["hexi"], people)
    wall.flag_entry(report, "privacy", "写了别人的名字")
    committee = client_for(app, people["committee"])
    page = committee.get("/desk/moderation").get_data(as_text=True)
    assert f'id="mod-{report.id}"' in page and "写了别人的名字" in page
    r = committee.post(f"/desk/moderation/{report.id}", data={"action": "hide", "reason": ""}, follow_redirects=True)
    assert "请写明理由" in r.get_data(as_text=True) and not reloaded(report).wall_hidden
    committee.post(f"/desk/moderation/{report.id}", data={"action": "hide", "reason": "含他人隐私"})
    assert reloaded(report).wall_hidden
    assert f'id="entry-{report.id}"' not in app.test_client().get("/v/hexi/wall").get_data(as_text=True)
    inspector = client_for(app, people["inspector"])
    inspector.post(f"/desk/moderation/{report.id}", data={"action": "restore", "reason": "已核实无隐私"})
    assert not reloaded(report).wall_hidden
    record = session.query(WallModeration).filter_by(report_id=report.id).order_by(WallModeration.id).all()
    assert [(m.action, m.actor_id, m.reason) for m in record] == [
        ("hide", people["committee"].id, "含他人隐私"), ("restore", people["inspector"].id, "已核实无隐私")]


def test_a_refused_moderation_shows_the_list_again_with_the_reason_kept(app, demo, people):
    """No reason is 422 on the list itself; hiding twice (a stale page) is 409 with the typed reason kept."""
    report = answered(demo.villages["hexi"], people)
    wall.flag_entry(report, "privacy", "写了别人的名字")
    committee = client_for(app, people["committee"])
    missing = committee.post(f"/desk/moderation/{report.id}", data={"action": "hide", "reason": ""})
    assert missing.status_code == 422 and "请写明理由" in missing.get_data(as_text=True)
    committee.post(f"/desk/moderation/{report.id}", data={"action": "hide", "reason": "含他人隐私"})
    again = committee.post(f"/desk/moderation/{report.id}", data={"action": "hide", "reason": "再撤一次"})
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and "这条内容已经撤下了" in page
    assert f'id="reason-{report.id}" name="reason" rows="2">再撤一次</textarea>' in page


def test_other_village_committee_cannot_moderate(app, demo, people):
    report = answered(demo.villages["hexi"], people)
    other = client_for(app, people["committee_chama"])
    assert other.post(f"/desk/moderation/{report.id}", data={"action": "hide", "reason": "x"}).status_code == 404
    assert not reloaded(report).wall_hidden


def test_moderating_another_villages_entry_by_api_is_404_whatever_the_body(client, token_for, demo, people):
    report = answered(demo.villages["hexi"], people)
    url = f"/api/v1/triage/wall/{report.id}/moderation"
    for person in (people["committee_chama"], people["villager"]):
        assert client.post(url, json={}, headers=token_for(person)).status_code == 404
    assert client.post(url, json={}, headers=token_for(people["committee"])).status_code == 422
    assert not reloaded(report).wall_hidden


def test_wall_api_flag_endpoint(client, demo, people, session):
    report = answered(demo.villages["hexi"], people)
    r = client.post(f"/api/v1/villages/hexi/wall/{report.id}/flags", json={"reason": "untrue", "text": "不实"})
    assert r.status_code == 201 and session.query(WallFlag).count() == 1
    r = client.post(f"/api/v1/villages/hexi/wall/{report.id}/flags", json={"reason": "nope"})
    assert r.status_code == 422 and "原因只能是" in r.get_json()["error"]["fields"]["reason"][0]


def test_photos_public_only_when_handler_publishes_them(demo, people, session):
    import secrets

    from citizen.reports.models import ReportPhoto

    def with_photo():
        report = make_report(demo.villages["hexi"])
        report.photos.append(ReportPhoto(storage_key=secrets.token_hex(8), thumb_key=secrets.token_hex(8),
                                         width=10, height=10, size_bytes=100))  # stand-in for the reports upload
        lifecycle.accept_report(report, people["committee"])
        return report

    shown, kept = with_photo(), with_photo()
    lifecycle.answer_report(shown, people["committee"], "好", publish=True, publish_photos=True)
    lifecycle.answer_report(kept, people["committee"], "好", publish=True)
    assert shown.photos[0].public and not kept.photos[0].public
