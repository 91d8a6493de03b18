"""A finance disclosure read like a shop receipt: line sentences, totals, categories, a bar chart, comparisons."""
from collections import defaultdict
from typing import NamedTuple

import sqlalchemy as sa

from disclosure.amounts import yuan
from disclosure.dates import short_date
from disclosure.models import DIRECTIONS, Disclosure, FinanceLine, Revision
from disclosure.periods import is_month, period_label, previous_month, same_month_last_year
from extensions import db

CHART_WIDTH = 320
ROW_HEIGHT = 44


class ReceiptLine(NamedTuple):
    """One line ready to show (a tuple: templates read its fields without dictionary look-up misses)."""

    id: int
    date: str
    iso_date: str
    text: str
    direction: str
    direction_label: str
    amount: str
    category: str
    counterparty: str
    voucher: str
    more: str


def lines_of(revision: Revision) -> list[FinanceLine]:
    """A revision's lines in order, as model rows, in one query."""
    return list(db.session.execute(sa.select(FinanceLine).where(FinanceLine.revision_id == revision.id)
                                   .order_by(FinanceLine.position)).scalars())


def line_rows(revision: Revision) -> list:
    """A revision's lines as plain rows (no model objects, and a Core select past the ORM's row loading:
    a 2,000-line page loads in a few milliseconds)."""
    table = FinanceLine.__table__
    return db.session.connection().execute(sa.select(
        table.c.id, table.c.date, table.c.direction, table.c.amount_fen, table.c.category, table.c.text,
        table.c.counterparty, table.c.voucher)
        .where(table.c.revision_id == revision.id).order_by(table.c.position)).all()


def receipt_lines(lines) -> list[ReceiptLine]:
    """Each line ready to show: 10月3日 · 购入档案柜1套 · 支出 ¥1,040.00 · 办公费 · 对方 · 凭证号."""
    shown = []
    days: dict = {}  # a month has at most 31 distinct dates: format each once
    for line in lines:
        day = days.get(line.date)
        if day is None:
            day = days[line.date] = (short_date(line.date), line.date.isoformat())
        more = line.category + (f" · {line.counterparty}" if line.counterparty else "") + (
            f" · 凭证{line.voucher}" if line.voucher else "")
        shown.append(ReceiptLine(line.id, day[0], day[1], line.text, line.direction, DIRECTIONS[line.direction],
                                 yuan(line.amount_fen), line.category, line.counterparty, line.voucher, more))
    return shown


def sums_of(revision: Revision) -> dict:
    """The same sums as totals(), computed by the database in one grouped query."""
    total = sa.func.sum(FinanceLine.amount_fen)
    rows = db.session.execute(sa.select(FinanceLine.category, FinanceLine.direction, total)
                              .where(FinanceLine.revision_id == revision.id)
                              .group_by(FinanceLine.category, FinanceLine.direction))
    result = {"income_fen": 0, "expense_fen": 0, "by_category": {}}
    for category, direction, amount in rows:
        entry = result["by_category"].setdefault(category, {"income_fen": 0, "expense_fen": 0})
        entry[f"{direction}_fen"] = int(amount)
        result[f"{direction}_fen"] += int(amount)
    return result


def totals(lines) -> dict:
    """Income, expense and per-category sums in fen."""
    income = expense = 0
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: {"income_fen": 0, "expense_fen": 0})
    for line in lines:
        key = "income_fen" if line.direction == "income" else "expense_fen"
        by_category[line.category][key] += line.amount_fen
        if line.direction == "income":
            income += line.amount_fen
        else:
            expense += line.amount_fen
    return {"income_fen": income, "expense_fen": expense, "by_category": dict(by_category)}


def chart(by_category: dict, direction: str) -> dict | None:
    """Bars of one direction by category, largest first, as numbers an inline SVG draws."""
    key = f"{direction}_fen"
    rows = sorted(((name, sums[key]) for name, sums in by_category.items() if sums[key]), key=lambda r: -r[1])
    if not rows:
        return None
    whole = sum(amount for _, amount in rows)
    biggest = rows[0][1]
    bars = []
    for index, (name, amount) in enumerate(rows):
        share = round(amount * 100 / whole)
        bars.append({"label": f"{name} {yuan(amount)}（{share}%）", "y": index * ROW_HEIGHT,
                     "width": max(2, round(CHART_WIDTH * amount / biggest))})
    return {"title": f"{DIRECTIONS[direction]}按类别", "bars": bars, "width": CHART_WIDTH,
            "height": len(bars) * ROW_HEIGHT, "direction": direction}


def period_totals(village_id: int, periods: list[str]) -> dict[str, dict]:
    """Income and expense of the village's published finance disclosures for some periods, in one query."""
    if not periods:
        return {}
    rows = db.session.execute(
        sa.select(Disclosure.period, FinanceLine.direction, sa.func.sum(FinanceLine.amount_fen),
                  sa.func.min(Disclosure.id))
        .join(Revision, sa.and_(Revision.disclosure_id == Disclosure.id, Revision.number == Disclosure.revision))
        .join(FinanceLine, FinanceLine.revision_id == Revision.id)
        .where(Disclosure.village_id == village_id, Disclosure.category == "finance",
               Disclosure.status == "published", Disclosure.period.in_(periods))
        .group_by(Disclosure.period, FinanceLine.direction))
    result: dict[str, dict] = {}
    for period, direction, amount, disclosure_id in rows:
        entry = result.setdefault(period, {"income_fen": 0, "expense_fen": 0, "id": disclosure_id})
        entry[f"{direction}_fen"] = int(amount)
    return result


def _difference(now: int, then: int) -> str:
    """多¥… / 少¥… / 持平."""
    if now == then:
        return "持平"
    return f"{'多' if now > then else '少'}{yuan(abs(now - then))}"


def comparisons(disclosure: Disclosure, sums: dict) -> list[dict]:
    """This month against the previous month and the same month last year, where those exist."""
    if not is_month(disclosure.period):
        return []
    wanted = {"上月": previous_month(disclosure.period), "去年同月": same_month_last_year(disclosure.period)}
    found = period_totals(disclosure.village_id, list(wanted.values()))
    result = []
    for name, period in wanted.items():
        other = found.get(period)
        if other is None:
            continue
        result.append({"name": name, "period": period_label(period), "id": other["id"],
                       "expense": yuan(other["expense_fen"]), "income": yuan(other["income_fen"]),
                       "expense_diff": _difference(sums["expense_fen"], other["expense_fen"]),
                       "income_diff": _difference(sums["income_fen"], other["income_fen"])})
    return result


def finance_view(disclosure: Disclosure, revision: Revision) -> dict:
    """Everything the finance receipt page shows, computed from one query of lines (plus one for comparisons)."""
    lines = line_rows(revision)
    sums = sums_of(revision)
    categories = sorted(sums["by_category"].items(), key=lambda kv: -(kv[1]["expense_fen"] + kv[1]["income_fen"]))
    return {
        "rows": lines, "count": len(lines),
        "income": yuan(sums["income_fen"]), "expense": yuan(sums["expense_fen"]),
        "balance": yuan(sums["income_fen"] - sums["expense_fen"]),
        "categories": [{"name": n, "income": yuan(s["income_fen"]) if s["income_fen"] else "",
                        "expense": yuan(s["expense_fen"]) if s["expense_fen"] else ""} for n, s in categories],
        "charts": [c for c in (chart(sums["by_category"], "expense"), chart(sums["by_category"], "income")) if c],
        "comparisons": comparisons(disclosure, sums), "sums": sums,
    }
