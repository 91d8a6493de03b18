"""The lifecycle table: every allowed transition, every forbidden one, events and signals."""
import pytest

from citizen.reports import lifecycle, signals
from citizen.reports.models import ReportEvent
from errors import Conflict, Invalid, NotFound
from tests.citizen.triage_factories import cadre_named, frozen_clock, make_report  # noqa: F401 (fixture)

ACTIONS = ("accept", "reject", "answer", "escalate", "message")


def bring_to(status, village, people, **kw):
    """A village-level case in `status`, built through the lifecycle."""
    report = make_report(village, **kw)
    head = people["committee"]
    if status in ("accepted", "answered", "closed"):
        lifecycle.accept_report(report, head)
    if status in ("answered", "closed"):
        lifecycle.answer_report(report, head, "已修好。")
    if status == "closed":
        lifecycle.rate_report(report, "satisfied")
    if status == "rejected":
        lifecycle.reject_report(report, head, "不属于村务范围。")
    return report


# (status, action) → allowed?
ALLOWED = {("submitted", "accept"), ("submitted", "reject"), ("submitted", "escalate"), ("submitted", "message"),
           ("accepted", "answer"), ("accepted", "escalate"), ("accepted", "message"), ("answered", "message")}


@pytest.mark.parametrize("status", ["submitted", "accepted", "answered", "closed", "rejected"])
@pytest.mark.parametrize("action", ACTIONS)
def test_handler_action_allowed_only_from_its_statuses(demo, people, status, action):
    report = bring_to(status, demo.villages["hexi"], people)
    before = (report.status, report.level, len(report.events))
    if (status, action) in ALLOWED:
        lifecycle.perform(report, people["committee"], action, text="说明")
        assert len(report.events) == before[2] + 1
    else:
        with pytest.raises(Conflict) as err:
            lifecycle.perform(report, people["committee"], action, text="说明")
        assert err.value.status == 409 and "当前状态" in err.value.message
        assert (report.status, report.level, len(report.events)) == before


def test_accept_sets_answer_deadline_and_records_event(demo, people):
    report = make_report(demo.villages["hexi"])
    lifecycle.accept_report(report, people["committee"])
    assert report.status == "accepted"
    assert (report.due_at - report.accepted_at).days == 15
    event = report.events[-1]
    assert (event.action, event.actor_role, event.actor_id) == ("accept", "committee", people["committee"].id)
    assert (event.from_status, event.to_status) == ("submitted", "accepted")


def test_reject_requires_reason_and_changes_nothing_without_it(demo, people):
    report = make_report(demo.villages["hexi"])
    with pytest.raises(Invalid) as err:
        lifecycle.reject_report(report, people["committee"], "  ")
    assert "理由" in err.value.message and report.status == "submitted"


def test_answer_requires_reply(demo, people):
    report = bring_to("accepted", demo.villages["hexi"], people)
    with pytest.raises(Invalid) as err:
        lifecycle.answer_report(report, people["committee"], "")
    assert "答复" in err.value.message and report.status == "accepted"


def test_answer_publishes_masked_public_text_and_keeps_original(demo, people):
    report = bring_to("accepted", demo.villages["hexi"], people, content="联系人电话13800138000，请查。")
    lifecycle.answer_report(report, people["committee"], "已处理。", publish=True)
    assert report.published and report.public_text == "联系人电话138****8000，请查。"
    assert "13800138000" in report.content


def test_answer_cannot_publish_without_reporters_consent(demo, people):
    report = bring_to("accepted", demo.villages["hexi"], people, allow_public=False)
    with pytest.raises(Invalid):
        lifecycle.answer_report(report, people["committee"], "已处理。", publish=True)
    assert report.status == "accepted" and not report.published


@pytest.mark.parametrize("rating", ["satisfied", "basic"])
def test_good_rating_closes(demo, people, rating):
    report = bring_to("answered", demo.villages["hexi"], people)
    lifecycle.rate_report(report, rating)
    assert report.status == "closed" and report.rating == rating


def test_unsatisfied_goes_to_township_once_then_closes(demo, people):
    report = bring_to("answered", demo.villages["hexi"], people)
    lifecycle.rate_report(report, "unsatisfied", "没修好")
    assert (report.status, report.level) == ("submitted", "township")
    inspector = people["inspector"]
    lifecycle.accept_report(report, inspector)
    lifecycle.answer_report(report, inspector, "镇里已督促修好。")
    lifecycle.rate_report(report, "unsatisfied")
    assert (report.status, report.level, report.rating) == ("closed", "township", "unsatisfied")


@pytest.mark.parametrize("status", ["submitted", "accepted", "closed", "rejected"])
def test_rate_refused_unless_answered(demo, people, status):
    report = bring_to(status, demo.villages["hexi"], people)
    with pytest.raises(Conflict):
        lifecycle.rate_report(report, "satisfied")


