"""Faults outside: WeChat or the SMS provider down, slow or answering garbage while a case moves. The case's
step is taken and answered at once, the message job retries with back-off, and the failure ends on township
staff's 后台任务 page without a secret, token, phone or openid in it."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from citizen.reports.models import Report
from jobs.models import FailedJob
from notify.models import OutboundMessage
from notify.preferences import choose_channel
from notify.subscriptions import subscribe
from tests.citizen.triage_factories import make_report
from tests.notify.conftest import ALIYUN, WECHAT_SECRET

OPENID = "oWxFaultsOpenid0123456789abc"


def _retry_until_listed(session, tries: int = 7) -> FailedJob:
    from jobs.queue import huey
    from tests.notify.conftest import run_due

    now = huey._get_timestamp()
    for _ in range(tries):
        run_due(now)
        now += timedelta(hours=1)
    return session.execute(sa.select(FailedJob)).scalar_one()


def _accept_at_the_desk(client, login_as, people, report) -> None:
    login_as(people["committee"])
    answer = client.post(f"/desk/{report.id}/act", data={"action": "accept"})
    assert answer.status_code in (302, 303)


@pytest.mark.parametrize("trouble", ["down", "slow", "garbage"])
def test_wechat_in_trouble_never_stops_the_step_and_the_failure_is_listed(
        trouble, client, login_as, session, wechat, people, hexi, sqlite_queue):
    reporter = people["villager"]
    reporter.wechat_openid = OPENID
    session.flush()
    subscribe(reporter, ["accepted"])
    report = make_report(hexi, anonymous=False, user=reporter)
    session.commit()
    wechat.mode = trouble
    _accept_at_the_desk(client, login_as, people, report)
    session.expire_all()
    assert session.get(Report, report.id).status == "accepted"  # the step is taken whatever WeChat does
    failure = _retry_until_listed(session)
    assert failure.task == "notify.tasks.deliver_step_message" and failure.tries == 7
    for secret in (WECHAT_SECRET, "TOKEN-", OPENID, reporter.phone):
        assert secret not in failure.error
    login_as(people["township"])
    page = client.get("/township/jobs").get_data(as_text=True)
    assert "进度通知（微信/短信）" in page and failure.error.split(":")[0] in page


def test_an_sms_provider_down_is_retried_then_listed_without_the_phone_or_key(
        client, login_as, session, people, hexi, aliyun, sqlite_queue):
    reporter = people["villager"]
    choose_channel(reporter, "sms")
    report = make_report(hexi, anonymous=False, user=reporter)
    session.commit()
    aliyun.mode = "down"
    _accept_at_the_desk(client, login_as, people, report)
    failure = _retry_until_listed(session)
    assert failure.task == "notify.tasks.deliver_step_message"
    for secret in (ALIYUN["SMS_ALIYUN_ACCESS_KEY_SECRET"], ALIYUN["SMS_ALIYUN_ACCESS_KEY_ID"], reporter.phone):
        assert secret not in failure.error
    session.expire_all()
    message = session.execute(sa.select(OutboundMessage).filter_by(user_id=reporter.id)).scalar_one()
    assert message.status == "queued"  # 重新执行 on the list sends it once the provider is back


def test_a_refused_subscription_is_not_retried_and_not_listed(client, login_as, session, wechat, people, hexi,
                                                              sqlite_queue):
    reporter = people["villager"]
    reporter.wechat_openid = OPENID
    session.flush()
    subscribe(reporter, ["accepted"])
    report = make_report(hexi, anonymous=False, user=reporter)
    session.commit()
    wechat.refusing.add(OPENID)
    _accept_at_the_desk(client, login_as, people, report)
    from tests.notify.conftest import run_due

    assert run_due() == 1
    from jobs.queue import huey

    assert run_due(huey._get_timestamp() + timedelta(hours=2)) == 0  # nothing scheduled for a retry
    assert sum(1 for r in wechat.requests if "bizsend" in r["path"]) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(FailedJob)) == 0
