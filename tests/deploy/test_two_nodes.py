"""Two app nodes behind nginx, sharing one database, one Redis and one S3-compatible store (deploy/two-nodes.md).

Each node is its own gunicorn with its own (empty) upload folder; nginx balances them round-robin. A
session made on one works on the other, a rate limit counts across both, a job queued by one is run
by a worker beside the other, and a photo uploaded through one is served by the other.
"""
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.databases import fresh_database
from tests.deploy.serving import (ROOT, app_env, flask_command, free_port, gunicorn, nginx, nginx_site, redis_server,
                                  stop)
from tests.s3server import CREDENTIALS, make_bucket, moto_server

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """Base URLs of node A, node B and nginx in front of both, with the shared services' addresses."""
    folder = tmp_path_factory.mktemp("two-nodes")
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(folder))
        endpoint = stack.enter_context(moto_server())
        make_bucket(endpoint, "cunwu-two")
        prefix = f"cunwu-two-{uuid.uuid4().hex[:8]}"
        shared = dict(CREDENTIALS, RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX=prefix,
                      JOBS_REDIS_URL=redis_url.rsplit("/", 1)[0] + "/8", JOBS_IMMEDIATE="0",
                      JOBS_TASK_MODULES="tests.jobs.sample_tasks", UPLOAD_STORE="s3://cunwu-two/site",
                      S3_ENDPOINT_URL=endpoint, S3_REGION="us-east-1", TRUSTED_PROXIES="127.0.0.1",
                      PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
        database = fresh_database(folder, "two_nodes")
        envs = {}
        for name in ("a", "b"):
            (folder / name).mkdir()
            envs[name] = app_env(database, folder / name, **shared)
        flask_command(["db", "upgrade"], envs["a"])
        flask_command(["seed-demo"], envs["a"])
        a = stack.enter_context(gunicorn(envs["a"], folder / "a.log", workers=1))
        b = stack.enter_context(gunicorn(envs["b"], folder / "b.log", workers=1))
        https = free_port()
        site = nginx_site(int(a.rsplit(":", 1)[1]), https, free_port(), folder)
        site = site.replace(f"server 127.0.0.1:{a.rsplit(':', 1)[1]};",
                            f"server 127.0.0.1:{a.rsplit(':', 1)[1]};\n    server 127.0.0.1:{b.rsplit(':', 1)[1]};")
        stack.enter_context(nginx(site, folder, https))
        yield {"a": a, "b": b, "proxy": https, "envs": envs, "database": database, "redis": redis_url,
               "prefix": prefix, "folder": folder, "endpoint": endpoint}


def _open(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of one request, errors included, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_nginx_balances_both_nodes(nodes):
    site = (nodes["folder"] / "site.conf").read_text()
    for node in ("a", "b"):
        assert f"server 127.0.0.1:{nodes[node].rsplit(':', 1)[1]};" in site
    import ssl

    context = ssl.create_default_context(cafile=str(nodes["folder"] / "cert.pem"))
    with urllib.request.urlopen(f"https://127.0.0.1:{nodes['proxy']}/v/hexi", context=context, timeout=30) as page:
        assert page.status == 200


def test_a_session_made_on_one_node_works_on_the_other(nodes):
    status, headers, page = _open(nodes["a"] + "/login")
    cookie = re.search(r"session=[^;]+", headers["Set-Cookie"]).group(0)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
    body = urlencode({"csrf_token": token, "phone": "13900000012", "password": "demo-committee"}).encode()
    status, headers, _ = _open(nodes["a"] + "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": nodes["a"] + "/login"})
    assert status in (302, 303), status
    logged_in = re.search(r"session=[^;]+", headers["Set-Cookie"]).group(0)
    status, _, page = _open(nodes["b"] + "/desk", headers={"Cookie": logged_in})
    assert status == 200 and "村监会" in page.decode()


def test_a_rate_limit_counts_the_requests_of_both_nodes(nodes):
    statuses = []
    for i in range(12):
        node = nodes["a" if i % 2 else "b"]
        body = json.dumps({"phone": "13900000011", "password": "wrong-password"}).encode()
        statuses.append(_open(node + "/api/v1/auth/login", body, {"Content-Type": "application/json"})[0])
    assert statuses == [401] * 10 + [429] * 2, statuses


def test_a_job_queued_by_one_node_runs_on_the_other_nodes_worker(nodes):
    slug = f"j{uuid.uuid4().hex[:6]}"
    queue = [sys.executable, "-c", "from app import create_app; from tests.jobs.sample_tasks import add_township; "
             "app = create_app(); app.app_context().push(); add_township(%r)" % slug]
    subprocess.run(queue, cwd=ROOT, env=nodes["envs"]["a"], check=True, capture_output=True, timeout=60)
    log = nodes["folder"] / "worker-b.log"
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "1",
                               "--no-periodic"], cwd=ROOT, env=nodes["envs"]["b"], stdout=log.open("w"),
                              stderr=subprocess.STDOUT)
    engine = sa.create_engine(nodes["database"].replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        deadline = time.time() + 30
        while True:
            with engine.connect() as conn:
                if conn.execute(sa.text("SELECT count(*) FROM township WHERE slug = :s"), {"s": slug}).scalar_one():
                    break
            assert time.time() < deadline and worker.poll() is None, log.read_text()
            time.sleep(0.2)
    finally:
        stop(worker)
        engine.dispose()


def test_a_photo_uploaded_through_one_node_is_served_by_the_other(nodes):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, "JPEG")
    boundary = uuid.uuid4().hex
    fields = {"category": "工程项目", "content": "水泥标号不对，请派人来看看。", "anonymous": "true"}
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n".encode() + buffer.getvalue() + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    status, _, answer = _open(nodes["a"] + "/api/v1/villages/hexi/reports", body,
                              {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 201, answer
    code = json.loads(answer)["tracking_code"]
    status, _, page = _open(nodes["b"] + f"/t/{code}")
    assert status == 200, status
    photo = re.search(rb'src="(/photos/[^"]+)"', page).group(1).decode().replace("&amp;", "&")
    status, headers, data = _open(nodes["b"] + photo)
    assert status == 200 and headers["Content-Type"] == "image/jpeg" and data[:2] == b"\xff\xd8"
    assert not [p for name in ("a", "b") for p in (nodes["folder"] / name).rglob("*.jpg")]  # in the bucket only
