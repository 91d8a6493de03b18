"""A reproducible county for the benchmarks: the demo, plus townships of villages with their history.

Usage:
  DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/county .venv/bin/python bench/generate.py          # a county
  .venv/bin/python bench/generate.py --scale 0.1 --sqlite instance/county-tenth.sqlite3                 # a tenth
At scale 1: 300 villages in 20 townships, 500,000 villagers, 1,000,000 reports in every state (100,000 of
them in village `v0`, the one the benchmarks read), 600 shops, about 5,000,000 ledger entries (earns,
redemptions, monthly settlements, the past months paid and last month's open), 200,000 finance lines.
The same seed gives the same county. The schema comes from the migrations (flask db upgrade), the demo
from seed-demo; the bulk rows follow the ledger's rules (every transfer sums to zero, no balance ever
below zero, one key per transfer, balances kept equal to their entries), which the end checks with
the same functions as `flask points-check`. Prints the time of each step.
"""
import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import clock  # noqa: E402
from bench.generate_ledger import MONTHS  # noqa: E402

VILLAGES_PER_TOWNSHIP = 15


class Loader:
    """Bulk rows into a table: COPY on PostgreSQL, batched executemany on SQLite; ids are chosen here."""

    def __init__(self, db):
        self.db = db
        self.postgres = db.engine.dialect.name == "postgresql"
        self.next_ids: dict[str, int] = {}

    def ids(self, table, count: int) -> range:
        """`count` fresh ids for a table, after the rows it already has."""
        name = table.name
        if name not in self.next_ids:
            import sqlalchemy as sa
            self.next_ids[name] = (self.db.session.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0) + 1
        start = self.next_ids[name]
        self.next_ids[name] += count
        return range(start, start + count)

    def insert(self, table, rows: list[dict]) -> None:
        """Write rows (dicts with every column they set) in one go."""
        if not rows:
            return
        columns = list(rows[0])
        if self.postgres:
            cursor = self.db.session.connection().connection.dbapi_connection.cursor()
            quoted = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        else:
            for start in range(0, len(rows), 20000):
                self.db.session.execute(table.insert(), rows[start:start + 20000])

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids chosen here; refresh the planner's statistics."""
        import sqlalchemy as sa
        if self.postgres:
            for name in self.next_ids:
                self.db.session.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT max(id) FROM \"{name}\"))"))
        self.db.session.commit()
        with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if self.postgres else "ANALYZE")


def step(name: str):
    """Print how long a step took."""
    class _Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"{name} …", end=" ", flush=True)

        def __exit__(self, *exc):
            print(f"{time.perf_counter() - self.start:.1f} s", flush=True)
    return _Timer()


