"""The committee's read-only list of cases its village sent up to the township (issue 6)."""
import sqlalchemy as sa

from accounts.authz import allowed
from citizen.reports import lifecycle
from citizen.triage import queues
from citizen.reports.models import Report
from extensions import db
from tests.citizen.triage_factories import ago, cadre_named, client_for, make_report, reloaded


def listed(user) -> list[Report]:
    """The cases sent_up_query lists for `user`, in its order."""
    return list(db.session.execute(queues.sent_up_query(user)).scalars().all())


def ids(user) -> list[int]:
    """The same, as ids in order."""
    return [r.id for r in listed(user)]


def test_listed_after_the_committee_escalates(demo, people):
    report = make_report(demo.villages["hexi"])
    assert report.id not in ids(people["committee"])
    lifecycle.accept_report(report, people["committee"])
    lifecycle.escalate_report(report, people["committee"], "涉及多个村，需要镇里协调。")
    assert report.id in ids(people["committee"])
    assert queues.sent_up_count(people["committee"]) == len(ids(people["committee"]))


def test_listed_after_the_inspector_takes_over_an_overdue_case(demo, people):
    report = make_report(demo.villages["hexi"], created_at=ago(days=30))
    assert allowed("report.take_over", report, people["inspector"])
    lifecycle.escalate_report(report, people["inspector"], "村监会超期未受理，镇纪委接手。")
    assert report.level == "township" and report.id in ids(people["committee"])


def test_listed_after_an_unsatisfied_rating_sends_it_up(demo, people):
    report = make_report(demo.villages["hexi"])
    lifecycle.accept_report(report, people["committee"])
    lifecycle.answer_report(report, people["committee"], "已安排维修。")
    assert report.id not in ids(people["committee"])
    lifecycle.rate_report(report, "unsatisfied", "还是没修好")
    assert report.level == "township" and report.id in ids(people["committee"])


def test_not_listed_when_routed_to_the_township_at_filing(demo, people):
    village = demo.villages["hexi"]
    naming_member = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id))
    naming_chair = make_report(village, cadre=cadre_named(village, secretary_chair=True))
    assert naming_member.level == naming_chair.level == "township"
    assert {naming_member.id, naming_chair.id}.isdisjoint(ids(people["committee"]))


def test_not_listed_when_it_names_the_member_even_after_going_up(demo, people):
    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id), route=False)
    assert report.level == "village"
    lifecycle.escalate_report(report, None, "超期自动提级")
    assert report.level == "township" and report.events[-1].from_level == "village"
    assert report.id not in ids(people["committee"])
    assert not allowed("report.view_as_handler", report, people["committee"])


def test_not_listed_for_the_other_villages_committee(demo, people):
    report = make_report(demo.villages["hexi"])
    lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    assert report.id not in ids(people["committee_chama"])


def test_every_listed_case_passes_the_authz_rule_and_none_is_missed(demo, people):
    village = demo.villages["hexi"]
    sent = make_report(village)
    lifecycle.escalate_report(sent, people["committee"], "需要镇纪委协调。")
    make_report(village, cadre=cadre_named(village, user_id=people["committee"].id))
    member = people["committee"]
    rows = listed(member)
    assert rows and all(allowed("report.view_as_handler", r, member) and not allowed("report.handle", r, member)
                        for r in rows)
    township = db.session.execute(sa.select(Report).where(Report.village_id == village.id,
                                                          Report.level == "township")).scalars().all()
    readable = {r.id for r in township if allowed("report.view_as_handler", r, member)}
    assert readable == {r.id for r in rows}


def test_newest_first(demo, people):
    village = demo.villages["hexi"]
    older = make_report(village, created_at=ago(days=2))
    newer = make_report(village, created_at=ago(hours=1))
    for report in (older, newer):
        lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    order = ids(people["committee"])
    assert order.index(newer.id) < order.index(older.id)


def test_desk_tab_and_list_page(client, demo, people, login_as):
    report = make_report(demo.villages["hexi"], content="水渠堵了，需要镇里协调。")
    lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    login_as(people["committee"])
    desk = client.get("/desk").get_data(as_text=True)
    assert "已提级（只读）" in desk and f'data-case="{report.id}"' not in desk
    assert f'id="count-sent-up">{queues.sent_up_count(people["committee"])}<' in desk
    page = client.get("/desk/sent-up")
    assert page.status_code == 200 and f'href="/desk/{report.id}"' in page.get_data(as_text=True)


def test_inspector_desk_has_no_sent_up_tab(client, demo, people, login_as):
    login_as(people["inspector"])
    assert "已提级（只读）" not in client.get("/desk").get_data(as_text=True)


def test_case_page_from_the_list_is_read_only(app, demo, people, session):
    report = make_report(demo.villages["hexi"])
    lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    committee = client_for(app, people["committee"])
    html = committee.get(f"/desk/{report.id}").get_data(as_text=True)
    assert "已提级到镇纪委办理，本村只可查看" in html
    assert 'class="action-form"' not in html and "btn-accept" not in html
    events = len(report.events)
    refused = committee.post(f"/desk/{report.id}/act", data={"action": "accept"})
    assert refused.status_code == 404
    report = reloaded(report)
    assert report.status == "submitted" and report.level == "township" and len(report.events) == events


def test_api_township_level_lists_sent_up_cases_for_the_committee(client, demo, people, token_for):
    village = demo.villages["hexi"]
    report = make_report(village)
    lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    named = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id))
    headers = token_for(people["committee"])
    township = client.get("/api/v1/triage/reports?level=township", headers=headers).get_json()["items"]
    assert report.id in [i["id"] for i in township] and named.id not in [i["id"] for i in township]
    main = client.get("/api/v1/triage/reports", headers=headers).get_json()["items"]
    assert report.id not in [i["id"] for i in main]


def test_the_sent_up_list_pages_by_keyset_through_every_case_once(client, demo, people, login_as):
    import re

    for i in range(23):
        report = make_report(demo.villages["hexi"], content=f"第{i}件需要镇里协调的事。", created_at=ago(days=40 - i))
        lifecycle.escalate_report(report, people["committee"], "需要镇纪委协调。")
    expected = ids(people["committee"])
    login_as(people["committee"])
    seen, url = [], "/desk/sent-up"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += [int(n) for n in re.findall(r'href="/desk/(\d+)"', html)]
        older = re.search(r'id="sent-up-older" href="([^"]+)"', html)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert seen == expected and len(expected) >= 23
    back = re.search(r'id="sent-up-newer" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert [int(n) for n in re.findall(r'href="/desk/(\d+)"', client.get(back).get_data(as_text=True))] == expected[:20]
