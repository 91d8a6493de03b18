"""1,000 redemptions by 50 concurrent clients against gunicorn: median and p95 latency, errors, overdrafts.

    DATABASE_URL=postgresql://user@127.0.0.1:5432/bench /work/main/.venv/bin/python bench/bench_points_redeem.py
    (the database is emptied and rebuilt; without DATABASE_URL a temporary SQLite file is used)

Each of 50 villagers holds 100 points and its client sends 20 redemptions of 5 points, so every
request should succeed; afterwards no balance may be negative and points-check must find nothing.

Measured 2026-11-23 on the shared 2-core build machine (other jobs running), PostgreSQL 15, 4×8 gthread:
1,000 redemptions in 35 s (29/s), median 1.5 s, p95 2.1 s, 0 errors, 0 negative balances, 0 differences.
One client alone: median 71 ms. The run is CPU-bound here (≈30 ms of Python per redemption, 21 SQL
statements); every redemption also credits the one shop's row, whose lock is held only for the last
few statements before COMMIT.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLIENTS, PER_CLIENT = int(os.environ.get("BENCH_CLIENTS", 50)), int(os.environ.get("BENCH_PER_CLIENT", 20))
POINTS, PORT = 5, int(os.environ.get("BENCH_PORT", "8765"))


def prepare(url: str) -> list[str]:
    """Fresh schema, the demo, 50 villagers with 100 points each; returns their bearer tokens."""
    from accounts.cli import run_seeders
    from accounts.login import issue_token
    from accounts.models import RoleGrant, User
    from app import create_app
    from extensions import db
    from points import ledger
    from points.rules import update_settings

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        db.drop_all()
        db.create_all()
        demo = run_seeders()
        update_settings(demo.township, {"max_redemptions_per_day": 100})
        people = []
        for n in range(CLIENTS):
            user = User(phone=f"134{n:08d}", name=f"压测村民{n}")
            user.grants.append(RoleGrant(role="villager", village_id=demo.villages["hexi"].id))
            db.session.add(user)
            people.append(user)
        db.session.flush()
        for user in people:
            ledger.transfer("earn", f"bench-{user.id}", [(ledger.township_account(demo.township, "issued"),
                                                          -PER_CLIENT * POINTS),
                                                         (ledger.villager_account(user), PER_CLIENT * POINTS)])
        db.session.commit()
        with app.test_request_context():
            tokens = [issue_token(user) for user in people]
        db.engine.dispose()
    return tokens


def client(token: str, n: int, latencies: list, outcomes: list, start: threading.Barrier) -> None:
    """One phone: PER_CLIENT redemptions in a row on a kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    start.wait()
    for i in range(PER_CLIENT):
        body = json.dumps({"points": POINTS})
        began = time.perf_counter()
        conn.request("POST", "/api/v1/shops/HXZC01/redemptions", body=body,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                              "Idempotency-Key": f"bench-{n}-{i}"})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - began)
        outcomes.append(response.status)
    conn.close()


def check(url: str) -> tuple[int, int, int]:
    """Negative balances, ledger differences, and redemptions stored, read after the run."""
    import sqlalchemy as sa

    from app import create_app
    from extensions import db
    from points.ledger import recomputed_balances
    from accounts.models import User
    from points.models import Account, Redemption

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        negative = db.session.execute(sa.select(sa.func.count()).where(Account.balance < 0,
                                                                       Account.kind != "issued")).scalar_one()
        stored = db.session.execute(sa.select(sa.func.count(Redemption.id)).join(User, User.id == Redemption.user_id)
                                    .where(User.phone.like("134%"))).scalar_one()
        return negative, len(recomputed_balances()), stored


def main() -> None:
    """Prepare, serve with gunicorn (gthread), fire the clients, report."""
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    tokens = prepare(url)
    env = dict(os.environ, DATABASE_URL=url, RATELIMIT_ENABLED="0")
    workers, threads = os.environ.get("BENCH_WORKERS", "4"), os.environ.get("BENCH_THREADS", "8")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", workers, "--threads", threads,
                               "-b", f"127.0.0.1:{PORT}", "--log-level", "warning", "app:create_app()"],
                              cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/api/v1/shops")
                break
            except OSError:
                time.sleep(0.2)
        latencies, outcomes = [], []
        start = threading.Barrier(CLIENTS)
        threads_ = [threading.Thread(target=client, args=(t, n, latencies, outcomes, start))
                    for n, t in enumerate(tokens)]
        began = time.perf_counter()
        for thread in threads_:
            thread.start()
        for thread in threads_:
            thread.join()
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait()
    negative, differences, stored = check(url)
    errors = sum(1 for status in outcomes if status != 201)
    ordered = sorted(latencies)
    print(f"database: {url.split(':', 1)[0]}; gunicorn gthread {workers} workers × {threads} threads; "
          f"{CLIENTS} clients × {PER_CLIENT}")
    print(f"{len(outcomes)} redemptions in {wall:.1f} s ({len(outcomes) / wall:.0f}/s)")
    print(f"latency median {statistics.median(ordered) * 1000:.0f} ms, "
          f"p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")
    print(f"errors (status other than 201): {errors}; negative balances: {negative}; "
          f"points-check differences: {differences}; redemptions stored: {stored}")


if __name__ == "__main__":
    main()
