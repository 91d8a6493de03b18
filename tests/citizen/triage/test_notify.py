"""Notifications: in-app, and a webhook posted by a job with retries and back-off; never the reporter's identity or code."""
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

import clock
from citizen.reports import lifecycle
from citizen.triage import notify, webhook
from citizen.triage.models import Notification
from jobs.models import FailedJob
from tests.citizen.triage_factories import cadre_named, client_for, make_report
from tests.jobs.conftest import run_due, sqlite_queue  # noqa: F401  (the queue fixture)
from tests.notify.fake_server import FakeService


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


class FakeReceiver(FakeService):
    """A webhook receiver on loopback: records each JSON body; `answer` is the HTTP status it gives."""

    def __init__(self):
        super().__init__()
        self.bodies: list[dict] = []
        self.answer = 200

    def handle(self, method, path, query, headers, body):
        self.bodies.append(json.loads(body))
        return self.answer, {"ok": self.answer == 200}


@pytest.fixture
def receiver(app, monkeypatch):
    """TRIAGE_WEBHOOK_URL pointed at a running receiver, with a key in its query as chat bots have."""
    with FakeReceiver() as fake:
        monkeypatch.setitem(app.config, "TRIAGE_WEBHOOK_URL", f"{fake.url}/hook?key=bot-key-Xy77")
        monkeypatch.setitem(app.config, "TRIAGE_WEBHOOK_TIMEOUT", 0.3)
        fake.delay = 1.0
        yield fake


def test_webhook_payload_has_no_reporter_or_tracking(demo, people, session):
    villager = people["villager"]
    report = make_report(demo.villages["hexi"], anonymous=False, user=villager)
    notice = notices(session, people["committee"])[-1]
    body = webhook.payload(notice, report)
    text = json.dumps(body, ensure_ascii=False)
    assert set(body) == {"kind", "report_id", "village", "level", "text", "at"}
    assert villager.name not in text and villager.phone not in text and report.tracking_hash not in text
    assert report.content not in text


def test_configured_webhook_posts_once_after_commit_from_a_job(app, demo, people, session, receiver):
    report = make_report(demo.villages["hexi"])
    assert receiver.bodies == []  # nothing leaves before the transaction commits
    session.commit()
    assert [(b["kind"], b["report_id"]) for b in receiver.bodies] == [("new_case", report.id)]
    assert receiver.requests[0]["query"] == {"key": "bot-key-Xy77"}


def test_a_rolled_back_case_posts_nothing(app, demo, people, session, receiver):
    make_report(demo.villages["hexi"])
    session.rollback()
    session.commit()
    assert receiver.bodies == []


def test_a_slow_receiver_never_holds_the_villagers_request(app, client, demo, session, receiver, sqlite_queue):
    receiver.mode = "slow"
    page = client.get("/v/hexi/report").get_data(as_text=True)
    token = page.split('name="form_token" value="')[1].split('"')[0]
    answer = client.post("/v/hexi/report", data={"category": "其他", "content": "村口的路灯坏了三个月。",
                                                 "anonymous": "1", "form_token": token})
    assert answer.status_code == 302 and receiver.requests == []  # only queued: the receiver is asked later
    receiver.mode = "ok"
    assert run_due() >= 1
    assert [b["kind"] for b in receiver.bodies] == ["new_case"]


@pytest.mark.parametrize("trouble", ["down", "slow", "bad_gateway"])
def test_a_receiver_down_or_slow_is_retried_with_back_off_then_listed(trouble, app, demo, session, receiver,
                                                                      sqlite_queue):
    from jobs.queue import huey

    receiver.mode = trouble if trouble != "bad_gateway" else "ok"
    receiver.answer = 502 if trouble == "bad_gateway" else 200
    make_report(demo.villages["hexi"])
    session.commit()
    now = huey._get_timestamp()
    assert run_due(now) == 1 and run_due(now + timedelta(seconds=20)) == 0  # the first retry waits 30 s
    tries = [run_due(now + timedelta(seconds=31))]
    for _ in range(4):  # four more retries, each further apart
        now += timedelta(minutes=20)
        tries.append(run_due(now))
    assert tries == [1, 1, 1, 1, 1]
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert failure.task == "citizen.triage.tasks.post_webhook" and failure.tries == 6
    assert "bot-key-Xy77" not in failure.error and "127.0.0.1" in failure.error


def test_a_receiver_refusing_the_request_is_listed_at_once(app, demo, session, receiver, sqlite_queue):
    receiver.answer = 404
    make_report(demo.villages["hexi"])
    session.commit()
    run_due()
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert failure.tries == 1 and "HTTP 404" in failure.error and len(receiver.requests) == 1


def test_remind_command(app, demo, people, session):
    report = make_report(demo.villages["hexi"])
    clock.freeze(report.due_at - timedelta(hours=2))
    try:
        result = app.test_cli_runner().invoke(args=["triage", "remind"])
    finally:
        clock.freeze(None)
    assert result.exit_code == 0 and "已提醒" in result.output
    assert "due_soon" in [n.kind for n in notices(session, people["committee"]) if n.report_id == report.id]