def test_rate_refuses_unknown_rating(demo, people):
    report = bring_to("answered", demo.villages["hexi"], people)
    with pytest.raises(Invalid):
        lifecycle.rate_report(report, "great")
    assert report.status == "answered"


def test_appeal_sends_rejected_case_to_township_once(demo, people):
    report = bring_to("rejected", demo.villages["hexi"], people)
    lifecycle.appeal_report(report, "这就是村务。")
    assert (report.status, report.level) == ("submitted", "township")
    lifecycle.reject_report(report, people["inspector"], "经核实不属实。")
    with pytest.raises(Conflict):
        lifecycle.appeal_report(report, "再申诉")


@pytest.mark.parametrize("status", ["submitted", "accepted", "answered", "closed"])
def test_appeal_refused_unless_rejected(demo, people, status):
    report = bring_to(status, demo.villages["hexi"], people)
    assert not lifecycle.can_appeal(report)
    with pytest.raises(Conflict) as err:
        lifecycle.appeal_report(report, "理由")
    assert "只有不予受理的反映才能申请复核" in err.value.message and report.status == status


def test_appeal_records_the_reporter_anonymously_and_restarts_the_acceptance_clock(demo, people, frozen_clock):
    from citizen.reports import deadlines

    report = bring_to("rejected", demo.villages["hexi"], people)
    assert lifecycle.can_appeal(report) and report.reply == "不属于村务范围。"
    sent_up = []

    def seen(sender, **kw):
        sent_up.append(sender)

    signals.report_escalated.connect(seen)  # the township's handlers are told, as for any case sent up
    try:
        event = lifecycle.appeal_report(report, "  路灯是村集体出钱装的，归村里管。 ")
    finally:
        signals.report_escalated.disconnect(seen)
    assert (event.action, event.actor_role, event.actor_id) == ("appeal", "reporter", None)
    assert (event.from_status, event.to_status, event.from_level, event.to_level) == (
        "rejected", "submitted", "village", "township")
    assert event.text == "路灯是村集体出钱装的，归村里管。"
    assert report.closed_at is None and report.reply is None  # the rejection's reason stays in its event
    assert [e.text for e in report.events if e.action == "reject"] == ["不属于村务范围。"]
    assert report.due_at == deadlines.acceptance_due(report.village, frozen_clock) and sent_up == [report]
    assert not lifecycle.can_appeal(report)


@pytest.mark.parametrize("reason", [None, "", "   ", "字" * (lifecycle.MAX_TEXT + 1)])
def test_appeal_needs_a_reason_and_changes_nothing_without_it(demo, people, reason):
    report = bring_to("rejected", demo.villages["hexi"], people)
    with pytest.raises(Invalid):
        lifecycle.appeal_report(report, reason)
    assert (report.status, report.level) == ("rejected", "village") and lifecycle.can_appeal(report)
    assert [e.action for e in report.events] == ["submit", "reject"]


def test_case_rejected_at_the_township_cannot_be_appealed(demo, people):
    cadre = cadre_named(demo.villages["hexi"], secretary_chair=True)
    report = make_report(demo.villages["hexi"], cadre=cadre)
    assert report.level == "township"
    lifecycle.reject_report(report, people["inspector"], "经核实不属实。")
    assert not lifecycle.can_appeal(report)
    with pytest.raises(Conflict) as err:
        lifecycle.appeal_report(report, "请再查一查。")
    assert "不能再申请复核" in err.value.message and report.status == "rejected"


def test_escalate_moves_to_township_with_new_acceptance_deadline(demo, people):
    report = bring_to("accepted", demo.villages["hexi"], people)
    lifecycle.escalate_report(report, people["committee"], "涉及镇里的项目。")
    assert (report.status, report.level) == ("submitted", "township")
    event = report.events[-1]
    assert (event.from_level, event.to_level, event.from_status) == ("village", "township", "accepted")


def test_escalate_requires_reason(demo, people):
    report = make_report(demo.villages["hexi"])
    with pytest.raises(Invalid):
        lifecycle.escalate_report(report, people["committee"], "")
    assert report.level == "village"


def test_case_naming_secretary_chair_goes_to_township_automatically(demo):
    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, secretary_chair=True))
    assert (report.level, report.status) == ("township", "submitted")
    assert report.events[0].action == "submit" and report.events[0].to_level == "township"
    assert "镇纪委" in report.events[0].text


def test_committee_cannot_act_on_case_naming_them(demo, people):
    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id), route=False)
    with pytest.raises(NotFound):
        lifecycle.accept_report(report, people["committee"])


def test_other_village_committee_cannot_act(demo, people):
    report = make_report(demo.villages["hexi"])
    with pytest.raises(NotFound):
        lifecycle.accept_report(report, people["committee_chama"])
    assert report.status == "submitted"


def test_committee_cannot_act_on_township_case(demo, people):
    report = make_report(demo.villages["hexi"])
    lifecycle.escalate_report(report, people["committee"], "上报")
    with pytest.raises(NotFound):
        lifecycle.accept_report(report, people["committee"])


