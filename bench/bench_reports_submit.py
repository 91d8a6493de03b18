"""Time a report submission with one ~4 MB 4000×3000 JPEG through the real page, and the form page's weight.

Run: /work/main/.venv/bin/python bench/bench_reports_submit.py
Goals: submission under 1.5 s, stored photo under 400 KB, form page + CSS under 40 KB gzipped.
"""
import gzip
import io
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def phone_photo() -> bytes:
    """A 4000×3000 JPEG with camera-like noise, about 4 MB."""
    from PIL import Image

    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    tint = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    out = io.BytesIO()
    Image.blend(noise, tint, 0.6).save(out, "JPEG", quality=85)
    return out.getvalue()


def main() -> None:
    """Seed a throwaway database, submit a few times, print the numbers."""
    from app import create_app
    from extensions import db

    root = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'bench.sqlite3'}", "UPLOAD_DIR": str(root / "up")})
    with app.app_context():
        db.create_all()
        from accounts.cli import run_seeders

        run_seeders()
    photo = phone_photo()
    client = app.test_client()
    times = []
    for _ in range(5):
        page = client.get("/v/hexi/report").get_data(as_text=True)
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        start = time.perf_counter()
        response = client.post("/v/hexi/report", content_type="multipart/form-data", data={
            "category": "工程项目", "content": "工地上的水泥标号不对，请派人来看看。", "anonymous": "1",
            "form_token": token, "photos": [(io.BytesIO(photo), "IMG_0001.jpg")]})
        times.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    stored = [p for p in (root / "up").rglob("*.jpg")]
    biggest = max(p.stat().st_size for p in stored)
    css = b"".join(client.get(p).data for p in ("/static/vendor/weui-2.6.26/weui.subset.css", "/static/css/app.css",
                                                 "/static/css/citizen.css", "/static/js/app.js",
                                                 "/static/js/citizen.js"))
    form = client.get("/v/hexi/report").data
    print(f"input photo: {len(photo) / 1e6:.2f} MB, 4000x3000, cores={os.cpu_count()}")
    print(f"submit with one photo: median {statistics.median(times):.3f} s, max {max(times):.3f} s (goal < 1.5 s)")
    print(f"largest stored photo: {biggest / 1024:.0f} KB (goal < 400 KB)")
    print(f"form page gzipped: {len(gzip.compress(form)) / 1024:.1f} KB; with CSS+JS: "
          f"{(len(gzip.compress(form)) + len(gzip.compress(css))) / 1024:.1f} KB (goal < 40 KB)")


if __name__ == "__main__":
    main()
