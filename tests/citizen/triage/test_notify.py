"""Notifications: in-app by default, webhook with retry and timeout, never the reporter's identity or code."""
import json
from datetime import timedelta

import clock
from citizen.reports import lifecycle
from citizen.triage import notify
from citizen.triage.models import Notification
from tests.citizen.triage_factories import cadre_named, client_for, make_report


def notices(session, user):
    return session.query(Notification).filter_by(user_id=user.id).order_by(Notification.id).all()


def test_new_case_notifies_village_committee(app, demo, people, session):
    report = make_report(demo.villages["hexi"])
    got = [(n.kind, n.report_id) for n in notices(session, people["committee"]) if n.report_id == report.id]
    assert got == [("new_case", report.id)]
    assert all(n.report_id != report.id for n in notices(session, people["committee_chama"]))


def test_case_naming_secretary_chair_is_told_to_inspectors_only(app, demo, people, session):
    village = demo.villages["hexi"]
    report = make_report(village, cadre=cadre_named(village, secretary_chair=True))
    assert report.level == "township"
    assert all(n.report_id != report.id for n in notices(session, people["committee"]))
    assert ("new_case", report.id) in [(n.kind, n.report_id) for n in notices(session, people["inspector"])]


def test_reporter_reply_notifies_handlers_without_identity(app, demo, people, session):
    villager = people["villager"]
    report = make_report(demo.villages["hexi"], anonymous=False, user=villager)
    lifecycle.message_as_reporter(report, "补充：灯杆也歪了")
    last = notices(session, people["committee"])[-1]
    assert last.kind == "reporter_replied"
    assert villager.name not in last.text and villager.phone not in last.text and "灯杆" not in last.text


def test_due_soon_reminder_once(app, demo, people, session):
    report = make_report(demo.villages["hexi"])
    clock.freeze(report.due_at - timedelta(hours=23))
    try:
        assert notify.remind_due_soon() >= 1
        assert notify.remind_due_soon() == 0
    finally:
        clock.freeze(None)
    kinds = [n.kind for n in notices(session, people["committee"]) if n.report_id == report.id]
    assert kinds == ["new_case", "due_soon"]


def test_unread_badge_and_mark_read(app, demo, people, session):
    make_report(demo.villages["hexi"])
    desk = client_for(app, people["committee"])
    page = desk.get("/desk").get_data(as_text=True)
    unread = notify.unread_count(people["committee"])
    assert unread >= 1 and f'<span class="badge">{unread}</span>' in page
    desk.post("/desk/notifications/read")
    assert notify.unread_count(people["committee"]) == 0


class FakeResponse:
    def __init__(self, status):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_webhook_retries_then_succeeds_with_timeout(monkeypatch):
    monkeypatch.setattr(notify.time, "sleep", lambda s: None)
    calls = []

    def opener(request, timeout):
        calls.append((json.loads(request.data), timeout))
        if len(calls) < 3:
            raise OSError("connection refused")
        return FakeResponse(200)

    sender = notify.WebhookNotifier("http://hook.example/x", timeout=2.5, retries=3, opener=opener)
    assert sender.post({"kind": "new_case"}) is True
    assert len(calls) == 3 and all(t == 2.5 for _, t in calls)


def test_webhook_gives_up_quietly(monkeypatch):
    monkeypatch.setattr(notify.time, "sleep", lambda s: None)

    def opener(request, timeout):
        raise TimeoutError("timed out")

    assert notify.WebhookNotifier("http://hook.example/x", retries=2, opener=opener).post({}) is False


def test_webhook_payload_has_no_reporter_or_tracking(demo, people):
    villager = people["villager"]
    report = make_report(demo.villages["hexi"], anonymous=False, user=villager)
    body = notify.WebhookNotifier("http://hook.example/x").payload("new_case", report, notify.notice_text("new_case", report))
    text = json.dumps(body, ensure_ascii=False)
    assert set(body) == {"kind", "report_id", "village", "level", "text", "at"}
    assert villager.name not in text and villager.phone not in text and report.tracking_hash not in text
    assert report.content not in text


def test_configured_webhook_posts_after_commit(app, demo, people, session, monkeypatch):
    sent = []
    monkeypatch.setitem(app.config, "TRIAGE_WEBHOOK_URL", "http://hook.example/triage")
    monkeypatch.setattr(notify.WebhookNotifier, "post", lambda self, body: sent.append(body) or True)
    report = make_report(demo.villages["hexi"])
    assert sent == []  # nothing leaves before the transaction commits
    session.commit()
    assert [(b["kind"], b["report_id"]) for b in sent] == [("new_case", report.id)]


def test_remind_command(app, demo, people, session):
    report = make_report(demo.villages["hexi"])
    clock.freeze(report.due_at - timedelta(hours=2))
    try:
        result = app.test_cli_runner().invoke(args=["triage", "remind"])
    finally:
        clock.freeze(None)
    assert result.exit_code == 0 and "已提醒" in result.output
    assert "due_soon" in [n.kind for n in notices(session, people["committee"]) if n.report_id == report.id]
