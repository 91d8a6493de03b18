"""The village board: which disclosures a villager sees, how each is labelled, and the board's freshness line."""
import sqlalchemy as sa

import clock
from accounts.models import Village
from disclosure.freshness import days_since_finance, freshness_warning, last_finance_published_at
from disclosure.amounts import yuan
from disclosure.models import CATEGORIES, MODES, Disclosure, FinanceLine, Revision
from disclosure.periods import period_label
from disclosure.reach import total_views
from extensions import db

MODE_ORDER = {"regular": 0, "periodic": 1, "adhoc": 2}


def board_query(village: Village, category: str | None = None) -> sa.Select:
    """Published and withdrawn disclosures of a village, newest first (drafts never show)."""
    query = sa.select(Disclosure).where(Disclosure.village_id == village.id, Disclosure.status != "draft")
    if category:
        query = query.where(Disclosure.category == category)
    return query.order_by(Disclosure.period.desc(), Disclosure.published_at.desc(), Disclosure.id.desc())


def status_label(disclosure: Disclosure) -> str:
    """已公开 / 已更正（第2版） / 已撤回 / 草稿."""
    if disclosure.status == "withdrawn":
        return "已撤回"
    if disclosure.status == "draft":
        return "草稿"
    return f"已更正（第{disclosure.revision}版）" if disclosure.revision > 1 else "已公开"


def finance_sums(disclosure_ids: list[int]) -> dict[int, dict]:
    """Income, expense and line count of each disclosure's current revision, in one grouped query."""
    if not disclosure_ids:
        return {}
    rows = db.session.execute(
        sa.select(Disclosure.id, FinanceLine.direction, sa.func.sum(FinanceLine.amount_fen),
                  sa.func.count(FinanceLine.id))
        .join(Revision, sa.and_(Revision.disclosure_id == Disclosure.id, Revision.number == Disclosure.revision))
        .join(FinanceLine, FinanceLine.revision_id == Revision.id)
        .where(Disclosure.id.in_(disclosure_ids)).group_by(Disclosure.id, FinanceLine.direction))
    sums: dict[int, dict] = {}
    for disclosure_id, direction, amount, count in rows:
        entry = sums.setdefault(disclosure_id, {"income_fen": 0, "expense_fen": 0, "count": 0})
        entry[f"{direction}_fen"] = int(amount)
        entry["count"] += count
    return sums


def board_items(village: Village, category: str) -> list[dict]:
    """The rows of one category's list, ready to show (finance rows with their totals, like a receipt's foot)."""
    rows = db.session.execute(board_query(village, category)).scalars().all()
    views = total_views([d.id for d in rows])
    sums = finance_sums([d.id for d in rows]) if category == "finance" else {}
    items = [{"id": d.id, "title": d.title, "period": period_label(d.period), "mode": MODES[d.mode],
              "mode_key": d.mode, "status": status_label(d), "withdrawn": d.status == "withdrawn",
              "corrected": d.revision > 1 and d.status == "published",
              "published": clock.local(d.published_at).strftime("%Y-%m-%d"), "views": views.get(d.id, 0),
              "summary": _summary(sums.get(d.id))}
             for d in rows]
    items.sort(key=lambda i: (i["withdrawn"], MODE_ORDER[i["mode_key"]]))  # stable: keeps newest-first inside
    return items


def _summary(sums: dict | None) -> str:
    """收入¥… · 支出¥… · 46笔."""
    if not sums:
        return ""
    return f"收入{yuan(sums['income_fen'])} · 支出{yuan(sums['expense_fen'])} · {sums['count']}笔"


def category_tabs(current: str) -> list[dict]:
    """The three category tabs, finance first (what villagers ask about most)."""
    order = ("finance", "affairs", "party")
    return [{"key": key, "label": CATEGORIES[key] + "公开", "on": key == current} for key in order]


def freshness_line(village: Village) -> dict:
    """When finance was last published, in words, with the late warning if any."""
    last = last_finance_published_at(village)
    return {"last": clock.local(last).strftime("%Y年%-m月%-d日") if last else None,
            "days": days_since_finance(village), "warning": freshness_warning(village)}
