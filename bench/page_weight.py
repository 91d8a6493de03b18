"""Measure what a phone downloads: HTML + CSS + JS gzipped on a first visit, HTML only on a repeat visit.

Usage: .venv/bin/python bench/page_weight.py [path ...]   (default: the landing and village home)
Runs against a throwaway SQLite database seeded with the demo.
"""
import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def gz(data: bytes) -> int:
    """Size in bytes after gzip at the level nginx uses by default."""
    return len(gzip.compress(data, compresslevel=6))


def main(paths: list[str]) -> None:
    """Print first-visit and repeat-visit weights per page."""
    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db",
                          "UPLOAD_DIR": tmp, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            run_seeders()
        client = app.test_client()
        print(f"{'page':40} {'html':>8} {'assets':>8} {'first':>8} {'repeat':>8}  (bytes gzipped)")
        for path in paths:
            html = client.get(path).data
            assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
            asset_bytes = sum(gz(client.get(a.decode()).data) for a in assets)
            print(f"{path:40} {gz(html):8} {asset_bytes:8} {gz(html) + asset_bytes:8} {gz(html):8}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["/", "/v/hexi"])
