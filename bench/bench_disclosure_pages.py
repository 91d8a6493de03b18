"""Server time of a 2,000-line finance page, and the weight of a 200-line one (first and repeat visit).

Run from the repository root:  python bench/bench_disclosure_pages.py
Goals (issue 4): median < 150 ms for 2,000 lines; < 60 KB gzipped first visit, < 15 KB repeat visit.
"""
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench")


def build_app():
    """A fresh SQLite app with the demo seeded."""
    from app import create_app
    from extensions import db

    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        from accounts.cli import run_seeders

        run_seeders()
    return app


def finance(app, lines: int, period: str) -> int:
    """Publish a finance disclosure with `lines` lines; return its id."""
    from accounts.authz import village_by_slug
    from disclosure.publishing import create_disclosure, publish
    from extensions import db

    with app.app_context():
        village = village_by_slug("hexi")
        raw = [{"date": f"2026-10-{i % 28 + 1:02d}", "direction": "expense" if i % 5 else "income",
                "amount": f"{(i * 37) % 90000 + 1}.{i % 100:02d}", "category": ("办公费", "工程款", "劳务费", "其他")[i % 4],
                "text": f"购入办公用品第{i}批", "counterparty": "镇文具店", "voucher": f"记-{i:05d}"} for i in range(lines)]
        disclosure = create_disclosure(village, None, {"category": "finance", "mode": "periodic", "period": period,
                                                       "title": f"{period}财务", "lines": raw})
        publish(disclosure, None)
        db.session.commit()
        return disclosure.id


def server_times(app, id: int, runs: int = 30, cold: bool = False) -> list[float]:
    """Milliseconds per GET of the page through the WSGI app; `cold` empties the line-list cache first."""
    from disclosure import views

    client = app.test_client()
    client.get(f"/d/{id}")  # warm the template cache
    times = []
    for _ in range(runs):
        if cold:
            views._LINES_CACHE.clear()
        start = time.perf_counter()
        response = client.get(f"/d/{id}")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def weight(app, path: str) -> tuple[int, int]:
    """(first visit, repeat visit) gzipped bytes: the page plus every stylesheet and script it links."""
    client = app.test_client()
    html = client.get(path).data
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    first = len(gzip.compress(html, 6))
    for url in assets:
        first += len(gzip.compress(client.get(url.decode()).data, 6))
    return first, len(gzip.compress(html, 6))


def main():
    """Print the numbers."""
    app = build_app()
    big = finance(app, 2000, "2030-01")
    for label, cold in (("line list cached", False), ("first view, nothing cached", True)):
        times = server_times(app, big, cold=cold)
        print(f"2000-line finance page, {label}: median {statistics.median(times):.1f} ms, "
              f"p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms over {len(times)} runs (goal < 150 ms)")
    small = finance(app, 200, "2030-02")
    for label, path in (("200-line finance page", f"/d/{small}"), ("village board", "/v/hexi/disclosures"),
                        ("power list", "/v/hexi/powers"), ("village home", "/v/hexi")):
        first, repeat = weight(app, path)
        print(f"{label}: first visit {first / 1024:.1f} KB gzipped, repeat visit {repeat / 1024:.1f} KB "
              f"(goals < 60 KB, < 15 KB)")


if __name__ == "__main__":
    main()
