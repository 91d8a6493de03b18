"""领积分 by tracking code, page and API: the claim waits for the next daily batch and names no report."""
import secrets
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import clock
from citizen.reports.lifecycle import accept_report
from citizen.reports.filing import submit_report
from storage import Batch
from points import ledger
from points.claims import MEMO, pay_claims
from points.models import EarnRecord, PendingClaim, ReportClaim, Transfer

DAY = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
URL, API = "/me/points/claim", "/api/v1/me/points/claims"


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(DAY)
    yield
    clock.freeze(None)


def _filed(demo, *, accepted=True):
    """An anonymous report of 河西村 filed through the real form path; returns (report, tracking code)."""
    data = {"category": "其他", "content": "村口的垃圾两个星期没人清运了。", "anonymous": True,
            "allow_public": True, "subject": None, "cadre_id": None}
    submission = submit_report(demo.villages["hexi"], data, [], Batch(), None, secrets.token_urlsafe(16))
    if accepted:
        accept_report(submission.report, demo.users["13900000012"])
    return submission.report, submission.tracking_code


def _state(session):
    """Every count a refused claim must leave alone."""
    return tuple(session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
                 for model in (ReportClaim, PendingClaim, EarnRecord, Transfer))


def _assert_no_link(session, report):
    """The report stays anonymous and no points row names it."""
    session.refresh(report)
    assert report.anonymous and report.user_id is None
    tag = f"report:{report.id}"
    assert session.execute(sa.select(EarnRecord).where(EarnRecord.source.contains(tag))).first() is None
    assert session.execute(sa.select(Transfer).where(sa.or_(Transfer.memo.contains(tag),
                                                            Transfer.idempotency_key.contains(tag)))).first() is None


def test_points_page_links_to_the_claim_page(client, login_as, villager):
    login_as(villager)
    page = client.get("/me/points").get_data(as_text=True)
    assert "匿名反映被受理了？用查询码领积分" in page and f'href="{URL}"' in page


def test_page_claim_redirects_with_tomorrows_notice_and_names_no_report(client, login_as, villager, demo, session):
    report, code = _filed(demo)
    login_as(villager)
    form = client.get(URL).get_data(as_text=True)
    assert "查询码" in form and "领取" in form and 'name="csrf_token"' in form
    done = client.post(URL, data={"code": code.lower().replace("-", " ")})
    assert done.status_code == 303 and done.headers["Location"].endswith(URL)
    page = client.get(URL).get_data(as_text=True)
    assert "领取成功：10 积分已记下。为了不让人看出是哪件反映，本镇凑够3位村民领取后一起发放，最早11月11日到账。" in page
    assert code not in page and str(report.content) not in page
    assert "领取成功" not in client.get(URL).get_data(as_text=True)  # the notice shows once
    assert session.execute(sa.select(PendingClaim.points).filter_by(user_id=villager.id)).scalar_one() == 10
    assert ledger.balance_of(villager) == 0
    _assert_no_link(session, report)


def test_api_claim_answers_points_and_payday(client, token_for, villager, demo, session):
    report, code = _filed(demo)
    answer = client.post(API, json={"tracking_code": code}, headers=token_for(villager))
    assert answer.status_code == 201
    assert answer.get_json() == {"points": 10, "paid_with": "2026-11-11"}
    _assert_no_link(session, report)


def test_wrong_code_is_refused_and_changes_nothing(client, login_as, token_for, villager, demo, session):
    _filed(demo)
    before = _state(session)
    login_as(villager)
    page = client.post(URL, data={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert page.status_code == 404 and "查询码不对，请核对后重新输入" in page.get_data(as_text=True)
    assert 'value="AAAA-BBBB-CCCC-DDDD"' in page.get_data(as_text=True)
    answer = client.post(API, json={"tracking_code": "nonsense"}, headers=token_for(villager))
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "tracking_code_not_found"
    assert _state(session) == before


def test_empty_code_in_the_api_is_a_422(client, token_for, villager):
    answer = client.post(API, json={"tracking_code": ""}, headers=token_for(villager))
    assert answer.status_code == 422 and "tracking_code" in answer.get_json()["error"]["fields"]


def test_a_report_not_yet_accepted_is_a_409(client, login_as, token_for, villager, demo, session):
    _, code = _filed(demo, accepted=False)
    before = _state(session)
    login_as(villager)
    page = client.post(URL, data={"code": code})
    assert page.status_code == 409 and "这个举报还没有被受理，受理后才能领取积分。" in page.get_data(as_text=True)
    answer = client.post(API, json={"tracking_code": code}, headers=token_for(villager))
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "not_accepted"
    assert _state(session) == before


def test_a_second_claim_is_refused(client, login_as, token_for, villager, other_villager, demo, session):
    _, code = _filed(demo)
    login_as(villager)
    assert client.post(URL, data={"code": code}).status_code == 303
    before = _state(session)
    again = client.post(URL, data={"code": code})
    assert again.status_code == 409 and "这个举报的积分已经领取过了。" in again.get_data(as_text=True)
    answer = client.post(API, json={"tracking_code": code}, headers=token_for(other_villager))
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "already_claimed"
    assert _state(session) == before
    assert session.execute(sa.select(PendingClaim.points).filter_by(user_id=villager.id)).scalar_one() == 10


def test_not_logged_in_goes_to_login_or_401(client, demo):
    _, code = _filed(demo)
    page = client.get(URL)
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert client.post(URL, data={"code": code}).status_code == 302
    assert client.post(API, json={"tracking_code": code}).status_code == 401


def test_wrong_codes_are_throttled_like_the_track_page(client, login_as, villager, demo):
    login_as(villager)
    statuses = [client.post(URL, data={"code": f"AAAA-BBBB-CCCC-{n:04d}"}).status_code for n in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429


def test_a_claim_is_paid_by_a_later_batch_once_enough_villagers_claimed(client, token_for, villager, demo, session,
                                                                         monkeypatch):
    monkeypatch.setitem(client.application.config, "CLAIM_MIN_CLAIMERS", 1)  # this test is about the page path
    report, code = _filed(demo)
    assert client.post(API, json={"tracking_code": code}, headers=token_for(villager)).status_code == 201
    assert pay_claims() == 0 and ledger.balance_of(villager) == 0
    clock.freeze(DAY + timedelta(days=1))
    assert pay_claims() == 1
    assert ledger.balance_of(villager) == 10
    memos = session.execute(sa.select(Transfer.memo).join(EarnRecord, EarnRecord.transfer_id == Transfer.id)
                            .where(EarnRecord.user_id == villager.id)).scalars().all()
    assert memos == [MEMO]
    _assert_no_link(session, report)
