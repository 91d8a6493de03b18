"""Page weight and first paint on a slow link: Chromium at 360×740 on Slow 4G (400 kbps, 400 ms) with 4× CPU throttling.

Usage:  .venv/bin/python bench/slow_link.py        (Debian's /usr/bin/chromium; nginx and gunicorn as deployed)
Serves the demo (a throwaway SQLite database, plus a 200-line finance disclosure) with deploy/gunicorn.conf.py
behind deploy/nginx.conf over HTTPS, then opens the village home, the 200-line finance page, the report
form, the wall and 积分 (logged in as the demo villager) twice each in one phone: bytes over the wire
(CDP encodedDataLength: headers and compressed bodies) on the first and the repeat visit, and the first
contentful paint of each. Goals (issue 16): first visit ≤ 30 KB, repeat ≤ 2 KB, FCP < 2.0 s.
"""
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SLOW_4G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def build_demo(database: str) -> int:
    """Migrate, seed the demo, add a 200-line finance disclosure to 河西村; return its id."""
    from bench.statements import grow

    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench-secret",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade()
        run_seeders()
        ids = grow(200, 0, 0)
        db.engine.dispose()
    return ids["disclosure"]


FCP = """() => new Promise(done => {
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (entry.name === 'first-contentful-paint') done(entry.startTime); }
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => done(-1), 10000);
})"""


def visit(page, cdp, url: str) -> tuple[int, float]:
    """(bytes received, first contentful paint in ms) of one navigation."""
    received = {"bytes": 0, "urls": {}}

    def responded(event):
        received["urls"][event["requestId"]] = (event["response"]["url"], event["response"]["status"])

    def finished(event):
        received["bytes"] += int(event.get("encodedDataLength", 0))
        if os.environ.get("BENCH_VERBOSE"):
            print("   ", received["urls"].get(event["requestId"]), event.get("encodedDataLength"))

    cdp.on("Network.responseReceived", responded)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    fcp = page.evaluate(FCP)
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.responseReceived", responded)
    return received["bytes"], fcp


def spki(certificate: Path) -> str:
    """The base64 SHA-256 of a certificate's public key, as Chromium's --ignore-certificate-errors-spki-list takes it."""
    key = subprocess.run(["openssl", "x509", "-in", str(certificate), "-pubkey", "-noout"], capture_output=True,
                         check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=key, capture_output=True,
                         check=True).stdout
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def phone(browser):
    """A phone-sized context with the slow link and the slow CPU; returns (context, page, cdp)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=3, locale="zh-CN",
                                  user_agent="Mozilla/5.0 (Linux; Android 10) "
                                  "AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 MicroMessenger/8.0")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return context, page, cdp


def main() -> None:
    """Serve, visit each page twice, print a Markdown table."""
    from playwright.sync_api import sync_playwright

    from bench.throughput import serve
    from tests.deploy.serving import app_env, free_port, nginx, nginx_site

    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        database = f"sqlite:///{folder / 'demo.sqlite3'}"
        finance = build_demo(database)
        env = app_env(database, folder, TRUSTED_PROXIES="127.0.0.1", RATELIMIT_ENABLED="0",
                      SESSION_COOKIE_SECURE="1", SECRET_KEY="bench-secret")
        app = stack.enter_context(serve("app:create_app()", env, folder / "app.log"))
        https = free_port()
        stack.enter_context(nginx(nginx_site(int(app.rsplit(":", 1)[1]), https, free_port(), folder), folder, https))
        base = f"https://127.0.0.1:{https}"
        pages = [("village home", "/v/hexi"), ("finance page, 200 lines", f"/d/{finance}"),
                 ("report form", "/v/hexi/report"), ("wall", "/v/hexi/wall")]
        with sync_playwright() as play:
            # Trust the test certificate as a real one: Chromium keeps nothing in its HTTP cache for a site with
            # certificate errors, and the repeat visit is what the cache is for.
            browser = play.chromium.launch(executable_path=CHROMIUM,
                                           args=[f"--ignore-certificate-errors-spki-list={spki(folder / 'cert.pem')}"])
            for name, path in pages:
                context, page, cdp = phone(browser)  # a phone that has never seen the site
                first = visit(page, cdp, base + path)
                again = visit(page, cdp, base + path)
                rows.append((name, path, first, again))
                context.close()
            context, page, cdp = phone(browser)
            page.goto(base + "/login")
            page.fill("input[name=phone]", "13900000101")
            page.fill("input[name=password]", "demo-villager")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            cdp.send("Network.clearBrowserCache")
            first = visit(page, cdp, base + "/me/points")
            again = visit(page, cdp, base + "/me/points")
            rows.append(("积分 (logged in)", "/me/points", first, again))
            browser.close()
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}, 360×740, Slow 4G (400 kbps, 400 ms RTT), CPU ×4, through nginx over HTTPS/2\n")
    print("| page | first visit bytes | first FCP ms | repeat bytes | repeat FCP ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, path, (b1, f1), (b2, f2) in rows:
        print(f"| {name} `{path}` | {b1:,} | {f1:,.0f} | {b2:,} | {f2:,.0f} |")


if __name__ == "__main__":
    main()
