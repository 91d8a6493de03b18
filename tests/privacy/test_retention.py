"""Issue 11, item 20: each township sets how long closed cases, photos, login codes and counts are kept; the
daily purge removes what expired (rows and files) and nothing else, and the notice says the periods."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import clock
from accounts.models import OneTimeCode
from accounts.retention import save_policy
from citizen.codes.models import QrScanDay
from citizen.reports.lifecycle import reject_report
from citizen.reports.models import Report, ReportEvent, ReportPhoto
from disclosure.models import DailyViews
from privacy.retention import run_retention
from tests.citizen.conftest import jpeg_bytes

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)
    yield
    clock.freeze(None)


def _filed(app, village, *, days_ago: int, closed: bool, people, photo=True):
    """A report filed (and rejected, when `closed`) `days_ago` days before NOW, with one photo."""
    from citizen.reports.filing import submit_report
    from citizen.reports.photos import clean_photo
    from citizen.reports.tracking import issue_form_token
    from storage import Batch, commit_with

    with clock.at(NOW - timedelta(days=days_ago)), app.test_request_context():
        batch = Batch()
        values = {"category": "其他", "content": f"{days_ago}天前的反映：村口路灯坏了。", "anonymous": True,
                  "allow_public": False, "subject": None, "cadre_id": None}
        report = submit_report(village, values, [clean_photo(jpeg_bytes())] if photo else [], batch, None,
                               issue_form_token(None)).report
        if closed:
            reject_report(report, people["committee"], "不属于村监会受理范围。")
        commit_with(batch)
    return report


def _exists(session, report_id) -> bool:
    return session.get(Report, report_id) is not None


def test_the_purge_deletes_expired_cases_and_photos_and_nothing_else(app, session, hexi, people, demo):
    from storage import photo_store

    save_policy(hexi.township_id, {"closed_case_days": "365", "photo_days": "90", "code_days": "1",
                                   "counter_days": "30"})
    old_closed = _filed(app, hexi, days_ago=400, closed=True, people=people)
    mid_closed = _filed(app, hexi, days_ago=120, closed=True, people=people)
    old_open = _filed(app, hexi, days_ago=500, closed=False, people=people)
    fresh_closed = _filed(app, hexi, days_ago=10, closed=True, people=people)
    with app.app_context():
        old_files = [photo_store().path(p.storage_key) for p in old_closed.photos]
        mid_files = [photo_store().path(p.thumb_key) for p in mid_closed.photos]
    assert all(f.exists() for f in old_files + mid_files)
    old_id = old_closed.id

    with app.test_request_context():
        done = run_retention()

    session.expire_all()
    assert not _exists(session, old_id) and done.cases >= 1
    assert session.execute(sa.select(ReportEvent).filter_by(report_id=old_id)).first() is None
    assert not any(f.exists() for f in old_files)
    assert _exists(session, mid_closed.id) and session.get(Report, mid_closed.id).photos == []  # photos only
    assert not any(f.exists() for f in mid_files)
    assert _exists(session, old_open.id) and len(session.get(Report, old_open.id).photos) == 1  # open: untouched
    assert _exists(session, fresh_closed.id) and len(session.get(Report, fresh_closed.id).photos) == 1


def test_the_purge_drops_old_counts_and_login_codes(app, session, hexi, demo):
    save_policy(hexi.township_id, {"closed_case_days": "365", "photo_days": "90", "code_days": "1",
                                   "counter_days": "30"})
    from disclosure.models import Disclosure
    from citizen.codes.models import QrCode

    disclosure = session.execute(sa.select(Disclosure).where(Disclosure.village_id == hexi.id)).scalars().first()
    code = session.execute(sa.select(QrCode).where(QrCode.village_id == hexi.id)).scalars().first()
    today = clock.local(NOW).date()
    session.add_all([DailyViews(disclosure_id=disclosure.id, day=today - timedelta(days=40), count=3),
                     DailyViews(disclosure_id=disclosure.id, day=today - timedelta(days=5), count=2),
                     QrScanDay(code_id=code.id, day=today - timedelta(days=40), scans=4),
                     OneTimeCode(phone="13900000101", code_hash="x" * 64, expires_at=NOW - timedelta(days=3),
                                 created_at=NOW - timedelta(days=3)),
                     OneTimeCode(phone="13900000101", code_hash="y" * 64, expires_at=NOW + timedelta(minutes=5),
                                 created_at=NOW)])
    session.flush()
    with app.test_request_context():
        done = run_retention()
    days = set(session.execute(sa.select(DailyViews.day).where(DailyViews.disclosure_id == disclosure.id)).scalars())
    assert today - timedelta(days=40) not in days and today - timedelta(days=5) in days
    assert session.execute(sa.select(QrScanDay).where(QrScanDay.day < today - timedelta(days=30))).first() is None
    assert [c.code_hash[0] for c in session.execute(sa.select(OneTimeCode)).scalars()] == ["y"]
    assert done.counts >= 2 and done.codes >= 1


def test_township_staff_set_the_periods_and_bad_values_change_nothing(client, login_as, people, hexi, session):
    login_as(people["township"])
    page = client.get("/township/privacy")
    assert page.status_code == 200 and "已办结的反映" in page.get_data(as_text=True)
    bad = client.post("/township/privacy", data={"closed_case_days": "100", "photo_days": "200", "code_days": "1",
                                                 "counter_days": "365"})
    assert bad.status_code == 422 and "照片的保存天数不能比反映本身更长" in bad.get_data(as_text=True)
    assert client.post("/township/privacy", data={"closed_case_days": "abc", "photo_days": "30", "code_days": "1",
                                                  "counter_days": "365"}).status_code == 422
    from accounts.retention import policy_for

    assert policy_for(hexi.township_id).closed_case_days == 3 * 365  # nothing saved
    good = client.post("/township/privacy", data={"closed_case_days": "730", "photo_days": "180", "code_days": "2",
                                                  "counter_days": "365"})
    assert good.status_code == 302
    assert policy_for(hexi.township_id).closed_case_days == 730


@pytest.mark.parametrize("who", [None, "villager", "committee", "clerk", "inspector"])
def test_only_township_staff_see_the_settings(client, login_as, people, who):
    if who:
        login_as(people[who])
    status = client.get("/township/privacy").status_code
    assert status == (302 if who is None else 404)


def test_the_notice_names_the_townships_periods_and_every_form_links_to_it(client, hexi, demo):
    save_policy(hexi.township_id, {"closed_case_days": "730", "photo_days": "180", "code_days": "1",
                                   "counter_days": "365"})
    notice = client.get("/v/hexi/privacy").get_data(as_text=True)
    assert "730天（约2年）" in notice and "180天" in notice and "不保存您的账号" in notice
    form = client.get("/v/hexi/report").get_data(as_text=True)
    assert 'href="/v/hexi/privacy"' in form and 'href="/privacy"' in form
    assert 'href="/privacy"' in client.get("/login").get_data(as_text=True)
    assert client.get("/v/nowhere/privacy").status_code == 404


def test_the_worker_runs_the_purge_daily_at_ten_past_four_in_shanghai():
    from jobs.queue import huey
    import privacy.tasks  # noqa: F401  (registers the periodic task)

    due_at = {type(t).__name__ for t in huey.read_periodic(datetime(2026, 11, 20, 20, 10))}  # 04:10 Shanghai
    assert "purge_expired" in due_at
    assert "purge_expired" not in {type(t).__name__ for t in huey.read_periodic(datetime(2026, 11, 20, 4, 10))}


def test_the_purge_job_deletes_what_expired(app, session, hexi, people, demo):
    from privacy.tasks import purge_expired

    save_policy(hexi.township_id, {"closed_case_days": "365", "photo_days": "90", "code_days": "1",
                                   "counter_days": "30"})
    old = _filed(app, hexi, days_ago=400, closed=True, people=people, photo=False)
    old_id = old.id
    session.commit()
    purge_expired()
    session.expire_all()
    assert not _exists(session, old_id)
