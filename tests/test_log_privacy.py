"""Issue 11, item 2: no log line of the served site carries a phone, a user id, an address or a tracking code,
whatever villagers do — log in, report anonymously while logged in, follow a case, run into every limit.

The app is served for real (gunicorn with deploy/gunicorn.conf.py, and the demo's own server) with
rate limits on, and its whole output is searched afterwards.
"""
import http.client
import json
import re
from urllib.parse import urlsplit

import pytest

from tests.databases import fresh_database
from tests.serving import SERVERS, build_demo, demo_env, serve

pytestmark = pytest.mark.live
PHONE, PASSWORD = "13900000101", "demo-villager"


def _call(base, method, path, body=None, headers=None):
    """One request; returns (status, headers, body bytes)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _json(base, method, path, payload, headers=None):
    status, _, data = _call(base, method, path, json.dumps(payload).encode(),
                            {"Content-Type": "application/json", **(headers or {})})
    return status, json.loads(data or b"{}")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One demo database both servers use in turn."""
    root = tmp_path_factory.mktemp("logs")
    env = demo_env(root, fresh_database(root, "logs"), RATELIMIT_ENABLED="1", WEB_WORKERS="1")
    build_demo(env)
    return env, root


@pytest.mark.parametrize("server", SERVERS)
def test_the_logs_name_no_phone_account_address_or_code(demo_db, server):
    env, root = demo_db
    log_path = root / f"{server}.log"
    with serve(server, env, log_path) as base:
        status, login = _json(base, "POST", "/api/v1/auth/login", {"phone": PHONE, "password": PASSWORD})
        assert status == 200
        user_id, bearer = login["user"]["id"], {"Authorization": f"Bearer {login['token']}"}
        for _ in range(12):  # the per-phone login limit is 10: the breach is logged
            _json(base, "POST", "/api/v1/auth/login", {"phone": PHONE, "password": "wrong-password"})
        codes = []
        for n in range(7):  # a logged-in villager reporting anonymously, past the per-client limit
            status, body = _json(base, "POST", "/api/v1/villages/hexi/reports",
                                 {"category": "其他", "content": f"匿名反映第{n}次：村口的路灯坏了。", "anonymous": True},
                                 bearer)
            if status == 201:
                codes.append(body["tracking_code"])
        assert len(codes) == 5
        for code in codes:
            assert _call(base, "GET", f"/api/v1/track/{code}")[0] == 200
            assert _call(base, "GET", f"/t/{code}")[0] == 200
        for n in range(12):  # wrong codes past the guessing limit
            _call(base, "GET", f"/api/v1/track/AAAA-BBBB-CCCC-{n:04d}")
        _json(base, "POST", "/api/v1/auth/sms", {"phone": PHONE})
    # The server's own start-up lines name the address it listens on; every other line is the site's.
    text = "\n".join(line for line in log_path.read_text().splitlines()
                     if "Listening at" not in line and "Running on" not in line)
    assert "exceeded" in text  # the limiter did log its breaches: the search below looks at real lines
    for secret in [PHONE, PHONE[-4:] + " ", "127.0.0.1"] + codes + [c.replace("-", "") for c in codes]:
        assert secret not in text, f"{secret!r} appears in the {server} log"
    assert not re.search(rf"\bu:{user_id}\b|user[ _]?id[=: ]+{user_id}\b", text)
