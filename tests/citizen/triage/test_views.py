"""The desk pages: queue, case, actions by POST with PRG, scope 404s, township pages."""
import pytest

from citizen.reports import lifecycle
from tests.citizen.triage_factories import ago, cadre_named, client_for, make_report, reloaded


def test_queue_lists_village_cases_with_colour_words(client, demo, people, login_as):
    from citizen.triage import queues

    make_report(demo.villages["hexi"], content="路灯坏了", created_at=ago(days=4))
    make_report(demo.villages["chama"], content="岔马村的事")
    login_as(people["committee"])
    page = client.get("/desk").get_data(as_text=True)
    assert "路灯坏了" in page and "超期" in page and "岔马村的事" not in page
    assert f'id="count-red">{queues.desk_counts(people["committee"])["red"]}<' in page


def test_queue_needs_login(client, demo):
    assert client.get("/desk").status_code == 302  # to the login page


def test_queue_needs_a_desk_role(client, demo, people, login_as):
    login_as(people["villager"])
    assert client.get("/desk").status_code == 404


def test_case_page_prefills_redacted_public_text(client, demo, people, login_as):
    report = make_report(demo.villages["hexi"], content="会计电话13800010001，卡号6222021234567890123")
    lifecycle.accept_report(report, people["committee"])
    login_as(people["committee"])
    page = client.get(f"/desk/{report.id}").get_data(as_text=True)
    assert "138****0001" in page and "6222***********0123" in page
    assert page.count("13800010001") == 1  # the original content, shown once, never in the public box


