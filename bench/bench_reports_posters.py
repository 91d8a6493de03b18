"""Time one A4 poster PNG and a 30-code village PDF.

Run: /work/main/.venv/bin/python bench/bench_reports_posters.py
Goals: one poster PNG under 1 s; a 30-code PDF under 15 s.
"""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    """Seed an in-memory database with 30 codes and render."""
    from app import create_app
    from extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context(), app.test_request_context():
        db.create_all()
        from accounts.cli import run_seeders
        from citizen.codes import posters, qrcodes

        demo = run_seeders()
        village = demo.villages["hexi"]
        rows = [qrcodes.create_code(village, "village", None, f"河西村第{n}号公开栏", None) for n in range(30)]
        start = time.perf_counter()
        posters.poster_png(rows[0])
        cold = time.perf_counter() - start
        warm = []
        for row in rows[1:6]:
            start = time.perf_counter()
            size = len(posters.poster_png(row))
            warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        pdf = posters.poster_pdf(rows)
        pdf_time = time.perf_counter() - start
    print(f"poster PNG: first {cold:.2f} s (loads fonts), then median {statistics.median(warm):.2f} s, "
          f"{size / 1024:.0f} KB (goal < 1 s)")
    print(f"30-code PDF: {pdf_time:.2f} s, {len(pdf) / 1e6:.1f} MB (goal < 15 s)")


if __name__ == "__main__":
    main()
