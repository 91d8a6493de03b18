"""Disclosure periods: keys like 2026-10 (a month), 2026-Q3 (a quarter), 2026 (a year), and their labels."""
import re
import unicodedata

QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodError(ValueError):
    """A period that cannot be read; the message says what to write instead."""


def parse_period(text: str | None) -> str:
    """Normalise 2026-10 / 2026年10月 / 2026-Q3 / 2026年第三季度 / 2026年 to a key; '' when empty."""
    raw = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if not raw:
        return ""
    month = re.match(r"^(\d{4})(?:-|/|年|\.)(\d{1,2})月?$", raw)
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{month.group(1)}-{int(month.group(2)):02d}"
    quarter = re.match(r"^(\d{4})(?:-?Q|年第|年)([1-4一二三四])(?:季度)?$", raw, re.IGNORECASE)
    if quarter:
        return f"{quarter.group(1)}-Q{QUARTER_WORDS[quarter.group(2)]}"
    year = re.match(r"^(\d{4})年?(?:度)?$", raw)
    if year:
        return year.group(1)
    raise PeriodError(f"期间“{text}”看不懂，请写成 2026年10月、2026年第三季度 或 2026年。")


def period_label(key: str) -> str:
    """The Chinese label of a period key."""
    if not key:
        return ""
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return f"{year}年第{QUARTER_NAMES[int(quarter)]}季度"
    if "-" in key:
        year, month = key.split("-")
        return f"{year}年{int(month)}月"
    return f"{key}年"


def is_month(key: str) -> bool:
    """True for a month key such as 2026-10."""
    return bool(re.match(r"^\d{4}-\d{2}$", key or ""))


def previous_month(key: str) -> str:
    """The month before a month key."""
    year, month = (int(p) for p in key.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def same_month_last_year(key: str) -> str:
    """The same month one year earlier."""
    year, month = key.split("-")
    return f"{int(year) - 1}-{month}"
