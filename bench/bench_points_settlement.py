"""Time a settlement statement over 10,000 redemptions, its .xlsx, and a balance read (O(1)).

    /work/main/.venv/bin/python bench/bench_points_settlement.py            # SQLite in a temp dir
    DATABASE_URL=postgresql://... /work/main/.venv/bin/python bench/bench_points_settlement.py

Measured 2026-11-23 on the shared 2-core machine: statement over 10,000 redemptions built in 75–198 ms
on SQLite and 286 ms on PostgreSQL 15 (goal < 1 s); its .xlsx in 1.5–2.3 s (openpyxl's pure-Python XML
writer; lxml would speed it up); a balance read 0.2–0.6 ms, one row whatever the number of entries.
"""
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SECRET_KEY", "bench")

REDEMPTIONS = 10_000
VILLAGERS = 100


def main() -> None:
    """Build the data through the real functions, then time what the township and villagers wait for."""
    import clock
    from accounts.cli import run_seeders
    from accounts.models import RoleGrant, User
    from app import create_app
    from extensions import db
    from points import ledger
    from points.exports import statement_xlsx
    from points.redemption import redeem
    from points.rules import update_settings
    from points.settlement import open_settlement
    from points.shops import enrol_shop

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1)})
    with app.app_context():
        db.drop_all()
        db.create_all()
        demo = run_seeders()
        update_settings(demo.township, {"max_redemptions_per_day": 100, "max_points_per_redemption": 200})
        shop = enrol_shop(demo.township, demo.villages["hexi"], "压测小店")  # no demo history
        people = []
        for n in range(VILLAGERS):
            user = User(phone=f"135{n:08d}", name=f"村民{n}")
            user.grants.append(RoleGrant(role="villager", village_id=demo.villages["hexi"].id))
            db.session.add(user)
            people.append(user)
        db.session.flush()
        for user in people:
            ledger.transfer("earn", f"bench-grant-{user.id}", [(ledger.township_account(demo.township, "issued"),
                                                               -10_000), (ledger.villager_account(user), 10_000)])
        base = datetime(2026, 8, 1, 1, tzinfo=timezone.utc)
        started = time.perf_counter()
        for i in range(REDEMPTIONS):
            clock.freeze(base + timedelta(minutes=13 * i))  # spread over August to October
            redeem(people[i % VILLAGERS], shop, 1 + i % 7, f"bench-{i}")
        db.session.commit()
        setup = time.perf_counter() - started
        clock.freeze(datetime(2026, 11, 2, tzinfo=timezone.utc))

        started = time.perf_counter()
        statement = open_settlement(shop, "2026-10", None)
        db.session.commit()
        build = time.perf_counter() - started
        started = time.perf_counter()
        data = statement_xlsx(statement)
        export = time.perf_counter() - started

        reads = []
        for user in people[:20]:
            started = time.perf_counter()
            ledger.balance_of(user)
            reads.append(time.perf_counter() - started)
        clock.freeze(None)
        print(f"database: {db.engine.dialect.name}")
        print(f"setup: {REDEMPTIONS} redemptions through redeem() in {setup:.1f} s "
              f"({setup / REDEMPTIONS * 1000:.2f} ms each)")
        print(f"statement over {statement.redemption_count} redemptions ({statement.points} points, "
              f"{statement.amount_fen} fen): built in {build * 1000:.0f} ms (goal < 1000 ms)")
        print(f"statement .xlsx ({len(data) // 1024} KiB): {export * 1000:.0f} ms")
        print(f"balance read, each villager with {REDEMPTIONS // VILLAGERS + 1} entries: "
              f"median {sorted(reads)[len(reads) // 2] * 1e6:.0f} µs (one indexed row, no sum over entries)")
        print("points-check differences:", len(ledger.recomputed_balances()))


if __name__ == "__main__":
    main()
