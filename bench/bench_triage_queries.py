"""Time the committee queue, the wall's first page and the township overview on a big generated database.

Usage:
  .venv/bin/python bench/bench_triage_queries.py                       # SQLite, 100,000 reports
  DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/bench \
  .venv/bin/python bench/bench_triage_queries.py --villages 1000 --reports 1000000 --hot 100000
Prints the median server time of each page (full request through the test client) and the query plans.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def median_ms(fn, runs: int) -> float:
    """Median wall time of `fn` in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def explain(db, query, postgres: bool) -> str:
    """The database's plan for one SQLAlchemy query."""
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if postgres else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + str(compiled)).all()
    return "\n".join("  " + " | ".join(str(c) for c in row) for row in rows)


def main() -> None:
    """Build the data once, then measure each page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=100)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--hot", type=int, default=50_000, help="reports in the measured village")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from accounts.models import Township, User
    from app import create_app
    from bench.bench_triage_data import build
    from citizen import queues
    from extensions import db

    tmp = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    postgres = url.startswith("postgresql")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": tmp,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        made = build(db, args.villages, args.reports, args.hot)
        print(f"generated {args.reports:,} reports in {args.villages:,} villages "
              f"({args.hot:,} in the measured one) in {time.perf_counter() - start:.0f} s on {db.engine.dialect.name}")
        committee = db.session.get(User, made["people"]["committee"])
        inspector = db.session.get(User, made["people"]["inspector"])
        township_user = db.session.get(User, made["people"]["township"])
        village = committee.grants[0].village
        township = db.session.get(Township, made["township"])
        plans = {
            "committee queue": queues.desk_query(committee).limit(21),
            "inspector queue": queues.desk_query(inspector).limit(21),
            "wall first page": queues.wall_query(village).limit(21),
            "wall by category": queues.wall_query(village, "三资管理").limit(21),
        }
        for name, query in plans.items():
            print(f"\n-- plan: {name}\n{explain(db, query, postgres)}")
        db.session.remove()

    def client_as(user_id):
        client = app.test_client()
        with app.app_context():
            user = db.session.get(User, user_id)
            with client.session_transaction() as sess:
                sess["_user_id"] = user.get_id()
            db.session.remove()
        return client

    anonymous = app.test_client()
    pages = [
        ("committee queue  /desk", client_as(made["people"]["committee"]), "/desk"),
        ("inspector queue  /desk", client_as(made["people"]["inspector"]), "/desk"),
        ("wall first page  /v/<hot>/wall", anonymous, f"/v/{made['hot_village']}/wall"),
        ("wall API page 1  /api/v1/villages/<hot>/wall", anonymous, f"/api/v1/villages/{made['hot_village']}/wall"),
        ("township overview /township", client_as(made["people"]["township"]), "/township"),
        ("township API     /api/v1/township/villages", client_as(made["people"]["township"]), "/api/v1/township/villages"),
    ]
    print(f"\n{'page':50} {'median ms':>10}")
    for label, client, path in pages:
        status = client.get(path).status_code
        assert status == 200, (path, status)
        print(f"{label:50} {median_ms(lambda: client.get(path), args.runs):10.1f}")


if __name__ == "__main__":
    main()
