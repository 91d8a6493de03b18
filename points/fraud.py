"""Fraud signals over a month's redemptions. They inform township staff; they block nothing.

The rules are pure functions over plain rows so tests can feed them made-up data.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from extensions import db
from points.models import PointsSettings, Redemption, Shop
from points.periods import month_bounds


@dataclass(frozen=True)
class Row:
    """The facts of one redemption the rules look at."""

    shop_id: int
    user_id: int
    points: int
    balance_after: int
    at: datetime


@dataclass(frozen=True)
class Flag:
    """One signal: what kind, about whom, and a sentence for staff."""

    kind: str  # few_villagers | drained | burst
    shop_id: int
    user_id: int | None
    text: str


def few_villagers(rows: list[Row], min_count: int, top_n: int, share_pct: int) -> list[Flag]:
    """Shops whose month comes mostly from very few villagers."""
    flags = []
    by_shop: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        by_shop[row.shop_id][row.user_id] += 1
    for shop_id, counts in sorted(by_shop.items()):
        total = sum(counts.values())
        top = sum(n for _, n in counts.most_common(top_n))
        if total >= min_count and top * 100 >= share_pct * total:
            flags.append(Flag("few_villagers", shop_id, None,
                              f"本月{total}笔中有{top}笔来自{min(top_n, len(counts))}位村民"))
    return flags


def drained(rows: list[Row], repeats: int) -> list[Flag]:
    """Villagers who spend their whole balance at the same shop again and again."""
    counts = Counter((row.shop_id, row.user_id) for row in rows if row.balance_after == 0)
    return [Flag("drained", shop_id, user_id, f"本月{n}次把积分全部用在同一家店")
            for (shop_id, user_id), n in sorted(counts.items()) if n >= repeats]


def bursts(rows: list[Row], count: int, minutes: int) -> list[Flag]:
    """Shops receiving `count` or more redemptions within `minutes` minutes (one flag per shop)."""
    flags = []
    window = timedelta(minutes=minutes)
    by_shop: dict[int, list[datetime]] = defaultdict(list)
    for row in rows:
        by_shop[row.shop_id].append(row.at)
    for shop_id, times in sorted(by_shop.items()):
        times.sort()
        for i in range(len(times) - count + 1):
            if times[i + count - 1] - times[i] <= window:
                flags.append(Flag("burst", shop_id, None, f"{minutes}分钟内集中收到{count}笔以上兑换"))
                break
    return flags


def flags_for(settings: PointsSettings, month: str) -> list[Flag]:
    """Every signal for a township's month, from its unreversed redemptions."""
    start, end = month_bounds(month)
    result = db.session.execute(
        sa.select(Redemption.shop_id, Redemption.user_id, Redemption.points, Redemption.balance_after,
                  Redemption.created_at)
        .where(Redemption.township_id == settings.township_id, Redemption.reversal_transfer_id.is_(None),
               Redemption.created_at >= start, Redemption.created_at < end))
    rows = [Row(*r) for r in result]
    return (few_villagers(rows, settings.few_villagers_min_redemptions, settings.few_villagers_count,
                          settings.few_villagers_share_pct)
            + drained(rows, settings.drain_repeats)
            + bursts(rows, settings.burst_count, settings.burst_minutes))


def shop_names(flags: list[Flag]) -> dict[int, str]:
    """Names of the shops the flags mention."""
    ids = {f.shop_id for f in flags}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Shop.id, Shop.name).where(Shop.id.in_(ids))).all())


def villager_phones(flags: list[Flag]) -> dict[int, str]:
    """Last four digits of the phones of the villagers the flags mention, for staff to follow up."""
    from accounts.models import User

    ids = {f.user_id for f in flags if f.user_id}
    if not ids:
        return {}
    return {uid: phone[-4:] for uid, phone in db.session.execute(
        sa.select(User.id, User.phone).where(User.id.in_(ids))).all()}
