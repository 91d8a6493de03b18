"""Deadlines of a case and the red / yellow / green colour derived from them at read time."""
import warnings
from datetime import datetime, timedelta

import sqlalchemy as sa

import clock
import workdays
from citizen.reports.models import Report
from citizen.reports.models import TriageSettings
from extensions import column_defaults, db

OPEN_STATUSES = ("submitted", "accepted")  # the statuses that run against a deadline
YELLOW_WINDOW = timedelta(hours=48)
COLOUR_WORDS = {"red": "超期", "yellow": "临期", "green": "正常"}


def settings_for(township_id: int) -> TriageSettings:
    """The township's settings, or an unsaved row holding the column defaults (reading never writes)."""
    row = db.session.get(TriageSettings, township_id)
    return row if row is not None else TriageSettings(township_id=township_id, **column_defaults(TriageSettings))


def acceptance_due(village, at: datetime | None = None) -> datetime:
    """When a case submitted (or sent up) at `at` must be accepted: 3 days by default, in the township's mode."""
    settings = settings_for(village.township_id)
    return _due(at or clock.now(), settings.accept_days, settings.deadline_mode)


def answer_due(village, at: datetime | None = None) -> datetime:
    """When a case accepted at `at` must be answered: 15 days by default, in the township's mode."""
    settings = settings_for(village.township_id)
    return _due(at or clock.now(), settings.answer_days, settings.deadline_mode)


def _due(start: datetime, days: int, mode: str) -> datetime:
    """Calendar or working days; a working-day deadline in a year the holiday calendar lacks is counted in
    calendar days, with a logged warning (workdays.due_after), never left unset."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.UnknownHolidayYearWarning)  # logged by due_after already
        return workdays.due_after(start, days, mode or "calendar", fallback_to_calendar=True)


def unknown_year_warning(township_id: int, now: datetime | None = None) -> str | None:
    """For the settings page: the warning to show when working-day deadlines may reach a year the calendar lacks."""
    settings = settings_for(township_id)
    if settings.deadline_mode != "working":
        return None
    latest = clock.local((now or clock.now()) + timedelta(days=2 * max(settings.accept_days, settings.answer_days)))
    first, last = workdays.known_years()
    if latest.year <= last:
        return None
    return (f"节假日日历只收录到{last}年：落在{last + 1}年的期限暂按自然日计算。"
            f"请管理员升级 chinese-calendar（每年11月国务院公布次年安排后发布新版）。")


def colour(status: str, due_at: datetime | None, now: datetime | None = None) -> str | None:
    """red past due, yellow within 48 hours, green otherwise; None for answered, closed and rejected cases."""
    if status not in OPEN_STATUSES or due_at is None:
        return None
    now = now or clock.now()
    if now > due_at:
        return "red"
    if due_at - now <= YELLOW_WINDOW:
        return "yellow"
    return "green"


def report_colour(report: Report, now: datetime | None = None) -> str | None:
    """The colour of one case."""
    return colour(report.status, report.due_at, now)


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    """An open case past its deadline."""
    return report_colour(report, now) == "red"


def colour_clause(name: str, now: datetime | None = None):
    """The SQL condition matching one colour, the same boundaries as colour()."""
    now = now or clock.now()
    is_open = Report.status.in_(OPEN_STATUSES)
    if name == "red":
        return sa.and_(is_open, Report.due_at < now)
    if name == "yellow":
        return sa.and_(is_open, Report.due_at >= now, Report.due_at <= now + YELLOW_WINDOW)
    if name == "green":
        return sa.and_(is_open, Report.due_at > now + YELLOW_WINDOW)
    raise ValueError(name)


def urgency_order(now: datetime | None = None):
    """ORDER BY terms: red, then yellow, then the rest; newest first within each."""
    now = now or clock.now()
    rank = sa.case(
        (colour_clause("red", now), 0),
        (colour_clause("yellow", now), 1),
        (Report.status.in_(OPEN_STATUSES), 2),
        else_=3,
    )
    return (rank, Report.created_at.desc(), Report.id.desc())


SETTING_LIMITS = {
    "accept_days": ("受理期限（天）", 1, 30), "answer_days": ("答复期限（天）", 1, 90),
    "red_overdue_days": ("超期多少天算红色", 1, 90), "red_disclosure_days": ("财务公开超过多少天算红色", 1, 365),
    "red_satisfaction_pct": ("满意率低于多少算红色（%）", 0, 100),
    "yellow_satisfaction_pct": ("满意率低于多少算黄色（%）", 0, 100),
}


def save_settings(township_id: int, values: dict, finance_stale_days: int) -> TriageSettings:
    """Check and store a township's deadlines and thresholds; nothing changes if one value is wrong.

    Red for an old finance disclosure may not start before it counts as late (`finance_stale_days`)."""
    parsed, fields = {}, {}
    for key, (label, low, high) in SETTING_LIMITS.items():
        try:
            number = int(str(values.get(key, "")).strip())
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            fields[key] = [f"{label}请填{low}到{high}之间的整数。"]
        parsed[key] = number
    if not fields and finance_stale_days > parsed["red_disclosure_days"]:
        fields["red_disclosure_days"] = ["红色的天数不能小于算作不及时（黄色）的天数。"]
    if not fields and parsed["yellow_satisfaction_pct"] < parsed["red_satisfaction_pct"]:
        fields["yellow_satisfaction_pct"] = ["黄色的满意率不能低于红色的满意率。"]
    mode = values.get("deadline_mode") or None  # not sent: the township's mode stays as it was
    if mode is not None and mode not in workdays.MODES:
        fields["deadline_mode"] = ["期限请选择按自然日或按工作日计算。"]
    if fields:
        from errors import Invalid

        raise Invalid("有几项填得不对，请按提示修改。", fields=fields)
    row = db.session.get(TriageSettings, township_id)
    if row is None:
        row = TriageSettings(township_id=township_id)
        db.session.add(row)
    for key, number in parsed.items():
        setattr(row, key, number)
    row.deadline_mode = mode or row.deadline_mode or "calendar"
    db.session.flush()
    return row
