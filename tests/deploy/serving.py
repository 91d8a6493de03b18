"""Serving the app as deployed, for tests: gunicorn with every worker up, Redis, nginx in front.

Each server is a real process on a free loopback port, started and stopped by the test that needs it.
(tests/serving.py serves the demo for the mixed-load tests; this adds what the deploy tests need.)
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.serving import flask as flask_command
from tests.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def wait_for(check, what: str, process: subprocess.Popen | None = None, seconds: float = 120) -> None:
    """Poll `check()` until it is true; fail with `what` if the process dies or time runs out."""
    deadline = time.time() + seconds
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        if (process is not None and process.poll() is not None) or time.time() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """Terminate one process we started, and wait for it."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def need(binary: str, variable: str) -> str:
    """The path of a Debian program a test needs; skip without it, unless CI requires it."""
    path = shutil.which(binary) or (f"/usr/sbin/{binary}" if os.path.exists(f"/usr/sbin/{binary}") else None)
    if path:
        return path
    if os.environ.get(variable) == "1":
        pytest.fail(f"{binary} is not installed but {variable}=1 (scripts/system-packages installs it)")
    pytest.skip(f"{binary} is not installed (bash scripts/system-packages)")


def app_env(database_url: str, folder: Path, **extra: str) -> dict:
    """A production-like environment: no debug, its own database, secret and upload folder."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("FLASK_DEBUG", "TEST_DATABASE_URL", "TRUSTED_PROXIES", "TRUST_PROXY", "DATABASE_URL")}
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": "deploy-test-secret", "UPLOAD_DIR": str(folder / "uploads"),
                "SESSION_COOKIE_SECURE": "0", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


@contextmanager
def gunicorn(env: dict, log: Path, workers: int = 3):
    """Serve the app with deploy/gunicorn.conf.py on a free port; yield its base URL."""
    port = free_port()
    env = dict(env, BIND=f"127.0.0.1:{port}", WEB_WORKERS=str(workers), WEB_THREADS="4")
    with open(log, "w") as out:
        process = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def booted() -> bool:
        urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=2)
        return _workers_ready(log) >= workers

    try:
        wait_for(booted, f"gunicorn (see {log})", process, seconds=120)
        yield base
    finally:
        stop(process)


def _workers_ready(log: Path) -> int:
    """How many workers have loaded the app (deploy/gunicorn.conf.py logs each)."""
    return log.read_text(errors="replace").count("ready to serve")


@contextmanager
def redis_server(folder: Path):
    """TEST_REDIS_URL if scripts/test started one, else a redis-server of our own on loopback."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    binary = need("redis-server", "REQUIRE_REDIS")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        def answers() -> bool:
            try:
                return redis.Redis.from_url(url).ping()
            except redis.ConnectionError:  # not an OSError: still starting up
                return False

        wait_for(answers, "redis-server", process)
        yield url
    finally:
        stop(process)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 made with openssl; returns (certificate, key)."""
    openssl = need("openssl", "REQUIRE_NGINX")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def static_copy(folder: Path) -> Path:
    """static/ copied into the test's folder with its .gz and .br files, as deploy/cunwu.service prepares it."""
    target = folder / "static"
    if not target.exists():
        shutil.copytree(ROOT / "static", target, ignore=shutil.ignore_patterns("*.gz", "*.br"))
        subprocess.run([sys.executable, str(ROOT / "scripts" / "precompress_static.py"), str(target)], check=True,
                       capture_output=True, timeout=120)
    return target


def nginx_site(upstream_port: int, https_port: int, http_port: int, folder: Path) -> str:
    """deploy/nginx.conf with only its machine-specific lines changed: ports, certificate, log files."""
    cert, key = self_signed_certificate(folder)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    swaps = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "/etc/ssl/certs/cunwu.pem": str(cert),
        "/etc/ssl/private/cunwu.key": str(key),
        "/var/log/nginx/cunwu.access.log": str(folder / "access.log"),
        "/var/log/nginx/cunwu.error.log": str(folder / "error.log"),
        "/srv/cunwu/static/": str(static_copy(folder)) + "/",
        "/var/cache/nginx/cunwu": str(folder / "cache"),
    }
    for old, new in swaps.items():
        if old not in site:
            raise AssertionError(f"deploy/nginx.conf no longer has {old!r}: update the test's template")
        site = site.replace(old, new)
    return site


@contextmanager
def nginx(site: str, folder: Path, port: int):
    """Run Debian's nginx in the foreground with `site` inside a minimal http block, listening on `port`."""
    binary = need("nginx", "REQUIRE_NGINX")
    (folder / "site.conf").write_text(site)
    user = "user root root;" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    brotli = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
    if not os.path.exists(brotli):
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("nginx's brotli_static module is missing (scripts/system-packages nginx installs it)")
        pytest.skip("libnginx-mod-http-brotli-static is not installed (bash scripts/system-packages nginx)")
    (folder / "nginx.conf").write_text(f"""
load_module {brotli};
daemon off;
worker_processes 1;
{user}
pid {folder / 'nginx.pid'};
error_log {folder / 'main-error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    {temp}
    access_log off;
    include {folder / 'site.conf'};
}}
""")
    args = [binary, "-c", str(folder / "nginx.conf"), "-p", str(folder), "-e", str(folder / "main-error.log")]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise AssertionError(f"nginx refuses deploy/nginx.conf:\n{checked.stderr}")
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() is None, "nginx", process)
        yield binary
    finally:
        stop(process)
