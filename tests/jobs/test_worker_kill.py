"""A worker killed with SIGKILL in the middle of a job: after a restart the job runs, on SQLite and on Redis."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs.storage import DurableRedisStorage, DurableSqliteStorage
from tests.jobs import sample_tasks
from tests.jobs.conftest import queue_on
from tests.serving import ROOT

pytestmark = pytest.mark.live


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    """`flask --app app jobs worker`, as deploy/cunwu-worker.service runs it."""
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "1"],
                            cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)


def _wait_for(path: Path, line: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    """Poll the task's output until `line` appears; fail with the worker's log if it does not."""
    deadline = time.time() + seconds
    while not (path.exists() and line in path.read_text().splitlines()):
        if process.poll() is not None or time.time() > deadline:
            pytest.fail(f"worker never wrote {line!r} (exit {process.poll()}):\n{log.read_text()}")
        time.sleep(0.05)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_job_whose_worker_was_killed_runs_after_the_restart(backend, tmp_path, app, request):
    env = dict(os.environ, SECRET_KEY="worker-test-secret", DATABASE_URL=f"sqlite:///{tmp_path / 'app.sqlite3'}",
               JOBS_IMMEDIATE="0", JOBS_TASK_MODULES="tests.jobs.sample_tasks", PYTHONDONTWRITEBYTECODE="1")
    env.pop("TEST_DATABASE_URL", None)
    if backend == "sqlite":
        env["JOBS_SQLITE_PATH"] = str(tmp_path / "jobs.sqlite3")
        factory = lambda: DurableSqliteStorage("cunwu", filename=env["JOBS_SQLITE_PATH"])  # noqa: E731
    else:
        env["JOBS_REDIS_URL"] = request.getfixturevalue("redis_url")
        factory = lambda: DurableRedisStorage("cunwu", url=env["JOBS_REDIS_URL"])  # noqa: E731
    out, log = tmp_path / "task.txt", tmp_path / "worker.log"
    with app.app_context(), queue_on(factory) as storage:
        if backend == "redis":
            storage.conn.flushdb()
        sample_tasks.slow_write(str(out), "k", 5.0)  # long enough that a loaded machine still kills it mid-job
        first = _start_worker(env, log)
        try:
            _wait_for(out, "start k", first, log)
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            first.kill()
        assert out.read_text().splitlines() == ["start k"]
        assert storage.inflight_count() == 1  # not lost: still in the dead worker's hands
        second = _start_worker(env, log)
        try:
            _wait_for(out, "done k", second, log)
        finally:
            second.send_signal(signal.SIGINT)  # graceful stop
            second.wait(timeout=20)
        assert out.read_text().splitlines() == ["start k", "start k", "done k"]
        assert storage.inflight_count() == 0 and storage.queue_size() == 0
