"""The case lifecycle sends step messages: a named reporter hears of each step once, handlers of a new case
hear of it, a person a report names never does, and an anonymous reporter has nobody to tell."""
import json

import pytest
import sqlalchemy as sa

from citizen.reports import lifecycle
from disclosure.cadres import save_cadre
from notify.models import OutboundMessage
from notify.subscriptions import subscribe
from tests.citizen.triage_factories import make_report

TEMPLATES = {kind: f"TPL-{kind.upper()}" for kind in ("accepted", "question", "answered", "sent_up", "new_case")}


@pytest.fixture
def templates(app, wechat, monkeypatch):
    """A template for every kind of message, known to the fake."""
    for kind, template in TEMPLATES.items():
        monkeypatch.setitem(app.config, f"WECHAT_TEMPLATE_{kind.upper()}", template)
    wechat.templates = set(TEMPLATES.values())
    return wechat


def _on_wechat(session, person, openid: str, kinds) -> None:
    """The person logged in through WeChat and accepted these kinds in WeChat's dialog."""
    person.wechat_openid = openid
    session.flush()
    subscribe(person, kinds)


def _sent_to(fake, openid: str) -> list[str]:
    """The steps the fake received for one person, in order."""
    steps = {template: kind for kind, template in TEMPLATES.items()}
    return [steps[m["template_id"]] for m in fake.messages if m["touser"] == openid]


def test_a_named_reporter_hears_each_step_once_and_never_the_report(app_ctx, session, templates, hexi, people, demo):
    reporter = people["villager"]
    _on_wechat(session, reporter, "oReporter0001", ["accepted", "question", "answered", "sent_up"])
    report = make_report(hexi, anonymous=False, user=reporter, content="村东头的垃圾池半个月没有清运了。")
    lifecycle.accept_report(report, people["committee"])
    lifecycle.message_as_handler(report, people["committee"], "请问是哪一个垃圾池？")
    lifecycle.message_as_handler(report, people["committee"], "还有别的情况吗？")  # the same step: no second message
    lifecycle.escalate_report(report, people["committee"], "需要镇里协调清运车。")
    lifecycle.accept_report(report, people["inspector"])  # accepted again at the township: already told
    lifecycle.answer_report(report, people["inspector"], "已安排清运车，每周两次。")
    session.commit()
    assert _sent_to(templates, "oReporter0001") == ["accepted", "question", "sent_up", "answered"]
    text = json.dumps([m for m in templates.messages if m["touser"] == "oReporter0001"], ensure_ascii=False)
    for secret in ("垃圾池", "清运", reporter.name, reporter.phone, *demo.tracking_codes.values()):
        assert secret not in text
    assert {m["page"] for m in templates.messages if m["touser"] == "oReporter0001"} == {
        f"http://testserver.local/me/reports/{report.id}"}


def test_an_anonymous_report_queues_no_message_for_anyone_but_its_handlers(app_ctx, session, templates, hexi,
                                                                           people):
    report = make_report(hexi, anonymous=True)
    lifecycle.accept_report(report, people["committee"])
    lifecycle.answer_report(report, people["committee"], "已修好。")
    kinds = session.execute(sa.select(OutboundMessage.kind).where(OutboundMessage.report_id == report.id)).scalars()
    assert set(kinds) <= {"new_case"}


def test_the_reporter_is_not_told_of_sending_up_they_asked_for(app_ctx, session, templates, hexi, people):
    reporter = people["villager"]
    _on_wechat(session, reporter, "oReporter0002", ["sent_up", "answered"])
    report = make_report(hexi, anonymous=False, user=reporter)
    lifecycle.reject_report(report, people["committee"], "不属于村监会受理范围。")
    lifecycle.appeal_report(report, "这是村里的事，应该受理。")
    session.commit()
    assert _sent_to(templates, "oReporter0002") == []


def test_handlers_of_a_new_case_hear_of_it_and_the_township_when_it_is_sent_up(app_ctx, session, templates, hexi,
                                                                               people):
    _on_wechat(session, people["committee"], "oCommittee001", ["new_case"])
    _on_wechat(session, people["inspector"], "oInspector001", ["new_case"])
    report = make_report(hexi)
    session.commit()
    assert _sent_to(templates, "oCommittee001") == ["new_case"]
    assert _sent_to(templates, "oInspector001") == []
    lifecycle.escalate_report(report, people["committee"], "需要镇里协调。")
    session.commit()
    assert _sent_to(templates, "oInspector001") == ["new_case"]
    assert templates.messages[-1]["page"] == f"http://testserver.local/desk/{report.id}"


def test_a_handler_the_report_names_never_hears_of_it(app_ctx, session, templates, hexi, people):
    committee = people["committee"]
    _on_wechat(session, committee, "oCommittee002", ["new_case"])
    cadre = save_cadre(hexi, {"name": "王报账", "post": "村报账员"})  # not a committee post: the case stays in the village
    cadre.user_id = committee.id  # the committee head also keeps the books
    session.flush()
    data = {"category": "三资管理", "content": "报账员把发票改了日期。", "anonymous": True, "allow_public": False,
            "subject": ("cadre", cadre.id), "cadre_id": cadre.id}
    from citizen.reports.filing import submit_report
    from storage import Batch

    report = submit_report(hexi, data, [], Batch(), None, "token-named-handler").report
    session.commit()
    assert report.level == "village"
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboundMessage)
                          .where(OutboundMessage.user_id == committee.id)) == 0
    assert _sent_to(templates, "oCommittee002") == []


def test_the_purge_of_a_case_takes_its_messages_with_it(app_ctx, session, templates, hexi, people):
    from notify.steps import forget_reports

    reporter = people["villager"]
    _on_wechat(session, reporter, "oReporter0003", ["accepted"])
    report = make_report(hexi, anonymous=False, user=reporter)
    lifecycle.accept_report(report, people["committee"])
    session.flush()
    forget_reports([report.id])
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboundMessage)
                          .where(OutboundMessage.report_id == report.id)) == 0
