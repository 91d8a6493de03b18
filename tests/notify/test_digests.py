"""Handlers' daily digest: one message a day with the counts of cases due within 24 hours and overdue, instead of
one per case; the desk keeps a notice per case."""
import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import clock
from citizen.triage import digests
from citizen.triage.models import Notification
from citizen.triage.notify import remind_due_soon
from notify.models import StaffDigest
from notify.preferences import choose_channel
from notify.subscriptions import subscribe
from tests.citizen.triage_factories import make_report

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shanghai


@pytest.fixture
def digest_template(app, wechat, monkeypatch):
    """WeChat's fake knows the digest's template."""
    monkeypatch.setitem(app.config, "WECHAT_TEMPLATE_DUE_SOON", "TPL-DUE")
    wechat.templates = {"TPL-DUE"}
    return wechat


@pytest.fixture
def cases(hexi, people):
    """Two overdue cases and one due within 24 hours (acceptance takes 3 days), and one with time left.

    `cases.soon` and `cases.late` are the committee head's counts with the demo's own open cases added."""
    before = digests.due_counts(NOW).get(people["committee"].id, (0, 0))
    made = Cases(make_report(hexi, created_at=NOW - timedelta(days=d), content=f"第{i}件：村口的井盖丢了。")
                 for i, d in enumerate((5, 4, 2.5, 0.5)))
    made.soon, made.late = before[0] + 1, before[1] + 2
    clock.freeze(NOW)
    yield made
    clock.freeze(None)


class Cases(list):
    """The cases made, and the counts the committee head's digest should carry."""

    soon = late = 0


def _committee_on_wechat(session, people, kinds=("due_soon",)):
    committee = people["committee"]
    committee.wechat_openid = "oCommitteeDigest01"
    session.flush()
    subscribe(committee, list(kinds))
    return committee


def test_a_handler_gets_one_digest_with_the_counts_and_no_case(app_ctx, session, digest_template, cases, people):
    _committee_on_wechat(session, people)
    assert digests.send_digests() == 1
    session.commit()
    [sent] = digest_template.messages
    assert sent["touser"] == "oCommitteeDigest01" and sent["template_id"] == "TPL-DUE"
    assert sent["data"]["thing1"] == {"value": f"{cases.soon}件将到期、{cases.late}件已超期"}
    assert sent["data"]["phrase2"] == {"value": "到期提醒"}
    assert sent["page"] == "http://testserver.local/desk"
    text = json.dumps(sent, ensure_ascii=False)
    assert "井盖" not in text and not any(str(case.id) in sent["page"] for case in cases)


def test_at_most_one_digest_a_day_and_another_the_next_day(app_ctx, session, digest_template, cases, people):
    _committee_on_wechat(session, people)
    subscribe(people["committee"], ["due_soon"])  # a second consent: the next day's digest may go too
    digests.send_digests()
    session.commit()
    assert digests.send_digests(NOW + timedelta(hours=5)) == 0  # the same Shanghai day
    session.commit()
    assert len(digest_template.messages) == 1
    digests.send_digests(NOW + timedelta(days=1))
    session.commit()
    assert len(digest_template.messages) == 2
    days = session.execute(sa.select(StaffDigest.day).filter_by(user_id=people["committee"].id)).scalars().all()
    assert sorted(d.isoformat() for d in days) == ["2026-11-20", "2026-11-21"]


def test_a_digest_goes_by_text_to_those_who_chose_sms(app_ctx, session, cases, people, aliyun, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "SMS_TEMPLATE_DUE_SOON", "SMS_100009")
    choose_channel(people["committee"], "sms")
    digests.send_digests()
    session.commit()
    [sent] = aliyun.sent
    assert sent["phone"] == people["committee"].phone and sent["template"] == "SMS_100009"
    assert sent["params"] == {"step": f"{cases.soon}件将到期、{cases.late}件已超期", "link": "http://testserver.local/desk"}


def test_handlers_who_chose_nothing_get_no_digest(app_ctx, session, cases, people):
    choose_channel(people["committee"], "none")
    assert digests.send_digests() == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(StaffDigest)) == 0


def test_the_digest_counts_only_cases_the_handler_handles(app_ctx, session, cases, people):
    counts = digests.due_counts()
    assert counts[people["committee"].id] == (cases.soon, cases.late)
    assert people["committee_chama"].id not in counts  # another village's committee
    assert people["inspector"].id not in counts  # village-level cases are not the township's


def test_the_desk_still_gets_a_notice_per_case_and_no_message_per_case(app_ctx, session, digest_template, cases,
                                                                       people):
    _committee_on_wechat(session, people, kinds=("due_soon", "new_case"))
    session.commit()
    before = len(digest_template.messages)
    assert remind_due_soon() >= 1
    session.commit()
    notices = session.execute(sa.select(Notification.report_id).filter_by(user_id=people["committee"].id,
                                                                          kind="due_soon")).scalars().all()
    assert cases[2].id in notices and cases[3].id not in notices
    assert len(digest_template.messages) == before  # the per-case reminder goes to the desk only


def test_the_worker_runs_the_reminders_and_the_digest_on_schedule(app_ctx):
    from jobs.queue import huey

    def due(moment):  # huey's schedule runs in UTC
        return {type(t).__name__ for t in huey.read_periodic(moment)}

    assert "send_staff_digests" in due(datetime(2026, 11, 20, 0, 30))  # 08:30 in Shanghai
    assert "send_staff_digests" not in due(datetime(2026, 11, 20, 1, 30))
    assert "remind_handlers" in due(datetime(2026, 11, 20, 7, 5)) and "remind_handlers" not in due(
        datetime(2026, 11, 20, 7, 6))
