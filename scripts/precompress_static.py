"""Write app.css.gz and app.css.br beside every CSS, JS and SVG file in static/, for nginx's gzip_static and brotli_static.

Run at each start (deploy/cunwu.service does, before gunicorn) so the compressed copies always match
the files: a copy older than its file is written again, one whose file is gone is removed.
    .venv/bin/python scripts/precompress_static.py [STATIC_DIR]
"""
import gzip
import sys
from pathlib import Path

import brotli

KINDS = (".css", ".js", ".svg", ".json", ".txt")


def precompress(folder: Path) -> int:
    """Write the missing or stale .gz and .br files under `folder`; returns how many were written."""
    written = 0
    for path in folder.rglob("*"):
        if path.suffix in (".gz", ".br") and not path.with_suffix("").exists():
            path.unlink()
            continue
        if path.suffix not in KINDS or not path.is_file():
            continue
        data = path.read_bytes()
        for suffix, squeeze in ((".gz", lambda d: gzip.compress(d, 9, mtime=0)),
                                (".br", lambda d: brotli.compress(d, quality=11))):
            target = path.with_name(path.name + suffix)
            if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
                continue
            target.write_bytes(squeeze(data))
            written += 1
    return written


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "static"
    print(f"{precompress(root)} compressed copies written under {root}")