def places(db, load: Loader, villages: int) -> tuple[list[int], list[int], dict[int, int]]:
    """Townships t0… and villages v0…; returns (township ids, village ids, village → township)."""
    from accounts.models import Township, Village
    townships = -(-villages // VILLAGES_PER_TOWNSHIP)
    t_ids = list(load.ids(Township.__table__, townships))
    load.insert(Township.__table__, [{"id": t, "name": f"测试{i}镇", "slug": f"t{i}", "created_at": clock.now()}
                                     for i, t in enumerate(t_ids)])
    v_ids = list(load.ids(Village.__table__, villages))
    owner = {v: t_ids[i // VILLAGES_PER_TOWNSHIP] for i, v in enumerate(v_ids)}
    load.insert(Village.__table__, [{"id": v, "name": f"测试{i}村", "slug": f"v{i}", "township_id": owner[v],
                                     "created_at": clock.now()} for i, v in enumerate(v_ids)])
    return t_ids, v_ids, owner


def people(db, load: Loader, villagers: int, v_ids: list[int], t_ids: list[int]) -> dict:
    """Villagers spread over the villages, and staff for t0 and v0 (password `bench-pass`)."""
    from werkzeug.security import generate_password_hash

    from accounts.models import RoleGrant, User
    secret = generate_password_hash("bench-pass", method="pbkdf2:sha256:1000")
    u_ids = list(load.ids(User.__table__, villagers + 3))
    now = clock.now()
    load.insert(User.__table__, [{"id": u, "phone": f"15{i:09d}", "name": f"村民{i}", "password_hash": secret,
                                  "active": True, "session_generation": 1, "created_at": now}
                                 for i, u in enumerate(u_ids)])
    home = {u: v_ids[i % len(v_ids)] for i, u in enumerate(u_ids[:villagers])}
    grants = [{"user_id": u, "role": "villager", "village_id": v} for u, v in home.items()]
    staff = dict(zip(("township", "inspector", "committee"), u_ids[villagers:]))
    grants += [{"user_id": staff["township"], "role": "township", "township_id": t_ids[0]},
               {"user_id": staff["inspector"], "role": "inspector", "township_id": t_ids[0]},
               {"user_id": staff["committee"], "role": "committee", "village_id": v_ids[0]}]
    g_ids = load.ids(RoleGrant.__table__, len(grants))
    load.insert(RoleGrant.__table__, [{"id": g, "village_id": None, "township_id": None, "shop_id": None, **row}
                                      for g, row in zip(g_ids, grants)])
    return {"home": home, "staff": staff}


def reports(load: Loader, v_ids: list[int], total: int, seed: int) -> None:
    """Reports in every state (bench_triage_data's mix), a tenth of them in v0."""
    from bench.bench_triage_data import report_rows
    from citizen.reports.models import Report
    rows = list(report_rows(v_ids, total, hot=total // 10, seed=seed))
    for report_id, row in zip(load.ids(Report.__table__, len(rows)), rows):
        row.update(id=report_id, user_id=None, subject_type=None, subject_id=None, cadre_id=None, form_token=None,
                   rating_comment=None, duplicate_of_id=None)
    load.insert(Report.__table__, rows)


def finance(load: Loader, v_ids: list[int], lines: int, rng: random.Random) -> None:
    """Two years of monthly finance disclosures per village, each published as its first revision."""
    from disclosure.models import Disclosure, FinanceLine, Revision
    today = clock.local(clock.now()).date().replace(day=1)
    months = []
    for back in range(1, MONTHS + 1):
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        months.append(date(year, month, 1))
    per = max(1, lines // (len(v_ids) * len(months)))
    d_rows, r_rows, l_rows = [], [], []
    d_ids = iter(load.ids(Disclosure.__table__, len(v_ids) * len(months)))
    r_ids = iter(load.ids(Revision.__table__, len(v_ids) * len(months)))
    l_ids = iter(load.ids(FinanceLine.__table__, len(v_ids) * len(months) * per))
    for v in v_ids:
        for first in months:
            d, r, period = next(d_ids), next(r_ids), first.strftime("%Y-%m")
            published = min(datetime(first.year, first.month, 1, tzinfo=timezone.utc) + timedelta(days=35),
                            clock.now() - timedelta(days=1))
            d_rows.append({"id": d, "village_id": v, "category": "finance", "mode": "periodic", "status": "published",
                           "revision": 1, "title": f"{period} 财务收支", "period": period, "created_by": None,
                           "created_at": published, "published_at": published, "corrected_at": None,
                           "withdrawn_at": None, "withdraw_reason": None})
            r_rows.append({"id": r, "disclosure_id": d, "number": 1, "title": f"{period} 财务收支", "period": period,
                           "body": "", "reason": None, "author_id": None, "created_at": published,
                           "published_at": published, "changes": None})
            for position in range(per):
                l_rows.append({"id": next(l_ids), "revision_id": r, "position": position,
                               "date": first + timedelta(days=rng.randrange(27)),
                               "direction": "income" if position % 4 == 0 else "expense",
                               "amount_fen": rng.randrange(1000, 500000), "category": rng.choice(
                                   ("办公费", "水电费", "道路维修", "补贴发放", "集体收入")),
                               "text": f"第{position + 1}笔 村务开支", "counterparty": "", "voucher": str(position)})
    load.insert(Disclosure.__table__, d_rows)
    load.insert(Revision.__table__, r_rows)
    load.insert(FinanceLine.__table__, l_rows)


def main() -> None:
    """Build the county; print each step's time and the check's verdict."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the county, 0.1 = a tenth")
    parser.add_argument("--sqlite", help="a SQLite file to create instead of DATABASE_URL")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    url = f"sqlite:///{os.path.abspath(args.sqlite)}" if args.sqlite else os.environ["DATABASE_URL"]
    os.environ.update(DATABASE_URL=url, SECRET_KEY=os.environ.get("SECRET_KEY", "bench-secret"))
    from flask_migrate import upgrade

    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db
    from bench.generate_ledger import ledger
    from points import ledger as points_ledger
    from points import tally

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    rng = random.Random(args.seed)
    began = time.perf_counter()
    figures = {}
    with app.app_context():
        with step("schema (migrations) and the demo"):
            upgrade()
            run_seeders()
        load = Loader(db)
        villages = max(VILLAGES_PER_TOWNSHIP, round(300 * args.scale))
        with step(f"{villages} villages"):
            t_ids, v_ids, owner = places(db, load, villages)
        with step(f"{round(500_000 * args.scale):,} villagers"):
            folk = people(db, load, round(500_000 * args.scale), v_ids, t_ids)
        with step(f"{round(1_000_000 * args.scale):,} reports"):
            reports(load, v_ids, round(1_000_000 * args.scale), args.seed)
        with step(f"{round(200_000 * args.scale):,} finance lines"):
            finance(load, v_ids, round(200_000 * args.scale), rng)
        with step(f"about {round(5_000_000 * args.scale):,} ledger entries"):
            figures = ledger(load, round(5_000_000 * args.scale), folk["home"], owner, t_ids, v_ids, rng)
        with step("commit, sequences, statistics"):
            load.finish()
        with step("ledger check (as flask points-check)"):
            wrong = points_ledger.recomputed_balances() + tally.differences()
            unbalanced = points_ledger.unbalanced_transfers()
    print(f"ledger: {figures}; balances off: {len(wrong)}, unbalanced transfers: {len(unbalanced)}")
    print(f"staff of t0: township 15{round(500_000 * args.scale):09d}, inspector "
          f"15{round(500_000 * args.scale) + 1:09d}, committee of v0 15{round(500_000 * args.scale) + 2:09d} "
          f"(password bench-pass)")
    print(f"total {time.perf_counter() - began:.0f} s")
    if wrong or unbalanced:
        sys.exit(1)


if __name__ == "__main__":
    main()
