"""Dates as clerks type them (2026-10-03, 2026/10/3, 2026年10月3日) or as Excel stores them."""
import re
import unicodedata
from datetime import date, datetime, timedelta

_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST = date(2000, 1, 1)


class DateError(ValueError):
    """A date that cannot be read; the message says what to fix, in Chinese."""


def parse_date(value, today: date | None = None) -> date:
    """Read a date from text, a datetime, or an Excel serial number; refuse the implausible."""
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell that lost its format arrives as Excel's day count.
        if not 36526 <= value <= 73051:  # 2000-01-01 .. 2099-12-31
            raise DateError(f"日期“{value}”看不懂，请写成 2026-10-03 这样。")
        result = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip()
        text = re.sub(r"\s+0{1,2}:0{1,2}(:0{1,2})?$", "", text)  # "2026-10-03 00:00:00" from some exports
        if not text:
            raise DateError("日期不能为空，请写成 2026-10-03 这样。")
        result = _from_text(text, value)
    if result < EARLIEST:
        raise DateError(f"日期“{value}”太早了，请检查年份。")
    if today and result > today + timedelta(days=31):
        raise DateError(f"日期“{value}”还没到，请检查年份和月份。")
    return result


def _from_text(text: str, original) -> date:
    """Match the accepted written forms."""
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise DateError(f"日期“{original}”不存在，请检查月份和日子。") from None
    raise DateError(f"日期“{original}”看不懂，请写成 2026-10-03、2026/10/3 或 2026年10月3日。")


def short_date(day: date) -> str:
    """A date the way a receipt shows it: 10月3日."""
    return f"{day.month}月{day.day}日"
