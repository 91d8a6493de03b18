"""The ledger part of bench/generate.py: shops, accounts, earns, redemptions and monthly settlements in bulk.

Events run in time order with every balance tracked, so the bulk rows obey the ledger's rules: each
transfer sums to zero under a unique key, no balance goes below zero, kept balances equal the entries,
and each village's kept totals (points.tally) equal its earns and unreversed redemptions.
"""
import random
from datetime import timedelta

import clock

MONTHS = 24


def ledger(load, entries: int, home: dict, owner: dict, t_ids: list[int], v_ids: list[int],
           rng: random.Random) -> dict:
    """Shops, accounts and about `entries` ledger entries over MONTHS months, settled month by month.

    Events run in time order with every balance tracked, so no villager ever spends points not yet
    earned; each transfer has two entries summing to zero and a unique key, like ledger.transfer makes.
    """
    from points.models import Account, EarnRecord, Entry, Redemption, Settlement, Shop, Transfer, VillagePoints
    now = clock.now()
    start = now - timedelta(days=30 * MONTHS)
    shop_ids = list(load.ids(Shop.__table__, 2 * len(v_ids)))
    shop_village = {s: v_ids[i // 2] for i, s in enumerate(shop_ids)}
    load.insert(Shop.__table__, [{"id": s, "code": f"B{i:05d}", "village_id": shop_village[s], "name": f"合作小店{i}",
                                  "address": "", "contact": "", "active": True, "created_at": start}
                                 for i, s in enumerate(shop_ids)])
    villagers = list(home)
    accounts = {}
    rows = []
    for kind, owners in (("villager", villagers), ("shop", shop_ids), ("issued", t_ids), ("settled", t_ids)):
        ids = load.ids(Account.__table__, len(owners))
        for account_id, who in zip(ids, owners):
            accounts[(kind, who)] = account_id
            rows.append({"id": account_id, "kind": kind, "user_id": who if kind == "villager" else None,
                         "shop_id": who if kind == "shop" else None,
                         "township_id": who if kind in ("issued", "settled") else None, "balance": 0})
    balance = {row["id"]: 0 for row in rows}
    transfers_wanted = entries // 2
    t_ids_iter = iter(load.ids(Transfer.__table__, transfers_wanted + len(shop_ids) * MONTHS))
    transfers, entry_rows, earns, redemptions = [], [], [], []
    village_shops = {}
    for s, v in shop_village.items():
        village_shops.setdefault(v, []).append(s)
    step_seconds = (now - start).total_seconds() / transfers_wanted
    for n in range(transfers_wanted):
        at = start + timedelta(seconds=n * step_seconds)
        user = villagers[rng.randrange(len(villagers))]
        mine = accounts[("villager", user)]
        village = home[user]
        township = owner[village]
        transfer_id = next(t_ids_iter)
        if balance[mine] >= 3 and rng.random() < 0.4:
            shop = rng.choice(village_shops[village])
            points = rng.randint(1, min(balance[mine], 20))
            legs = [(mine, -points), (accounts[("shop", shop)], points)]
            transfers.append({"id": transfer_id, "kind": "redeem", "idempotency_key": f"redeem:{user}:bench-{n}",
                              "memo": "合作小店", "actor_id": user, "created_at": at})
            redemptions.append({"transfer_id": transfer_id, "shop_id": shop, "user_id": user, "township_id": township,
                                "points": points, "balance_after": balance[mine] - points,
                                "confirmation": f"{rng.randrange(10000):04d}", "created_at": at, "settlement_id": None,
                                "reversal_transfer_id": None, "reversal_reason": None, "corrected_at": None,
                                "correction_settlement_id": None})
        else:
            points = rng.choice((1, 1, 5, 10))
            legs = [(accounts[("issued", township)], -points), (mine, points)]
            transfers.append({"id": transfer_id, "kind": "earn", "idempotency_key": f"earn:{user}:bench-{n}",
                              "memo": "参与监督", "actor_id": None, "created_at": at})
            earns.append({"user_id": user, "township_id": township, "rule_key": "report_accepted",
                          "source": f"bench:{n}", "points": points, "granted": True, "reason": None,
                          "transfer_id": transfer_id, "created_at": at})
        for account_id, amount in legs:
            balance[account_id] += amount
            entry_rows.append({"transfer_id": transfer_id, "account_id": account_id, "amount": amount})
    settlements = settle(redemptions, accounts, balance, shop_village, owner, t_ids_iter, transfers, entry_rows,
                         iter(load.ids(Settlement.__table__, len(shop_ids) * MONTHS)))
    for table, table_rows in ((Redemption, redemptions), (EarnRecord, earns), (Entry, entry_rows)):
        for row, row_id in zip(table_rows, load.ids(table.__table__, len(table_rows))):
            row["id"] = row_id
    for row in rows:
        row["balance"] = balance[row["id"]]
    load.insert(Account.__table__, rows)
    load.insert(Transfer.__table__, transfers)
    load.insert(Entry.__table__, entry_rows)
    load.insert(EarnRecord.__table__, earns)
    load.insert(Settlement.__table__, settlements)
    load.insert(Redemption.__table__, redemptions)
    totals = {v: [0, 0] for v in v_ids}  # what points.tally keeps with each earn and payment
    for row in earns:
        totals[home[row["user_id"]]][0] += row["points"]
    for row in redemptions:
        totals[shop_village[row["shop_id"]]][1] += row["points"]
    load.insert(VillagePoints.__table__, [{"village_id": v, "issued": i, "redeemed": r} for v, (i, r) in totals.items()])
    return {"transfers": len(transfers), "entries": len(entry_rows), "redemptions": len(redemptions),
            "settlements": len(settlements), "shops": len(shop_ids)}


def settle(redemptions, accounts, balance, shop_village, owner, transfer_ids, transfers, entry_rows,
           settlement_ids) -> list:
    """Monthly statements for every month before this one: paid, but for last month's (open)."""
    from points.periods import month_bounds, month_of, previous_month
    this_month = month_of()
    last_month = previous_month(this_month)
    groups: dict[tuple[int, str], list[dict]] = {}
    for r in redemptions:
        month = clock.local(r["created_at"]).strftime("%Y-%m")
        if month < this_month:
            groups.setdefault((r["shop_id"], month), []).append(r)
    statements = []
    for (shop, month), items in sorted(groups.items()):
        statement_id = next(settlement_ids)
        points = sum(r["points"] for r in items)
        township = owner[shop_village[shop]]
        transfer_id = next(transfer_ids)
        end = month_bounds(month)[1]
        transfers.append({"id": transfer_id, "kind": "settle", "idempotency_key": f"settle:{shop}:{month}",
                          "memo": f"{month} 结算", "actor_id": None, "created_at": end})
        for account_id, amount in ((accounts[("shop", shop)], -points), (accounts[("settled", township)], points)):
            balance[account_id] += amount
            entry_rows.append({"transfer_id": transfer_id, "account_id": account_id, "amount": amount})
        paid = month != last_month
        statements.append({"id": statement_id, "shop_id": shop, "township_id": township, "month": month,
                           "period_end": end, "points": points, "rate_fen": 10, "amount_fen": points * 10,
                           "redemption_count": len(items), "status": "paid" if paid else "open",
                           "transfer_id": transfer_id, "reference": f"BANK-{statement_id}" if paid else None,
                           "opened_by": None, "paid_by": None, "created_at": end,
                           "paid_at": end + timedelta(days=3) if paid else None})
        for r in items:
            r["settlement_id"] = statement_id
    return statements


