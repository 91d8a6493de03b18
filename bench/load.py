"""A real evening's mixed traffic through nginx, with locust headless: req/s, p50/p95/p99 and errors per endpoint.

Usage (a county from bench/generate.py; it gets 20 paying villagers with points first):
  .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:PORT/county [--users 50 --seconds 60]
Mix: 70 % public pages (village home, board, finance page, wall, village API), 15 % anonymous report
submissions with a photo (form, then POST with its token), 10 % desk work (v0's committee: queue, a
case), 5 % redemptions (API, Idempotency-Key). gunicorn runs deploy/gunicorn.conf.py (5 × 4) behind
deploy/nginx.conf. Rate limits are off: every simulated phone comes from 127.0.0.1.
"""
import argparse
import csv
import io
import os
import random
import re
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAYERS = 20


def _photo() -> bytes:
    """A phone-sized JPEG to attach."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1280, 960), (90, 140, 60)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


if __name__ != "__main__":  # locust imports this file for the users; the runner below must not (gevent patches)
    from locust import HttpUser, between, task

    PHOTO = _photo()
    FINANCE = os.environ.get("BENCH_FINANCE_ID", "1")
    TOKENS = os.environ.get("BENCH_TOKENS", "").split(",")

    class Villager(HttpUser):
        """A phone in the evening: mostly reading, sometimes reporting, now and then paying a shop."""

        weight = 9  # nine phones to one desk: with the task weights below, 70 / 15 / 10 / 5 %
        wait_time = between(0.5, 2)

        def on_start(self):
            self.client.verify = False

        @task(15)
        def village_home(self):
            self.client.get("/v/v0", name="village home")

        @task(15)
        def board(self):
            self.client.get("/v/v0/disclosures", name="board")

        @task(15)
        def finance_page(self):
            self.client.get(f"/d/{FINANCE}", name="finance page")

        @task(15)
        def wall(self):
            self.client.get("/v/v0/wall", name="wall")

        @task(15)
        def village_api(self):
            self.client.get("/api/v1/villages/v0", name="village API")

        @task(17)
        def report(self):
            form = self.client.get("/v/v0/report", name="report form")
            token = re.search(r'name="form_token" value="([^"]+)"', form.text)
            csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
            if not token:
                return
            data = {"category": "工程项目", "content": "村口的路面裂了，请派人看看。", "anonymous": "1",
                    "form_token": token.group(1), **({"csrf_token": csrf.group(1)} if csrf else {})}
            self.client.post("/v/v0/report", data=data, files={"photos": ("IMG_0001.jpg", PHOTO, "image/jpeg")},
                             name="report submit", allow_redirects=False,
                             headers={"Referer": self.host + "/v/v0/report"})

        @task(6)
        def redeem(self):
            token = random.choice(TOKENS)
            self.client.post(f"/api/v1/shops/B0000{random.randint(0, 1)}/redemptions", json={"points": 1},
                             headers={"Authorization": f"Bearer {token}",
                                      "Idempotency-Key": f"load-{random.getrandbits(64):x}"}, name="redemption")

    class Committee(HttpUser):
        """v0's committee head at the desk."""

        weight = 1
        wait_time = between(1, 3)

        def on_start(self):
            self.client.verify = False
            page = self.client.get("/login", name="login form")
            csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
            self.client.post("/login", data={"phone": os.environ["BENCH_COMMITTEE"], "password": "bench-pass",
                                             **({"csrf_token": csrf.group(1)} if csrf else {})},
                             headers={"Referer": self.host + "/login"}, name="login")

        @task
        def desk(self):
            page = self.client.get("/desk", name="desk queue")
            case = re.search(r'href="(/desk/\d+)"', page.text)
            if case:
                self.client.get(case.group(1), name="desk case")


def prepare(database: str) -> dict:
    """Points for PAYERS villagers of v0 and a daily cap that lets them pay; their tokens and the ids the mix reads."""
    import sqlalchemy as sa

    from accounts.login import issue_token
    from accounts.models import RoleGrant, Township, User, Village
    from app import create_app
    from extensions import db
    from points import ledger
    from points.rules import update_settings

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        v0 = db.session.execute(sa.select(Village).where(Village.slug == "v0")).scalar_one()
        township = db.session.get(Township, v0.township_id)
        update_settings(township, {"max_redemptions_per_day": 100})
        payers = list(db.session.execute(sa.select(User).join(RoleGrant).where(
            RoleGrant.role == "villager", RoleGrant.village_id == v0.id).order_by(User.id).limit(PAYERS)).scalars())
        for user in payers:
            ledger.transfer("earn", f"load-bench-grant:{user.id}:{random.getrandbits(32)}",
                            [(ledger.township_account(township, "issued"), -100_000),
                             (ledger.villager_account(user), 100_000)])
        committee = db.session.execute(sa.select(User.phone).join(RoleGrant).where(
            RoleGrant.role == "committee", RoleGrant.village_id == v0.id)).scalars().first()
        finance = db.session.execute(sa.text(
            "SELECT id FROM disclosure WHERE village_id = :v AND category = 'finance' ORDER BY period DESC LIMIT 1"),
            {"v": v0.id}).scalar_one()
        db.session.commit()
        with app.test_request_context():
            tokens = [issue_token(user) for user in payers]
        db.engine.dispose()
    return {"BENCH_TOKENS": ",".join(tokens), "BENCH_COMMITTEE": committee, "BENCH_FINANCE_ID": str(finance)}


def main() -> None:
    """Serve the county behind nginx, run locust headless, print its per-endpoint table."""
    from bench.throughput import serve
    from tests.deploy.serving import app_env, free_port, nginx, nginx_site

    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    extra = prepare(args.database)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        env = app_env(args.database, folder, TRUSTED_PROXIES="127.0.0.1", RATELIMIT_ENABLED="0",
                      SESSION_COOKIE_SECURE="1", SECRET_KEY=os.environ["SECRET_KEY"])
        app = stack.enter_context(serve("app:create_app()", env, folder / "app.log"))
        https = free_port()
        stack.enter_context(nginx(nginx_site(int(app.rsplit(":", 1)[1]), https, free_port(), folder), folder, https))
        subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", __file__, "--headless", "-u", str(args.users),
                        "-r", str(max(1, args.users // 5)), "-t", f"{args.seconds}s", "--host",
                        f"https://127.0.0.1:{https}", "--csv", str(folder / "load"), "--only-summary"],
                       env={**os.environ, **extra, "PYTHONWARNINGS": "ignore"}, check=False, capture_output=True,
                       timeout=args.seconds + 120)
        with open(folder / "load_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
    print(f"locust headless, {args.users} users, {args.seconds} s, through nginx (deploy/nginx.conf), "
          f"{os.cpu_count()} shared cores\n")
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['Type']} {row['Name']} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
              f"{row['50%']} | {row['95%']} | {row['99%']} | {row['Failure Count']} |")


if __name__ == "__main__":
    main()
