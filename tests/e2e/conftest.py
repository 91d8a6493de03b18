"""Browser tests: a real server process on its own migrated, demo-seeded database, and Chromium as a phone."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE_UA = ("Mozilla/5.0 (Linux; Android 10; V1990A Build/QP1A.190711.020; wv) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 "
            "MMWEBSDK/20240404 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/4G "
            "Language/zh_CN ABI/arm64")


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test; without Chromium they skip, unless CI demands it."""
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            raise pytest.UsageError(f"Chromium not found at {CHROMIUM} but REQUIRE_BROWSER=1")
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


def _free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(args: list[str], env: dict) -> None:
    """Run one `flask --app app ...` command the way the README does."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def live_env(tmp_path_factory) -> dict:
    """Environment of the served app: its own fresh database, uploads folder and secret."""
    root = tmp_path_factory.mktemp("live")
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": fresh_database(root, "e2e"),
        "SECRET_KEY": "e2e-secret-key",
        "UPLOAD_DIR": str(root / "uploads"),
        "FLASK_DEBUG": "1",  # the demo runs in debug mode: the dev SMS outbox is visible
        "RATELIMIT_ENABLED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.pop("TEST_DATABASE_URL", None)
    return env


@pytest.fixture(scope="session")
def live_server(live_env) -> str:
    """Base URL of the demo served by `flask run` after `db upgrade` and `seed-demo`, as the README does."""
    port = _free_port()
    env = dict(live_env, BASE_URL=f"http://127.0.0.1:{port}")
    _flask(["db", "upgrade"], env)
    _flask(["seed-demo"], env)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--no-debugger", "--no-reload",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError("the demo server did not start; see tests/e2e/artifacts/server.log")
            time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, without the background calls this closed network refuses."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A cheap Android phone inside WeChat: 360×740, 3× pixels, Chinese locale, Shanghai time."""
    return {
        **browser_context_args,
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "user_agent": PHONE_UA,
    }


@pytest.fixture
def phone(page, live_server):
    """A Playwright page on the phone, with a helper to save a screenshot per page visited."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_default_timeout(15000)

    def shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    page.shot = shot
    page.base = live_server
    return page


def login_with_password(page, base: str, phone_number: str, password: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto(base + "/login")
    page.fill("input[name=phone]", phone_number)
    page.fill("input[name=password]", password)
    page.click("#login-submit")
    page.wait_for_load_state()
