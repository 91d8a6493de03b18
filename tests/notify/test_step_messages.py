"""Step messages by WeChat (fake server speaking WeChat's protocol) and SMS: one per step, no report text,
tokens cached and refreshed, refusals respected, outages retried and visible."""
import json

import pytest
import sqlalchemy as sa

from citizen.reports.models import Report
from jobs.models import FailedJob
from notify.models import OutboundMessage, WeChatSubscription
from notify.preferences import choose_channel
from notify.steps import deliver, queue_step_notice
from notify.subscriptions import subscribe
from tests.notify.conftest import WECHAT_SECRET, run_due

OPENID = "oWxTestOpenid0123456789abcde"


@pytest.fixture
def reporter(people, session):
    """The demo villager, logged in through WeChat."""
    person = people["villager"]
    person.wechat_openid = OPENID
    session.flush()
    return person


@pytest.fixture
def case(reporter, session):
    """A named report of the demo villager."""
    return session.execute(sa.select(Report).where(Report.user_id == reporter.id).order_by(Report.id)).scalars().first()


def _message(session, reporter, kind="accepted"):
    return session.execute(sa.select(OutboundMessage).filter_by(user_id=reporter.id, kind=kind)).scalar_one()


def test_a_subscribed_reporter_gets_exactly_one_message_naming_the_step_and_linking_the_case(
        app_ctx, session, wechat, reporter, case, demo):
    subscribe(reporter, ["accepted"])
    queue_step_notice(reporter, "accepted", case.id)
    queue_step_notice(reporter, "accepted", case.id)  # the same step again: still one message
    session.commit()
    assert len(wechat.messages) == 1
    sent = wechat.messages[0]
    assert sent["touser"] == OPENID and sent["template_id"] == "TPL-ACCEPTED"
    assert sent["page"] == f"http://testserver.local/me/reports/{case.id}"
    assert sent["data"]["phrase2"] == {"value": "已受理"} and sent["data"]["thing1"] == {"value": "您反映的问题"}
    text = json.dumps(sent, ensure_ascii=False)
    assert case.content[:8] not in text and reporter.name not in text and reporter.phone not in text
    assert not any(code in text for code in demo.tracking_codes.values())
    session.expire_all()
    assert _message(session, reporter).status == "sent"
    row = session.execute(sa.select(WeChatSubscription).filter_by(user_id=reporter.id)).scalar_one()
    assert (row.status, row.remaining) == ("used", 0)  # a one-time consent is spent


def test_the_access_token_is_fetched_once_and_shared(app_ctx, session, wechat, reporter, case):
    subscribe(reporter, ["accepted", "answered"])
    queue_step_notice(reporter, "accepted", case.id)
    queue_step_notice(reporter, "answered", case.id)
    session.commit()
    assert len(wechat.messages) == 2 and len(wechat.tokens) == 1
    assert sum(1 for r in wechat.requests if r["path"] == "/cgi-bin/token") == 1


def test_an_expired_token_is_refreshed_once_and_the_message_still_goes(app_ctx, session, wechat, reporter, case):
    subscribe(reporter, ["accepted", "answered"])
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()
    wechat.expire()  # WeChat answers 42001 to the token we cached
    queue_step_notice(reporter, "answered", case.id)
    session.commit()
    assert [m["template_id"] for m in wechat.messages] == ["TPL-ACCEPTED", "TPL-ANSWERED"]
    assert len(wechat.tokens) == 2


