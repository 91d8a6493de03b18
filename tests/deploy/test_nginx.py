"""deploy/nginx.conf as Debian 12's nginx runs it, in front of gunicorn, on a non-standard port.

nginx (from Debian, in the foreground, a self-signed certificate from openssl) proxies to gunicorn
with deploy/gunicorn.conf.py and TRUSTED_PROXIES=127.0.0.1, as deploy/cunwu.service runs it.
"""
import http.client
import re
import socket
import ssl
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest

from tests.databases import fresh_database
from tests.deploy.serving import app_env, flask_command, free_port, gunicorn, nginx, nginx_site, wait_for

pytestmark = pytest.mark.live
PRIVATE_PATHS = ["/v/hexi/report", "/track", "/t/AB12CD34", "/api/v1/track/AB12CD34", "/photos/1/a.jpg",
                 "/me/reports", "/api/v1/villages/hexi/reports"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Port and folder of nginx in front of two gunicorn workers."""
    folder = tmp_path_factory.mktemp("nginx")
    env = app_env(fresh_database(folder, "nginx"), folder, TRUSTED_PROXIES="127.0.0.1", SESSION_COOKIE_SECURE="1",
                  RATELIMIT_ENABLED="0")
    flask_command(["db", "upgrade"], env)
    https_port = free_port()
    with gunicorn(env, folder / "gunicorn.log", workers=2) as base:
        upstream = int(base.rsplit(":", 1)[1])
        with nginx(nginx_site(upstream, https_port, free_port(), folder), folder, https_port):
            yield {"port": https_port, "folder": folder, "cert": str(folder / "cert.pem")}


def _context(site, alpn=("http/1.1",)) -> ssl.SSLContext:
    """TLS that trusts only the test's own certificate."""
    context = ssl.create_default_context(cafile=site["cert"])
    context.set_alpn_protocols(list(alpn))
    return context


def _request(site, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """One HTTPS request through nginx; returns (status, headers, text)."""
    connection = http.client.HTTPSConnection("127.0.0.1", site["port"], context=_context(site), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def test_nginx_speaks_http2_with_the_directive_nginx_1_22_accepts(site):
    with socket.create_connection(("127.0.0.1", site["port"]), timeout=10) as raw:
        with _context(site, ("h2", "http/1.1")).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.selected_alpn_protocol() == "h2"


def test_a_form_post_with_csrf_succeeds_through_a_non_standard_port(site):
    status, headers, page = _request(site, "GET", "/login")
    assert status == 200
    cookie = re.search(r"session=[^;]+", headers["Set-Cookie"]).group(0)
    assert "Secure" in headers["Set-Cookie"]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    origin = f"https://127.0.0.1:{site['port']}"
    body = urlencode({"csrf_token": token, "phone": "13900000001", "password": "not-the-password"}).encode()
    status, headers, answer = _request(site, "POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": origin + "/login"})
    assert status == 401 and "再确认一次" not in answer and "密码" in answer  # past the CSRF check: a wrong password


def test_every_answer_carries_hsts_and_no_version(site):
    for path in ("/login", "/no-such-page", "/static/css/app.css"):
        status, headers, _ = _request(site, "GET", path)
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert headers["Server"] == "nginx", (path, headers["Server"])


def test_versioned_assets_are_cached_a_year_and_unversioned_ones_briefly(site):
    _, _, page = _request(site, "GET", "/login")
    versioned = re.search(r'href="(/static/css/app\.css\?v=[^"]+)"', page).group(1)
    vendored = re.search(r'href="(/static/vendor/weui-[^"]+)"', page).group(1)
    for path in (versioned, vendored):
        status, headers, _ = _request(site, "GET", path)
        assert status == 200 and "max-age=31536000" in headers["Cache-Control"], (path, headers["Cache-Control"])
    status, headers, _ = _request(site, "GET", "/static/css/app.css")
    assert status == 200 and headers.get_all("Cache-Control") == ["max-age=300"], headers
    expires = headers.get("Expires")
    assert expires is None or parsedate_to_datetime(expires) < datetime.now(timezone.utc) + timedelta(minutes=10)


def test_report_and_track_paths_leave_no_access_log_line(site):
    for path in PRIVATE_PATHS:
        _request(site, "GET", path)
    _request(site, "POST", "/api/v1/villages/hexi/reports", b"{}", {"Content-Type": "application/json"})
    _request(site, "GET", "/v/hexi?logged=1")
    access_log = site["folder"] / "access.log"
    # nginx writes the line as it finishes the request, which may be just after we read the answer.
    wait_for(lambda: '"GET /v/hexi"' in access_log.read_text(), "the access log line of /v/hexi")
    log = access_log.read_text()  # ordinary pages are logged...
    for path in PRIVATE_PATHS:
        assert f" {path}\"" not in log and path not in log, path  # ...private ones never
    assert "127.0.0.1" not in log and "AB12CD34" not in log


def test_static_files_come_from_disk_precompressed_and_cached_for_a_year(site):
    import hashlib
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_bytes()
    path = f"/static/css/app.css?v={hashlib.sha256(css).hexdigest()[:10]}"
    for encoding in ("br", "gzip"):
        status, headers, _ = _request(site, "GET", path, headers={"Accept-Encoding": encoding})
        assert status == 200 and headers["Content-Encoding"] == encoding, encoding  # the app never sends br
        assert headers["Cache-Control"] == "max-age=31536000" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    status, headers, _ = _request(site, "GET", "/static/css/app.css")
    assert status == 200 and headers["Cache-Control"] == "max-age=300"


def test_a_public_page_comes_from_the_short_cache_but_never_for_a_session(site):
    statuses = [_request(site, "GET", "/")[1].get("X-Cache-Status") for _ in range(2)]
    assert statuses[-1] == "HIT", statuses
    _, headers, _ = _request(site, "GET", "/", headers={"Cookie": "session=abc"})
    assert headers["X-Cache-Status"] == "BYPASS"
    assert "X-Accel-Expires" not in headers
    _request(site, "GET", "/login")
    _, headers, _ = _request(site, "GET", "/login")
    assert headers.get("X-Cache-Status") != "HIT" and "session=" in headers["Set-Cookie"]


def test_a_repeat_visit_through_nginx_is_a_304_of_a_few_hundred_bytes(site):
    _, headers, _ = _request(site, "GET", "/", headers={"Accept-Encoding": "gzip"})
    status, again, body = _request(site, "GET", "/", headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == ""
