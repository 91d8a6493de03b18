"""Working-day deadlines across the Spring Festival and National Day weeks, and years the calendar does not know."""
from datetime import date, datetime, timedelta, timezone

import pytest

import clock
from workdays import (UnknownHolidayYear, UnknownHolidayYearWarning, add_working_days, due_after, is_working_day,
                      known_years)


def _shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=clock.SHANGHAI).astimezone(timezone.utc)


@pytest.mark.parametrize("day, working", [
    (date(2025, 1, 26), True),   # Sunday worked before the 2025 Spring Festival (调休上班)
    (date(2025, 1, 28), False),  # 除夕, first day off
    (date(2025, 2, 4), False),   # last day off
    (date(2025, 2, 8), True),    # Saturday worked after it
    (date(2025, 9, 28), True),   # Sunday worked before National Day 2025
    (date(2025, 10, 8), False),  # the eighth day off (National Day with Mid-Autumn)
    (date(2025, 10, 11), True),  # Saturday worked after it
    (date(2026, 2, 14), True), (date(2026, 2, 23), False), (date(2026, 2, 28), True),  # Spring Festival 2026
    (date(2026, 9, 20), True), (date(2026, 10, 7), False), (date(2026, 10, 10), True),  # National Day 2026
    (date(2025, 3, 3), True), (date(2025, 3, 1), False),  # an ordinary Monday and Saturday
])
def test_the_official_calendar_decides_what_is_a_working_day(day, working):
    assert is_working_day(day) is working


def test_three_working_days_from_the_eve_of_spring_festival_2025_end_after_the_holiday():
    # Mon 27 Jan 2025 is the last day before 28 Jan–4 Feb off; then Wed 5, Thu 6, Fri 7 Feb.
    assert add_working_days(date(2025, 1, 27), 3) == date(2025, 2, 7)
    # the make-up Saturday 8 Feb counts: five working days end on it
    assert add_working_days(date(2025, 1, 27), 4) == date(2025, 2, 8)


def test_fifteen_working_days_across_national_day_2026():
    # 28 Sep 2026 (Mon) + 15 working days: 29, 30 Sep; 8, 9, 10 (make-up Sat), 12–16, 19–23 Oct
    assert add_working_days(date(2026, 9, 28), 15) == date(2026, 10, 23)


def test_zero_working_days_is_the_start_and_negative_is_refused():
    assert add_working_days(date(2025, 2, 1), 0) == date(2025, 2, 1)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 2, 1), -1)


def test_due_after_in_working_days_keeps_the_time_of_day_in_shanghai():
    accepted = _shanghai(2025, 1, 27, 16, 30)
    assert due_after(accepted, 3, "working") == _shanghai(2025, 2, 7, 16, 30)
    assert due_after(accepted, 3, "calendar") == accepted + timedelta(days=3)


def test_a_working_day_count_uses_the_shanghai_date_not_utc():
    # 00:30 on Mon 3 Mar 2025 in Shanghai is still Sunday 2 Mar in UTC
    started = _shanghai(2025, 3, 3, 0, 30)
    assert due_after(started, 1, "working") == _shanghai(2025, 3, 4, 0, 30)


def test_a_year_the_calendar_does_not_know_is_refused_clearly():
    last = known_years()[1]
    with pytest.raises(UnknownHolidayYear) as refused:
        is_working_day(date(last + 1, 1, 5))
    assert f"{last + 1}年的法定节假日安排尚未收录" in str(refused.value) and "chinese-calendar" in str(refused.value)
    with pytest.raises(UnknownHolidayYear):
        due_after(_shanghai(last, 12, 20, 9, 0), 15, "working")  # crosses into the unknown year


def test_a_caller_may_fall_back_to_calendar_days_with_a_warning():
    last = known_years()[1]
    start = _shanghai(last, 12, 20, 9, 0)
    with pytest.warns(UnknownHolidayYearWarning):
        assert due_after(start, 15, "working", fallback_to_calendar=True) == start + timedelta(days=15)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        due_after(_shanghai(2025, 3, 3, 9, 0), 3, "lunar")
