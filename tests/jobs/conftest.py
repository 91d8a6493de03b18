"""Fixtures of the job tests: the queue pointed at a real storage for a test, and a Redis server."""
import os
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from jobs.queue import huey
from jobs.storage import DurableRedisStorage, DurableSqliteStorage
from tests.jobs import sample_tasks
from tests.serving import free_port


@contextmanager
def queue_on(factory):
    """Point the app's queue at a real storage (not immediate) for a while, then restore it."""
    saved = (huey._storage, huey._factory, huey._immediate)
    huey.configure(factory, immediate=False)
    try:
        yield huey.storage
    finally:
        close = getattr(huey.storage, "close", None)
        if close:
            close()
        huey._storage, huey._factory, huey._immediate = saved


def run_due(now=None) -> int:
    """What the consumer does, in this thread: move due retries to the queue and run every queued job."""
    ran = 0
    huey.read_schedule(now or huey._get_timestamp())
    while (job := huey.dequeue()) is not None:
        huey.execute(job, now)
        ran += 1
    return ran


@pytest.fixture(autouse=True)
def _fresh_sample_state():
    sample_tasks.RUNS.clear()
    sample_tasks.ATTEMPTS.clear()
    yield


@pytest.fixture
def sqlite_queue(tmp_path, app_ctx):
    """The app's queue on a SQLite file of this test's own."""
    with queue_on(lambda: DurableSqliteStorage(huey.name, filename=str(tmp_path / "jobs.sqlite3"))) as storage:
        yield storage


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis database for the tests: TEST_REDIS_URL's server (database 9), else a redis-server of our own."""
    if os.environ.get("TEST_REDIS_URL"):  # scripts/test's server; database 9 keeps off the limiter's keys
        yield urlsplit(os.environ["TEST_REDIS_URL"])._replace(path="/9").geturl()
        return
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is required (REQUIRE_REDIS=1) but not installed")
        pytest.skip("redis-server not installed (scripts/system-packages redis)")
    port, folder = free_port(), tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    deadline = time.time() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.time() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/9"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_storage(redis_url):
    """A durable Redis storage under a queue name of this test's own."""
    storage = DurableRedisStorage(f"t{uuid.uuid4().hex[:10]}", url=redis_url, read_timeout=0.2)
    yield storage
    for key in storage.conn.scan_iter(f"huey.*{storage.name}*"):
        storage.conn.delete(key)
