"""Login limits hold across gunicorn workers when they share Redis, and name no phone.

The app is served as deployed: gunicorn with deploy/gunicorn.conf.py and three workers, limits in
a real Redis server (scripts/test starts one; TEST_REDIS_URL), its own database (marker `live`).
"""
import json
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from tests.databases import fresh_database
from tests.deploy.serving import app_env, flask_command, gunicorn, redis_server

pytestmark = pytest.mark.live
PHONE = "13900000012"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Base URL, Redis URL, key prefix and log file of the app served by three workers on Redis."""
    folder = tmp_path_factory.mktemp("limits")
    with redis_server(folder) as redis_url:
        prefix = f"cunwu-test-{uuid.uuid4().hex[:8]}"
        env = app_env(fresh_database(folder, "limits"), folder, RATELIMIT_STORAGE_URI=redis_url,
                      RATELIMIT_KEY_PREFIX=prefix)
        flask_command(["db", "upgrade"], env)
        log = folder / "gunicorn.log"
        with gunicorn(env, log, workers=3) as base:
            yield {"base": base, "redis": redis_url, "prefix": prefix, "log": log}


def _login(base: str, phone: str, forwarded_for: str | None = None) -> int:
    """One JSON login with a wrong password, on a fresh connection; its status."""
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    body = json.dumps({"phone": phone, "password": "wrong-password"}).encode()
    request = urllib.request.Request(base + "/api/v1/auth/login", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _all_at_once(count: int, send) -> list[int]:
    """Send `count` requests from as many threads at once, so every worker takes some."""
    start = threading.Barrier(count)
    statuses = [0] * count

    def worker(i: int) -> None:
        start.wait()
        statuses[i] = send(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _reset(served) -> None:
    """Forget every counter of this test's prefix."""
    import redis

    client = redis.Redis.from_url(served["redis"])
    for key in client.scan_iter(f"*{served['prefix']}*"):
        client.delete(key)


def test_ten_logins_per_phone_across_workers(served):
    _reset(served)
    statuses = _all_at_once(24, lambda i: _login(served["base"], PHONE))
    assert sorted(statuses) == [401] * 10 + [429] * 14, statuses
    # The same phone written another way is the same phone.
    assert _login(served["base"], "+86 139-0000-0012") == 429


def test_thirty_logins_per_minute_per_address_even_with_forged_forwarded_for(served):
    _reset(served)
    statuses = _all_at_once(45, lambda i: _login(served["base"], f"1371234{i:04d}", forwarded_for=f"203.0.113.{i}"))
    assert sorted(statuses) == [401] * 30 + [429] * 15, statuses


def test_limits_keep_and_log_no_phone_number(served):
    import redis

    _reset(served)
    for _ in range(12):
        _login(served["base"], PHONE)
    keys = [key.decode() for key in redis.Redis.from_url(served["redis"]).scan_iter(f"*{served['prefix']}*")]
    assert keys and not [key for key in keys if "0000012" in key], keys
    log = served["log"].read_text(errors="replace")
    assert "exceeded at endpoint" in log  # the limiter does log its refusals...
    assert "0000012" not in log and "13900000012" not in log  # ...without the phone
