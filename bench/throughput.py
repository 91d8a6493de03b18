"""Throughput of the public pages as a new install serves them, each as a ratio to hello-world Flask in the same run.

Usage (a county made by bench/generate.py; wrk from Debian: bash scripts/system-packages bench):
  .venv/bin/python bench/throughput.py --database postgresql://postgres@127.0.0.1:PORT/county [--seconds 10]
gunicorn runs deploy/gunicorn.conf.py with 5 workers × 4 threads for the app and, on another port, for
bench/hello.py; nginx runs deploy/nginx.conf in front of the app. `wrk -t1 -c16` (loopback, no cookies:
a first-time visitor) measures each line for `--seconds`. Rate limits are off (wrk is one address).
Lines: the app rendering each page itself (straight to gunicorn), the same page answered 304 to a phone
that has it (If-None-Match), the page through nginx (its short cache for visitors without a session),
and a static file from Python and from nginx's disk. Prints a Markdown table.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.serving import app_env, free_port, nginx, nginx_site, stop, wait_for  # noqa: E402


@contextmanager
def serve(target: str, env: dict, log: Path):
    """gunicorn with the deploy settings (5×4) serving `target`; yields its base URL."""
    port = free_port()
    env = dict(env, BIND=f"127.0.0.1:{port}", WEB_WORKERS="5", WEB_THREADS="4")
    with open(log, "w") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                    target], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: log.read_text().count("ready to serve") >= 5, f"gunicorn {target}", process, 90)
        urllib.request.urlopen(base + "/", timeout=30).read()
        yield base
    finally:
        stop(process)


def wrk(url: str, seconds: int, headers: dict | None = None) -> dict:
    """req/s and latency percentiles of `wrk -t1 -c16` on one URL."""
    args = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", url]
    for name, value in (headers or {}).items():
        args[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    percentiles = dict(re.findall(r"\s(50|90|99)%\s+([\d.]+\w+)", out))
    return {"rate": rate, "p50": percentiles.get("50"), "p99": percentiles.get("99"),
            "errors": int(errors.group(1)) if errors else 0}


def targets(database: str) -> dict:
    """Paths of the measured pages in the generated county."""
    import sqlalchemy as sa

    engine = sa.create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        finance = conn.execute(sa.text(
            "SELECT d.id FROM disclosure d JOIN village v ON v.id = d.village_id WHERE v.slug = 'v0' "
            "AND d.category = 'finance' ORDER BY d.period DESC LIMIT 1")).scalar_one()
    engine.dispose()
    return {"village home": "/v/v0", "finance page": f"/d/{finance}", "disclosure API": f"/api/v1/disclosures/{finance}",
            "village API": "/api/v1/villages/v0", "wall": "/v/v0/wall"}


def main() -> None:
    """Serve, measure, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", help="measure only the pages whose name contains this (e.g. 'village home')")
    parser.add_argument("--no-nginx", action="store_true", help="only the app lines (code from before the nginx work)")
    args = parser.parse_args()
    pages = {k: v for k, v in targets(args.database).items() if not args.only or args.only in k}
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        env = app_env(args.database, folder, TRUSTED_PROXIES="127.0.0.1", RATELIMIT_ENABLED="0",
                      SESSION_COOKIE_SECURE="0")
        hello = stack.enter_context(serve("bench.hello:app", env, folder / "hello.log"))
        app = stack.enter_context(serve("app:create_app()", env, folder / "app.log"))
        proxy = None
        if not args.no_nginx:
            https = free_port()
            stack.enter_context(nginx(nginx_site(int(app.rsplit(":", 1)[1]), https, free_port(), folder), folder,
                                      https))
            proxy = f"https://127.0.0.1:{https}"
        floor = wrk(hello + "/", args.seconds)
        rows.append(("hello-world Flask (the floor)", hello + "/", floor))
        for name, path in pages.items():
            rows.append((f"{name} `{path}`, rendered by the app", app + path, wrk(app + path, args.seconds)))
            etag = urllib.request.urlopen(app + path, timeout=30).headers["ETag"]
            if etag:
                rows.append((f"{name}, 304 to a phone that has it", app + path,
                             wrk(app + path, args.seconds, {"If-None-Match": etag})))
            if proxy:
                rows.append((f"{name}, through nginx (its short cache)", proxy + path, wrk(proxy + path, args.seconds)))
        page = urllib.request.urlopen(app + "/v/v0", timeout=30).read().decode()
        css = re.search(r'href="(/static/css/app\.css\?v=[^"]+)"', page).group(1)
        rows.append(("static file from Python (gunicorn)", app + css, wrk(app + css, args.seconds)))
        if proxy:
            rows.append(("static file from nginx's disk", proxy + css, wrk(proxy + css, args.seconds)))
    print(f"`wrk -t1 -c16 -d{args.seconds}s`, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores (shared)\n")
    print("| what | req/s | ÷ hello | p50 | p99 | non-2xx/3xx |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, _, result in rows:
        print(f"| {name} | {result['rate']:,.0f} | {result['rate'] / floor['rate']:.2f} | {result['p50']} | "
              f"{result['p99']} | {result['errors']} |")


if __name__ == "__main__":
    main()
