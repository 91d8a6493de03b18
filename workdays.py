"""Working days (工作日) by China's official holiday and make-up-day calendar, from chinese-calendar.

Discipline-inspection rules count deadlines in working days: weekends and the State Council's public
holidays do not count, and the weekend days that are worked instead (调休上班) do. The library knows
each year only once that year's arrangement is published and a release carries it, so every date
is checked against the years it knows: an unknown year raises UnknownHolidayYear (or, when the
caller allows it, falls back to calendar days with a warning), never a silent guess. Keep the
`chinese-calendar` pin current: a new release follows each year's announcement in November.
"""
import logging
import warnings
from datetime import date, datetime, timedelta

import chinese_calendar
from chinese_calendar import constants

import clock

log = logging.getLogger(__name__)
MODES = ("calendar", "working")
MODE_NAMES = {"calendar": "自然日", "working": "工作日"}


class UnknownHolidayYear(ValueError):
    """The holiday calendar has no data for the year a date falls in."""

    def __init__(self, year: int):
        first, last = known_years()
        super().__init__(f"{year}年的法定节假日安排尚未收录（当前日历收录 {first}–{last} 年），"
                         f"请升级 chinese-calendar，或暂按自然日计算期限。")
        self.year = year


class UnknownHolidayYearWarning(UserWarning):
    """A working-day deadline fell back to calendar days because its year is not known yet."""


def known_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows."""
    years = {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    return min(years), max(years)


def is_working_day(day: date) -> bool:
    """Is `day` a working day: a weekday that is no public holiday, or a make-up working weekend day?"""
    first, last = known_years()
    if not first <= day.year <= last:
        raise UnknownHolidayYear(day.year)
    return chinese_calendar.is_workday(day)


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start` (the start day itself is not counted); n=0 gives `start`."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def due_after(start: datetime, days: int, mode: str, fallback_to_calendar: bool = False) -> datetime:
    """When something started at `start` is due `days` later, counted in calendar or working days.

    Working days are counted on the Shanghai calendar and keep the start's time of day. A due date
    in a year the calendar does not know raises UnknownHolidayYear, or with `fallback_to_calendar`
    is counted in calendar days with a logged UnknownHolidayYearWarning.
    """
    if mode not in MODES:
        raise ValueError(f"unknown deadline mode {mode!r}; expected one of {MODES}")
    if mode == "calendar":
        return start + timedelta(days=days)
    local = clock.local(start)
    try:
        day = add_working_days(local.date(), days)
    except UnknownHolidayYear as exc:
        if not fallback_to_calendar:
            raise
        warnings.warn(str(exc), UnknownHolidayYearWarning, stacklevel=2)
        log.warning("working-day deadline counted in calendar days: %s", exc)
        return start + timedelta(days=days)
    return datetime.combine(day, local.timetz()).astimezone(start.tzinfo)
