"""The township overview: one row of figures and a health colour per village, and its spreadsheet."""
import io
from collections.abc import Callable


import clock
from accounts.models import Township
from accounts.places import villages_of
from citizen.reports import deadlines
from citizen.triage import queues
from citizen.triage.health import HEALTH_WORDS, Thresholds, health_colour
from disclosure.freshness import days_since_finance_by_village, stale_days

# Columns other areas add, each a function township_id -> {village_id: {column: value}} (points.hooks adds
# points_issued and points_redeemed), so the overview never imports them.
FigureSource = Callable[[int], dict[int, dict]]
_FIGURES: list[FigureSource] = []
EXTRA_COLUMNS = ("points_issued", "points_redeemed")
SORT_KEYS = ("name", "open", "overdue", "avg_answer_days", "satisfaction", "days_since_finance", "health")
HEALTH_RANK = {"red": 0, "yellow": 1, "green": 2}


def township_rows(township: Township, sort: str = "health", now=None) -> list[dict]:
    """Every village of the township with its figures and health colour, sorted."""
    now = now or clock.now()
    villages = villages_of(township.id)
    ids = [v.id for v in villages]
    figures = queues.village_figures(ids, now)
    finance_days = days_since_finance_by_village(ids, now)
    extra = _extra_figures(township.id)
    limits = Thresholds.from_settings(deadlines.settings_for(township.id), stale_days(township.id))
    rows = []
    for village in villages:
        fig = figures[village.id]
        finance = finance_days.get(village.id)
        colour = health_colour(fig["overdue"], fig["max_overdue_days"], finance, fig["satisfaction"], limits)
        rows.append({"slug": village.slug, "name": village.name, "open": fig["open"], "overdue": fig["overdue"],
                     "max_overdue_days": fig["max_overdue_days"], "avg_answer_days": fig["avg_answer_days"],
                     "satisfaction": fig["satisfaction"], "rated": fig["rated"], "days_since_finance": finance,
                     **{key: extra.get(village.id, {}).get(key, 0) for key in EXTRA_COLUMNS},
                     "health": colour, "health_word": HEALTH_WORDS[colour]})
    return sort_rows(rows, sort)


def add_figures(source: FigureSource) -> None:
    """Let another area add columns to every village's row (added once)."""
    if source not in _FIGURES:
        _FIGURES.append(source)


def _extra_figures(township_id: int) -> dict[int, dict]:
    """The added columns per village, from every source."""
    merged: dict[int, dict] = {}
    for source in _FIGURES:
        for village_id, columns in source(township_id).items():
            merged.setdefault(village_id, {}).update(columns)
    return merged


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    """Sort by a column; worst first for figures, unknown values last."""
    key = sort.lstrip("-") if sort else "health"
    if key not in SORT_KEYS:
        key = "health"
    if key == "name":
        return sorted(rows, key=lambda r: r["name"], reverse=sort.startswith("-"))
    if key == "health":
        return sorted(rows, key=lambda r: (HEALTH_RANK[r["health"]], -r["overdue"], r["name"]))
    low_is_bad = key == "satisfaction"
    known = [r for r in rows if r[key] is not None]
    unknown = [r for r in rows if r[key] is None]
    known.sort(key=lambda r: r[key], reverse=not low_is_bad)
    return known + unknown


def _safe_cell(value):
    """Stop spreadsheet formula injection in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def rows_xlsx(township: Township, rows: list[dict]) -> bytes:
    """The overview table as an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "各村总览"
    sheet.append(["村", "办理中", "超期", "平均答复天数(近90天)", "满意率(近一年)", "距上次财务公开(天)", "发放积分",
                  "兑换积分", "健康度"])
    for r in rows:
        sheet.append([_safe_cell(v) for v in (
            r["name"], r["open"], r["overdue"], r["avg_answer_days"],
            None if r["satisfaction"] is None else round(r["satisfaction"] * 100, 1),
            r["days_since_finance"], r["points_issued"], r["points_redeemed"], r["health_word"])])
    sheet.append([])
    sheet.append([f"{township.name} · 导出时间 {clock.local(clock.now()):%Y-%m-%d %H:%M}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
