"""The concurrent-use mix (tests/mixed_load.py) against gunicorn with deploy/gunicorn.conf.py: throughput and errors.

    .venv/bin/python bench/bench_concurrent_use.py                  # SQLite (a fresh file)
    BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_concurrent_use.py
    BENCH_ROUNDS=10 BENCH_SERVER=demo ...                           # more rounds; the demo's `flask run`

Each round releases 50 requests at the same moment (scans, finance pages anonymous and logged in, the
wall, anonymous reports with a 1200×900 photo, redemptions, committee messages); rounds follow each
other. Printed per database: requests per second over all rounds, 5xx and other unexpected answers,
promises not kept afterwards (a 201 whose report, redemption or message cannot be read back), and the
median / p95 latency of each kind.

Measured 2026-12-02 on the shared 2-core machine (other jobs running), 5 rounds (250 requests),
gunicorn 5 workers × 4 threads, PostgreSQL 15 on loopback:
| | SQLite | PostgreSQL |
| --- | --- | --- |
| before (main at 36284d4) | 149 of 250 were 5xx (102 × 500, 47 × 503), 41/s | 0 × 5xx, 37/s |
| after (one write discipline) | 0 × 5xx, every promise kept, 35/s | 0 × 5xx, every promise kept, 34/s |
Per-kind medians after, SQLite: scan 0.35 s, finance 0.17 s (0.61 s logged in, with its earn), wall 0.39 s,
report with photo 0.92 s, redemption 0.86 s, committee message 0.90 s; all requests of a round arrive
within the same millisecond, so these are queueing times on two cores, not per-request costs.
"""
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import mixed_load  # noqa: E402
from tests.serving import build_demo, demo_env, serve  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))
SERVER = os.environ.get("BENCH_SERVER", "gunicorn")
EXPECTED = {"scan": 302, "finance_anonymous": 200, "finance_villager": 200, "wall": 200, "report": 201,
            "redeem": 201, "committee": 200}


def _postgres_database(admin_url: str) -> str:
    """A new empty database beside `admin_url`'s."""
    import sqlalchemy as sa

    url = sa.make_url(admin_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"bench_concurrent_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")


def _top_up(url: str, root: Path) -> None:
    """Through the real rules: enough points and redemptions per day for every round."""
    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db
    from points import ledger
    from points.rules import update_settings

    app = create_app({"SECRET_KEY": "live-secret-key", "UPLOAD_DIR": str(root / "uploads"),
                      "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1)})
    with app.app_context():
        demo = run_seeders()
        update_settings(demo.township, {"max_redemptions_per_day": 100})
        ledger.transfer("earn", f"bench-top-up-{uuid.uuid4().hex}",
                        [(ledger.township_account(demo.township, "issued"), -1000),
                         (ledger.villager_account(demo.users["13900000101"]), 1000)])
        db.session.commit()
        db.engine.dispose()


def measure(label: str, url: str, root: Path) -> None:
    """Build the demo on `url`, serve it, run the rounds, print the figures."""
    env = demo_env(root, url, RATELIMIT_ENABLED="0")
    build_demo(env)
    _top_up(url, root)
    results: list[mixed_load.Result] = []
    with serve(SERVER, env, root / "server.log") as base:
        village = mixed_load.Village(base)
        started = time.perf_counter()
        for n in range(ROUNDS):
            results += mixed_load.run_round(village, f"bench{n}")
        elapsed = time.perf_counter() - started
        missing = mixed_load.missing_after(village, results)
    statuses = Counter(r.status for r in results)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    unexpected = sum(1 for r in results if r.status != EXPECTED[r.kind])
    print(f"\n{label} via {SERVER}: {len(results)} requests in {elapsed:.1f} s = {len(results) / elapsed:.1f}/s; "
          f"5xx {server_errors}; unexpected {unexpected}; promises not kept {len(missing)}")
    print(f"  statuses {dict(sorted(statuses.items()))}")
    for kind in mixed_load.MIX:
        times = sorted(r.seconds for r in results if r.kind == kind)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"  {kind:18} median {statistics.median(times) * 1000:6.0f} ms   p95 {p95 * 1000:6.0f} ms")


def main() -> None:
    """SQLite always; PostgreSQL when BENCH_POSTGRES_URL names a server the bench may create a database on."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        measure("SQLite", f"sqlite:///{root / 'bench.sqlite3'}", root)
    admin = os.environ.get("BENCH_POSTGRES_URL")
    if admin:
        with tempfile.TemporaryDirectory() as tmp:
            measure("PostgreSQL", _postgres_database(admin), Path(tmp))


if __name__ == "__main__":
    main()
