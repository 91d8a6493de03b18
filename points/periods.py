"""Days and months as villagers and the township count them: in Asia/Shanghai, stored as UTC bounds."""
import re
from datetime import date, datetime, timedelta, timezone

import clock
from clock import SHANGHAI
from errors import Invalid

_MONTH = re.compile(r"^((?:19[7-9]|2[0-9]{2})[0-9])-(0[1-9]|1[0-2])$")  # 1970-01 … 2999-12, ASCII digits


def day_bounds(moment: datetime | None = None) -> tuple[datetime, datetime]:
    """The Shanghai calendar day around `moment` (default now) as [start, end) in UTC."""
    local = clock.local(moment or clock.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def today() -> date:
    """The Shanghai calendar day now."""
    return clock.local(clock.now()).date()


def day_start(day: date) -> datetime:
    """Midnight in Shanghai at the start of `day`, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(timezone.utc)


def month_of(moment: datetime | None = None) -> str:
    """The Shanghai month of `moment` (default now) as YYYY-MM."""
    return clock.local(moment or clock.now()).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """A YYYY-MM month as [start, end) in UTC; Invalid when the text is not a month."""
    match = _MONTH.match(str(month or ""))
    if not match:
        raise Invalid("月份格式不对，例如 2026-10。", fields={"month": ["请按 2026-10 的格式填写月份。"]})
    year, mon = int(match.group(1)), int(match.group(2))
    start = datetime(year, mon, 1, tzinfo=SHANGHAI)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=SHANGHAI)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def previous_month(month: str) -> str:
    """The month before a YYYY-MM month."""
    start, _ = month_bounds(month)
    return month_of(start - timedelta(days=1))