def test_accept_by_post_redirects_back_to_case(client, demo, people, login_as):
    report = make_report(demo.villages["hexi"])
    login_as(people["committee"])
    response = client.post(f"/desk/{report.id}/act", data={"action": "accept"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/desk/{report.id}")
    assert reloaded(report).status == "accepted"
    assert "已受理，答复期限已开始计算" in client.get(f"/desk/{report.id}").get_data(as_text=True)


def test_reject_without_reason_keeps_page_and_shows_message(client, demo, people, login_as):
    report = make_report(demo.villages["hexi"])
    login_as(people["committee"])
    response = client.post(f"/desk/{report.id}/act", data={"action": "reject", "text": ""})
    assert response.status_code == 422 and "请写明不予受理的理由" in response.get_data(as_text=True)
    assert reloaded(report).status == "submitted"


def test_second_accept_is_409_page(client, demo, people, login_as):
    report = make_report(demo.villages["hexi"])
    login_as(people["committee"])
    client.post(f"/desk/{report.id}/act", data={"action": "accept"})
    response = client.post(f"/desk/{report.id}/act", data={"action": "accept"})
    assert response.status_code == 409 and "只有刚提交的反映才能受理" in response.get_data(as_text=True)


def test_an_action_the_status_no_longer_allows_shows_the_case_again(client, demo, people, login_as):
    """A stale page's 不予受理 after someone accepted: 409, on the case page as it is now, not a bare error page."""
    report = make_report(demo.villages["hexi"], content="水渠堵了很多天")
    lifecycle.accept_report(report, people["committee"])
    login_as(people["committee"])
    response = client.post(f"/desk/{report.id}/act", data={"action": "reject", "text": "不归村里管"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "只有刚提交的反映才能" in page
    assert 'id="case-content"' in page and 'id="btn-answer"' in page and not reloaded(report).reply


def test_named_committee_member_gets_404_on_web(client, demo, people, login_as):
    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id), route=False)
    login_as(people["committee"])
    assert client.get(f"/desk/{report.id}").status_code == 404
    assert client.post(f"/desk/{report.id}/act", data={"action": "accept"}).status_code == 404


def test_cross_village_and_cross_township_404(app, client, demo, people, login_as, session):
    from accounts.models import Township, Village

    other_town = Township(name="远山镇", slug="yuanshan")
    session.add(other_town)
    session.flush()
    far = Village(name="远山村", slug="yuanshan-cun", township_id=other_town.id)
    session.add(far)
    session.flush()
    far_case = make_report(far, created_at=ago(days=10))
    chama_case = make_report(demo.villages["chama"])
    login_as(people["committee"])
    assert client.get(f"/desk/{chama_case.id}").status_code == 404
    inspector = client_for(app, people["inspector"])
    assert inspector.get(f"/desk/{far_case.id}").status_code == 404
    assert inspector.get("/township/v/yuanshan-cun").status_code == 404


def test_duplicate_closes_with_main_answer(client, demo, people, login_as):
    village = demo.villages["hexi"]
    main = make_report(village, created_at=ago(hours=5))
    dup = make_report(village)
    login_as(people["committee"])
    client.post(f"/desk/{dup.id}/act", data={"action": "duplicate", "main_id": main.id, "text": "同一盏路灯"})
    assert reloaded(dup).duplicate_of_id == main.id
    client.post(f"/desk/{main.id}/act", data={"action": "accept"})
    client.post(f"/desk/{main.id}/act", data={"action": "answer", "text": "已换新灯。"})
    reloaded(main, dup)
    assert main.status == "answered" and dup.status == "closed" and dup.reply == "已换新灯。"


def test_duplicate_refuses_later_or_other_village_case(client, demo, people, login_as):
    village = demo.villages["hexi"]
    first = make_report(village, created_at=ago(hours=5))
    later = make_report(village)
    other = make_report(demo.villages["chama"], created_at=ago(days=1))
    login_as(people["committee"])
    r = client.post(f"/desk/{first.id}/act", data={"action": "duplicate", "main_id": later.id, "text": "x"})
    assert r.status_code == 422 and "更早提交" in r.get_data(as_text=True)
    r = client.post(f"/desk/{later.id}/act", data={"action": "duplicate", "main_id": other.id, "text": "x"})
    assert r.status_code == 422 and reloaded(later).duplicate_of_id is None


def test_inspector_takes_over_overdue_case(client, demo, people, login_as):
    report = make_report(demo.villages["hexi"], created_at=ago(days=4))
    login_as(people["inspector"])
    page = client.get(f"/desk/{report.id}").get_data(as_text=True)
    assert "镇纪委接手" in page and 'id="btn-accept"' not in page
    client.post(f"/desk/{report.id}/act", data={"action": "take_over", "text": "超期未受理"})
    reloaded(report)
    assert report.level == "township" and report.events[-1].actor_role == "inspector"


def test_township_overview_and_export(client, demo, people, login_as):
    make_report(demo.villages["hexi"], created_at=ago(days=4))
    login_as(people["township"])
    page = client.get("/township").get_data(as_text=True)
    assert "河西村" in page and "岔马村" in page and "—" in page
    xlsx = client.get("/township/villages.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    trend = client.get("/township/v/hexi").get_data(as_text=True)
    assert "<svg" in trend and "近12个月" in trend


@pytest.mark.parametrize("who", ["committee", "villager"])
def test_township_overview_refused(client, demo, people, login_as, who):
    login_as(people[who])
    assert client.get("/township").status_code == 404


def test_reply_templates_edit_and_pick(app, client, demo, people, login_as):
    login_as(people["township"])
    r = client.post("/township/templates", data={"title": "已维修", "body": "经核实，已安排维修，感谢监督。"})
    assert r.status_code == 302
    bad = client.post("/township/templates", data={"title": "", "body": ""})
    assert bad.status_code == 422 and "请把模板的标题和内容填写完整" in bad.get_data(as_text=True)
    from citizen.triage.models import ReplyTemplate
    from extensions import db

    template = db.session.query(ReplyTemplate).filter_by(title="已维修").one()
    report = make_report(demo.villages["hexi"])
    lifecycle.accept_report(report, people["committee"])
    response = client_for(app, people["committee"]).get(f"/desk/{report.id}?template={template.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-800:]
    assert "经核实，已安排维修，感谢监督。</textarea>" in page


def test_township_settings_saved_and_bad_values_refused(app, demo, people, session):
    from citizen.reports import deadlines

    staff = client_for(app, people["township"])
    assert "期限与预警设置" in staff.get("/township").get_data(as_text=True)
    form = {"accept_days": "2", "answer_days": "10", "red_overdue_days": "5", "red_disclosure_days": "50",
            "finance_stale_days": "30", "red_satisfaction_pct": "50", "yellow_satisfaction_pct": "70"}
    assert staff.post("/township/settings", data=form).status_code == 302
    session.expire_all()
    assert deadlines.settings_for(demo.township.id).answer_days == 10
    bad = staff.post("/township/settings", data=dict(form, answer_days="0"))
    assert bad.status_code == 422 and "答复期限（天）请填1到90之间的整数" in bad.get_data(as_text=True)
    assert deadlines.settings_for(demo.township.id).answer_days == 10
    assert client_for(app, people["inspector"]).get("/township/settings").status_code == 404


def test_export_has_header_and_rows_and_defuses_formulas(app, demo, people, session):
    import io

    from openpyxl import load_workbook

    from accounts.models import Village

    session.add(Village(name="=HYPERLINK(1)", slug="evil", township_id=demo.township.id))
    session.flush()
    data = client_for(app, people["township"]).get("/township/villages.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("村", "办理中", "超期")
    names = {r[0] for r in rows[1:] if r and r[0]}
    assert {"河西村", "岔马村", "'=HYPERLINK(1)"} <= names


def test_inspector_queue_filters_by_level(app, demo, people):
    village = demo.villages["hexi"]
    late = make_report(village, content="拖了很久没人管", created_at=ago(days=6))
    senior = make_report(village, content="书记的亲戚租了仓库", cadre=cadre_named(village, secretary_chair=True))
    inspector = client_for(app, people["inspector"])
    township_page = inspector.get("/desk?level=township").get_data(as_text=True)
    village_page = inspector.get("/desk?level=village").get_data(as_text=True)
    assert f'data-case="{senior.id}"' in township_page and f'data-case="{late.id}"' not in township_page
    assert f'data-case="{late.id}"' in village_page and "村级·只读" in village_page


def test_finance_lateness_is_one_setting_on_the_settings_page(app, demo, people, session):
    from disclosure.freshness import stale_days

    staff = client_for(app, people["township"])
    form = {"accept_days": "3", "answer_days": "15", "red_overdue_days": "7", "red_disclosure_days": "60",
            "finance_stale_days": "20", "red_satisfaction_pct": "60", "yellow_satisfaction_pct": "80"}
    assert staff.post("/township/settings", data=form).status_code == 302
    session.expire_all()
    assert stale_days(demo.township.id) == 20  # the village home's 公开不及时 and the overview's yellow alike
    assert "超过20天" in staff.get("/township").get_data(as_text=True)
    late = staff.post("/township/settings", data=dict(form, finance_stale_days="70"))
    assert late.status_code == 422 and "红色的天数不能小于" in late.get_data(as_text=True)
    session.expire_all()
    assert stale_days(demo.township.id) == 20
