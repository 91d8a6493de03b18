"""Server time and statements of the pages that grow with history, on a county made by bench/generate.py.

Usage:
  DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/county .venv/bin/python bench/county_pages.py [--runs 30]
Reads only (the counters it bumps are flushed in their own transaction). For each page: status, SQL
statements of one request, p50 and p95 of `--runs` requests through the test client, as township t0's
staff where the page is a desk. Then the rows the village API's counts read (EXPLAIN ANALYZE on
PostgreSQL) and the wall's page 1000, reached by following 下一页 as a phone would.
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(client, path: str, runs: int, counter: list) -> tuple[int, int, float, float]:
    """(status, statements, p50 ms, p95 ms) of one path."""
    client.get(path)
    counter.clear()
    status = client.get(path).status_code
    statements = len(counter)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return status, statements, samples[len(samples) // 2], samples[max(0, int(len(samples) * 0.95) - 1)]


def deep_wall(client, slug: str, pages: int) -> str:
    """The URL of the wall's page `pages`, found by following 下一页 from the first."""
    url = f"/v/{slug}/wall"
    for _ in range(pages - 1):
        found = re.search(r'id="wall-older" href="([^"]+)"', client.get(url).get_data(as_text=True))
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
    return url


def main() -> None:
    """Measure each page and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--wall-page", type=int, default=1000)
    parser.add_argument("--offset-wall", action="store_true", help="?page=N, for code from before keyset paging")
    args = parser.parse_args()
    import sqlalchemy as sa

    from accounts.models import User
    from app import create_app
    from extensions import db

    url = os.environ["DATABASE_URL"]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret"),
                      "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        staff = db.session.execute(sa.select(User).join(User.grants).where(
            sa.text("role_grant.role = 'township'")).order_by(User.id.desc()).limit(1)).scalar_one()
        finance = db.session.execute(sa.text(
            "SELECT d.id FROM disclosure d JOIN village v ON v.id = d.village_id WHERE v.slug = 'v0' "
            "AND d.category = 'finance' ORDER BY d.period DESC LIMIT 1")).scalar_one()
        statements: list = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        postgres = db.engine.dialect.name == "postgresql"
    visitor, desk = app.test_client(), app.test_client()
    with desk.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    started = time.perf_counter()
    deep = f"/v/v0/wall?page={args.wall_page}" if args.offset_wall else deep_wall(visitor, "v0", args.wall_page)
    walk = time.perf_counter() - started
    rows = [("township overview `/township` (t0, 15 villages)", desk, "/township"),
            ("township points desk `/township/points` (t0, 30 shops)", desk, "/township/points"),
            ("village API `/api/v1/villages/v0` (counts)", visitor, "/api/v1/villages/v0"),
            ("wall, first page `/v/v0/wall`", visitor, "/v/v0/wall"),
            (f"wall, page {args.wall_page} (keyset cursor)", visitor, deep),
            ("village home `/v/v0`", visitor, "/v/v0"),
            ("finance page `/d/…` of v0", visitor, f"/d/{finance}"),
            ("disclosure API of that page", visitor, f"/api/v1/disclosures/{finance}")]
    print(f"{url.split('@')[-1]}, {args.runs} runs each; page {args.wall_page} of the wall reached in {walk:.1f} s\n")
    print("| page | status | statements | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, client, path in rows:
        status, n, p50, p95 = timed(client, path, args.runs, statements)
        print(f"| {name} | {status} | {n} | {p50:.1f} | {p95:.1f} |")
    if postgres:
        from citizen.reports.models import OPEN_WHERE
        with app.app_context():
            village_id = db.session.execute(sa.text("SELECT id FROM village WHERE slug = 'v0'")).scalar_one()
            for name, sql in (
                    ("open-case count", f"SELECT count(*) FROM report WHERE village_id = {village_id} AND {OPEN_WHERE}"),
                    ("wall count", "SELECT count(*) FROM report WHERE village_id = %d AND published IS true AND "
                                   "status IN ('answered', 'closed') AND wall_hidden IS false" % village_id)):
                plan = db.session.execute(sa.text("EXPLAIN (ANALYZE, BUFFERS) " + sql)).scalars().all()
                scan = next((line for line in plan if "Scan" in line), plan[0])
                rows_read = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+)", scan)
                print(f"\n{name}: {scan.strip()[:110]} — {rows_read.group(2) if rows_read else '?'} index rows, "
                      f"{rows_read.group(1) if rows_read else '?'} ms")


if __name__ == "__main__":
    main()