def test_reporter_message_any_open_status_and_signal(demo, people):
    report = bring_to("answered", demo.villages["hexi"], people)
    got = []

    def seen(sender, **kw):
        got.append(sender)

    signals.reporter_replied.connect(seen)
    try:
        lifecycle.message_as_reporter(report, "还有一处也坏了。")
    finally:
        signals.reporter_replied.disconnect(seen)
    assert got == [report] and report.messages[-1].author == "reporter"
    assert report.events[-1].actor_id is None and report.events[-1].actor_role == "reporter"


@pytest.mark.parametrize("status", ["closed", "rejected"])
def test_reporter_message_refused_when_finished(demo, people, status):
    report = bring_to(status, demo.villages["hexi"], people)
    with pytest.raises(Conflict):
        lifecycle.message_as_reporter(report, "hi")


def test_signals_accepted_published_rated(demo, people):
    seen = []
    handlers = [(sig, (lambda name: lambda sender, **kw: seen.append(name))(sig.name))
                for sig in (signals.report_accepted, signals.report_published, signals.report_rated)]
    for sig, fn in handlers:
        sig.connect(fn)
    try:
        report = bring_to("accepted", demo.villages["hexi"], people, anonymous=False, user=people["villager"])
        lifecycle.answer_report(report, people["committee"], "好", publish=True)
        lifecycle.rate_report(report, "satisfied")
    finally:
        for sig, fn in handlers:
            sig.disconnect(fn)
    assert seen == ["report-accepted", "report-published", "report-rated"]


def test_events_are_appended_for_every_action(demo, people, session):
    report = bring_to("closed", demo.villages["hexi"], people)
    actions = [e.action for e in session.query(ReportEvent).filter_by(report_id=report.id).order_by(ReportEvent.id)]
    assert actions == ["submit", "accept", "answer", "rate"]


def test_duplicate_reporter_follows_main_case(demo, people):
    from tests.citizen.triage_factories import ago

    village = demo.villages["hexi"]
    main = make_report(village, created_at=ago(hours=3))
    dup = make_report(village)
    lifecycle.mark_duplicate(dup, main, people["committee"], "同一件事")
    assert lifecycle.tracked_case(dup) is main
    lifecycle.accept_report(main, people["committee"])
    lifecycle.answer_report(main, people["committee"], "已处理")
    assert dup.status == "closed" and lifecycle.tracked_case(dup) is dup
    assert dup.events[-1].action == "close_duplicate"


def test_events_cannot_be_edited_or_deleted(demo, people, session):
    report = bring_to("accepted", demo.villages["hexi"], people)
    event = report.events[-1]
    event.text = "改写历史"
    with pytest.raises(Conflict):
        session.flush()


def test_escalate_refused_at_township_level(demo, people):
    report = make_report(demo.villages["hexi"])
    lifecycle.escalate_report(report, people["committee"], "上报")
    with pytest.raises(Conflict) as err:
        lifecycle.escalate_report(report, people["inspector"], "再上报")
    assert "已经在镇纪委办理" in err.value.message


@pytest.mark.parametrize("status", ["answered", "closed", "rejected"])
def test_duplicate_refused_once_answered_or_finished(demo, people, status):
    from tests.citizen.triage_factories import ago

    main = make_report(demo.villages["hexi"], created_at=ago(days=1))
    report = bring_to(status, demo.villages["hexi"], people)
    with pytest.raises(Conflict):
        lifecycle.mark_duplicate(report, main, people["committee"], "重复")
    assert report.duplicate_of_id is None


def test_message_by_handler_reaches_reporter_and_keeps_status(demo, people):
    report = bring_to("accepted", demo.villages["hexi"], people)
    lifecycle.message_as_handler(report, people["committee"], "请问具体是哪一段路？")
    assert report.status == "accepted" and report.messages[-1].author == "handler"
    assert report.events[-1].action == "message" and report.events[-1].from_status == "accepted"


def test_escalated_case_is_read_only_history_for_the_village_committee(client, demo, people, login_as):
    from accounts.authz import allowed

    report = make_report(demo.villages["hexi"])
    lifecycle.accept_report(report, people["committee"])
    lifecycle.escalate_report(report, people["committee"], "涉及多个村，需要镇里协调。")
    assert report.level == "township"
    assert allowed("report.view_as_handler", report, people["committee"])
    assert not allowed("report.handle", report, people["committee"])
    with pytest.raises(NotFound):
        lifecycle.answer_report(report, people["committee"], "答复")
    assert not allowed("report.view_as_handler", report, people["committee_chama"])


def test_case_sent_straight_to_township_is_never_shown_to_the_committee(demo, people):
    from accounts.authz import allowed

    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, user_id=people["committee"].id))
    assert report.level == "township"
    assert not allowed("report.view_as_handler", report, people["committee"])
