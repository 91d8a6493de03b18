"""Fraud signals over made-up rows: they inform, they block nothing."""
from datetime import datetime, timedelta, timezone

from points.fraud import Row, bursts, drained, few_villagers

T0 = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)


def _rows(spec):
    """(shop, user, balance_after, minutes after T0) → rows."""
    return [Row(shop, user, 10, after, T0 + timedelta(minutes=m)) for shop, user, after, m in spec]


def test_shop_mostly_paid_by_two_villagers_is_flagged():
    rows = _rows([(1, 1, 5, i * 300) for i in range(6)] + [(1, 2, 5, i * 300) for i in range(3)] + [(1, 3, 5, 0)]
                 + [(2, u, 5, u * 300) for u in range(10)])
    flags = few_villagers(rows, min_count=10, top_n=2, share_pct=80)
    assert [(f.kind, f.shop_id) for f in flags] == [("few_villagers", 1)]
    assert flags[0].text == "本月10笔中有9笔来自2位村民"


def test_few_redemptions_are_not_enough_to_flag():
    assert few_villagers(_rows([(1, 1, 5, 0)] * 5), min_count=10, top_n=2, share_pct=80) == []


def test_villager_draining_balance_at_one_shop_repeatedly_is_flagged():
    rows = _rows([(1, 7, 0, d * 1440) for d in range(3)] + [(1, 8, 0, 0), (2, 8, 0, 0), (1, 8, 4, 1)])
    assert [(f.shop_id, f.user_id) for f in drained(rows, repeats=3)] == [(1, 7)]


def test_burst_of_redemptions_is_flagged_once_per_shop():
    rows = _rows([(1, u, 5, u) for u in range(6)] + [(2, u, 5, u * 30) for u in range(6)])
    flags = bursts(rows, count=5, minutes=10)
    assert [(f.kind, f.shop_id) for f in flags] == [("burst", 1)]