def test_a_refusal_revokes_the_subscription_and_is_never_retried(app_ctx, session, wechat, reporter, case):
    subscribe(reporter, ["accepted", "answered"])
    wechat.refusing.add(OPENID)
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()
    session.expire_all()
    assert _message(session, reporter).status == "refused"
    statuses = dict(session.execute(sa.select(WeChatSubscription.kind, WeChatSubscription.status)
                                    .filter_by(user_id=reporter.id)).all())
    assert statuses["accepted"] == "revoked" and statuses["answered"] == "active"
    assert session.scalar(sa.select(sa.func.count()).select_from(FailedJob)) == 0
    tries = sum(1 for r in wechat.requests if "bizsend" in r["path"])
    assert deliver(_message(session, reporter).id) == "nothing to send"  # a second run sends nothing
    assert sum(1 for r in wechat.requests if "bizsend" in r["path"]) == tries == 1


def test_without_a_subscription_nothing_is_sent(app_ctx, session, wechat, reporter, case):
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()
    session.expire_all()
    message = _message(session, reporter)
    assert (message.status, message.note) == ("skipped", "没有有效的微信订阅") and wechat.requests == []


def test_a_person_who_chose_nothing_gets_nothing(app_ctx, session, wechat, reporter, case):
    subscribe(reporter, ["accepted"])
    choose_channel(reporter, "none")
    assert queue_step_notice(reporter, "accepted", case.id) is None
    session.commit()
    assert wechat.requests == []


@pytest.mark.parametrize("trouble", ["down", "slow", "garbage", "busy"])
def test_wechat_down_slow_garbled_or_busy_is_retried_and_then_listed(trouble, app_ctx, session, wechat, reporter,
                                                                     case, sqlite_queue):
    from datetime import timedelta

    from jobs.queue import huey

    subscribe(reporter, ["accepted"])
    session.commit()
    wechat.mode = trouble if trouble != "busy" else "ok"
    wechat.script = [{"errcode": -1, "errmsg": "system error"}] * 10 if trouble == "busy" else []
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()  # the case's transaction is done; the message waits in the queue
    now = huey._get_timestamp()
    for _ in range(7):  # the first try and six retries
        run_due(now)
        now += timedelta(hours=1)
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert failure.task == "notify.tasks.deliver_step_message" and failure.tries == 7
    assert WECHAT_SECRET not in failure.error and "TOKEN-" not in failure.error
    session.expire_all()
    assert _message(session, reporter).status == "queued"  # retrying it from the list sends it
    wechat.mode, wechat.script = "ok", []
    run_due(now)  # nothing left in the queue
    assert wechat.messages == []


def test_a_wrong_secret_fails_visibly_without_showing_the_secret(app_ctx, session, wechat, reporter, case,
                                                                 monkeypatch):
    monkeypatch.setitem(app_ctx.config, "WECHAT_SECRET", "not-the-secret-Qq11")
    subscribe(reporter, ["accepted"])
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert "40001" in failure.error and "not-the-secret-Qq11" not in failure.error


def test_the_mini_program_api_sends_its_own_shape(app_ctx, session, wechat, reporter, case, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "WECHAT_MESSAGE_API", "subscribe_send")
    monkeypatch.setitem(app_ctx.config, "WECHAT_MINIPROGRAM_STATE", "trial")
    subscribe(reporter, ["accepted"])
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()
    sent = wechat.messages[0]
    assert sent["miniprogram_state"] == "trial" and sent["lang"] == "zh_CN"
    assert sent["page"].startswith("pages/web/index?url=http%3A%2F%2Ftestserver.local%2Fme%2Freports%2F")
    assert any(r["path"] == "/cgi-bin/message/subscribe/send" for r in wechat.requests)


def test_a_reporter_who_chose_sms_gets_the_step_and_link_by_text(app_ctx, session, reporter, case, aliyun):
    choose_channel(reporter, "sms")
    queue_step_notice(reporter, "accepted", case.id)
    session.commit()
    assert len(aliyun.sent) == 1
    sent = aliyun.sent[0]
    assert sent["phone"] == reporter.phone and sent["template"] == "SMS_100002"
    assert sent["params"] == {"step": "已受理", "link": f"http://testserver.local/me/reports/{case.id}"}
    session.expire_all()
    assert _message(session, reporter).status == "sent"
