"""Serving the app for real in tests and benches: a migrated, demo-seeded database, then gunicorn or `flask run`."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ("gunicorn", "demo")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(args: list[str], env: dict, timeout: int = 300) -> str:
    """Run one `flask --app app ...` command the way the README does; returns its output."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def demo_env(root: Path, database_url: str, **extra) -> dict:
    """Environment of a served demo on its own database, uploads and secret; rate limits as given."""
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": "live-secret-key", "UPLOAD_DIR": str(root / "uploads"),
                "PYTHONDONTWRITEBYTECODE": "1", "SESSION_COOKIE_SECURE": "0", **extra})
    return env


def build_demo(env: dict) -> None:
    """`db upgrade` and `seed-demo`, as the README's demo command does."""
    flask(["db", "upgrade"], env)
    flask(["seed-demo"], env)


@contextmanager
def serve(kind: str, env: dict, log_path: Path):
    """Serve the app with gunicorn and deploy/gunicorn.conf.py, or with the demo's `flask run`; yields the base URL."""
    port = free_port()
    env = dict(env, BASE_URL=f"http://127.0.0.1:{port}", BIND=f"127.0.0.1:{port}")
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    else:  # the demo's own server, as scripts/demo starts it
        env["FLASK_DEBUG"] = "1"
        command = [sys.executable, "-m", "flask", "--app", "app", "run", "--no-debugger", "--no-reload",
                   "--host", "127.0.0.1", "--port", str(port)]
    log = open(log_path, "w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log_path)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen, log_path: Path) -> None:
    """Poll the home page until it answers; fail with the server's log if it dies or takes too long."""
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError(f"the server did not start:\n{Path(log_path).read_text()[-3000:]}")
            time.sleep(0.2)
