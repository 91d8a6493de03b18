"""Each township counts deadlines in calendar or working days (期限与预警设置); a working-day deadline in a year the
holiday calendar does not know falls back to calendar days, with a warning logged and shown."""
import logging
from datetime import datetime, timedelta, timezone

import pytest

import clock
import workdays
from citizen.reports import deadlines, lifecycle
from tests.citizen.triage_factories import client_for, make_report

FORM = {"accept_days": "3", "answer_days": "15", "red_overdue_days": "7", "red_disclosure_days": "60",
        "finance_stale_days": "30", "red_satisfaction_pct": "60", "yellow_satisfaction_pct": "80"}


def _shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=clock.SHANGHAI).astimezone(timezone.utc)


@pytest.fixture
def working_days(app, demo, people, session):
    """The demo township switched to working days through its settings page."""
    answer = client_for(app, people["township"]).post("/township/settings", data=dict(FORM, deadline_mode="working"))
    assert answer.status_code == 302
    session.expire_all()
    return demo.township


def test_calendar_days_stay_the_default(demo, hexi):
    assert deadlines.settings_for(demo.township.id).deadline_mode == "calendar"
    friday = _shanghai(2026, 9, 25, 16, 0)
    assert deadlines.acceptance_due(hexi, friday) == friday + timedelta(days=3)


def test_working_days_skip_the_weekend_and_national_day(working_days, hexi, people):
    assert deadlines.acceptance_due(hexi, _shanghai(2026, 9, 25, 16, 0)) == _shanghai(2026, 9, 30, 16, 0)
    # accepted on Mon 28 Sep 2026: the Golden Week does not count, the make-up Saturday 10 Oct does
    assert deadlines.answer_due(hexi, _shanghai(2026, 9, 28, 9, 0)) == _shanghai(2026, 10, 23, 9, 0)
    with clock.at(_shanghai(2026, 9, 28, 9, 0)):
        report = make_report(hexi)
        lifecycle.accept_report(report, people["committee"])
    assert report.due_at == _shanghai(2026, 10, 23, 9, 0)


def test_a_due_date_in_an_unknown_year_counts_calendar_days_and_says_so(app, working_days, hexi, people, caplog,
                                                                          monkeypatch):
    # Alembic's fileConfig (a migration test run earlier) disables loggers that existed before it: undo that here.
    monkeypatch.setattr(logging.getLogger("workdays"), "disabled", False)
    last = workdays.known_years()[1]
    start = _shanghai(last, 12, 28, 10, 0)
    with caplog.at_level(logging.WARNING, logger="workdays"):
        due = deadlines.answer_due(hexi, start)
    assert due == start + timedelta(days=15)
    assert f"{last + 1}年的法定节假日安排尚未收录" in caplog.text
    clock.freeze(start)
    try:
        page = client_for(app, people["township"]).get("/township/settings").get_data(as_text=True)
    finally:
        clock.freeze(None)
    assert 'id="calendar-warning"' in page and f"节假日日历只收录到{last}年" in page


def test_the_warning_is_not_shown_for_calendar_days_or_known_years(app, demo, people, working_days):
    last = workdays.known_years()[1]
    assert deadlines.unknown_year_warning(demo.township.id, _shanghai(last, 3, 1, 10, 0)) is None
    assert deadlines.unknown_year_warning(demo.township.id, _shanghai(last, 12, 28, 10, 0))
    client_for(app, people["township"]).post("/township/settings", data=dict(FORM, deadline_mode="calendar"))
    assert deadlines.unknown_year_warning(demo.township.id, _shanghai(last, 12, 28, 10, 0)) is None


def test_an_unknown_mode_is_refused_and_changes_nothing(app, demo, people, session, working_days):
    staff = client_for(app, people["township"])
    bad = staff.post("/township/settings", data=dict(FORM, deadline_mode="lunar", answer_days="20"))
    assert bad.status_code == 422 and "期限请选择按自然日或按工作日计算" in bad.get_data(as_text=True)
    session.expire_all()
    settings = deadlines.settings_for(demo.township.id)
    assert (settings.deadline_mode, settings.answer_days) == ("working", 15)


def test_a_form_without_the_mode_keeps_the_townships_choice(app, demo, people, session, working_days):
    assert client_for(app, people["township"]).post("/township/settings", data=FORM).status_code == 302
    session.expire_all()
    assert deadlines.settings_for(demo.township.id).deadline_mode == "working"
