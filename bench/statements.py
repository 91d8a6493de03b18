"""SQL statements and server time of the hot pages, on the demo grown where each page grows.

Usage:
  .venv/bin/python bench/statements.py                       # a throwaway SQLite database
  DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/db .venv/bin/python bench/statements.py
Options: --lines 2000 (finance lines of the big disclosure), --shops 200 (extra shops in the township),
--wall 2000 (extra wall entries in 河西村), --runs 20.
Prints, per page, the statements one request runs and its median and p95 time through the test client.
The database is dropped at the end (PostgreSQL: it must be an empty database created for this run).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def grow(lines: int, shops: int, wall: int) -> dict:
    """Add a big finance disclosure, more shops and more wall entries through the real rules; return ids."""
    import secrets

    import sqlalchemy as sa

    import clock
    from accounts.models import Township, User, Village
    from citizen.reports.models import Report
    from disclosure.publishing import create_disclosure, publish
    from extensions import db
    from points.shops import enrol_shop

    hexi = db.session.execute(sa.select(Village).where(Village.slug == "hexi")).scalar_one()
    township = db.session.get(Township, hexi.township_id)
    clerk = db.session.execute(sa.select(User).where(User.phone == "13900000011")).scalar_one()
    today = clock.today_local() if hasattr(clock, "today_local") else clock.now().date()
    rows = [{"date": (today - timedelta(days=1 + i % 20)).isoformat(), "direction": "expense" if i % 3 else "income",
             "amount": f"{(i % 97) + 1}.50", "category": "办公费", "text": f"第{i}笔 购入办公用品"} for i in range(lines)]
    period = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    big = create_disclosure(hexi, clerk, {"category": "finance", "mode": "regular", "title": "大账本", "period": period,
                                          "body": "", "lines": rows})
    publish(big, clerk)
    for i in range(shops):
        enrol_shop(township, hexi, f"测试商店{i}", f"河西村{i}号")
    now = clock.now()
    wall and db.session.execute(sa.insert(Report), [
        {"village_id": hexi.id, "level": "village", "status": "closed", "category": "其他", "content": f"旧事{i}",
         "anonymous": True, "allow_public": True, "tracking_hash": secrets.token_hex(32), "published": True,
         "public_text": f"旧事{i}已处理", "reply": "已处理", "created_at": now - timedelta(days=400, minutes=i),
         "answered_at": now - timedelta(days=399, minutes=i), "closed_at": now - timedelta(days=398, minutes=i),
         "wall_hidden": False} for i in range(wall)])
    db.session.commit()
    return {"disclosure": big.id}


def measure(client, method: str, path: str, runs: int, counter: list, **kwargs) -> tuple[int, int, float, float]:
    """(status, statements of one request, median ms, p95 ms) of `runs` requests after a warm-up."""
    client.open(path, method=method, **kwargs)
    counter.clear()
    response = client.open(path, method=method, **kwargs)
    statements = len(counter)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.open(path, method=method, **kwargs)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return response.status_code, statements, statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    """Build, grow, then measure each page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--wall", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import sqlalchemy as sa

    from accounts.cli import run_seeders
    from accounts.login import issue_token
    from accounts.models import User
    from app import create_app
    from extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "UPLOAD_DIR": tmp,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          "SESSION_COOKIE_SECURE": False})
        with app.app_context():
            db.create_all()
            run_seeders()
            ids = grow(args.lines, args.shops, args.wall)
            people = {phone: db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one()
                      for phone in ("13900000001", "13900000101")}
            with app.test_request_context():
                tokens = {phone: issue_token(user) for phone, user in people.items()}
            shop_code = db.session.execute(sa.text("SELECT code FROM shop ORDER BY id LIMIT 1")).scalar_one()
            statements: list = []
            sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        anonymous = app.test_client()
        township = app.test_client()
        with township.session_transaction() as sess:
            sess["_user_id"] = people["13900000001"].get_id()
        bearer = {"Authorization": f"Bearer {tokens['13900000101']}"}
        pages = [
            ("GET", "/v/hexi", anonymous, {}),
            ("GET", f"/d/{ids['disclosure']}", anonymous, {}),
            ("GET", f"/api/v1/disclosures/{ids['disclosure']}", anonymous, {}),
            ("GET", "/api/v1/villages/hexi", anonymous, {}),
            ("GET", "/v/hexi/wall", anonymous, {}),
            ("GET", "/township", township, {}),
            ("GET", "/township/points", township, {}),
        ]
        print(f"database {db.engine.dialect.name if False else url.split(':')[0]}, {args.lines} lines, "
              f"{args.shops} extra shops, {args.wall} extra wall entries, {args.runs} runs")
        print(f"{'request':52} {'status':>6} {'stmts':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for method, path, client, kwargs in pages:
            status, n, p50, p95 = measure(client, method, path, args.runs, statements, **kwargs)
            print(f"{method + ' ' + path:52} {status:6} {n:6} {p50:8.1f} {p95:8.1f}")
        counter = iter(range(10**9))

        def redeem_once():
            return anonymous.post(f"/api/v1/shops/{shop_code}/redemptions", json={"points": 1},
                                  headers={**bearer, "Idempotency-Key": f"bench-{next(counter)}"})

        redeem_once()
        statements.clear()
        answer = redeem_once()
        print(f"{'POST /api/v1/shops/<code>/redemptions':52} {answer.status_code:6} {len(statements):6}")
        with app.app_context():
            db.session.remove()
            if url.startswith("sqlite"):
                db.engine.dispose()
            else:
                db.drop_all()
                db.engine.dispose()


if __name__ == "__main__":
    main()
