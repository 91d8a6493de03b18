"""Job throughput of the worker on SQLite and on Redis storage: queue N no-op jobs, time until all ran.

    /work/main/.venv/bin/python bench/bench_jobs.py            (BENCH_JOBS=2000, BENCH_WORKERS=2)
    BENCH_REDIS_URL=redis://127.0.0.1:6379/9 ... to use a running Redis; otherwise redis-server is started

A real `flask jobs worker` process runs them (threads as given); this process queues them through
the app's queue. Each job runs the way every task does: a fresh app context and its own unit of
work; the no-op task itself does nothing, so the figures are the queue's own cost per job.

Measured 2026-12-02 on the shared 2-core build machine (load ≈ 2 from other jobs), 2,000 jobs:
  2 worker threads: SQLite  769 jobs/s (queued 1,664/s) · Redis 2,392 jobs/s (queued 5,291/s)
  4 worker threads: SQLite 1,258 jobs/s (queued 4,428/s) · Redis 2,160 jobs/s (queued 2,431/s)
Every job is taken into an in-flight list and acknowledged (two writes on SQLite, LMOVE + LREM on
Redis), which is what lets a killed worker's job run again. Runs vary by ±30 % here.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
JOBS, WORKERS = int(os.environ.get("BENCH_JOBS", 2000)), int(os.environ.get("BENCH_WORKERS", 2))


def _wait_empty(storage, deadline: float) -> None:
    while storage.queue_size() or storage.inflight_count():
        if time.time() > deadline:
            raise SystemExit("the worker did not finish in time")
        time.sleep(0.02)


def run(backend: str, env: dict, factory) -> None:
    """One measurement: start a worker, queue JOBS jobs, wait until none is left."""
    from app import create_app
    from bench import jobs_tasks
    from jobs.queue import huey

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "bench"})
    with app.app_context():
        huey.configure(factory, immediate=False)
        storage = huey.storage
        if backend == "redis":
            storage.conn.flushdb()
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker",
                                   "--workers", str(WORKERS), "--no-periodic"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            jobs_tasks.noop(0)  # wait for the worker to be up
            _wait_empty(storage, time.time() + 60)
            start = time.perf_counter()
            for n in range(JOBS):
                jobs_tasks.noop(n)
            queued = time.perf_counter()
            _wait_empty(storage, time.time() + 600)
            done = time.perf_counter()
        finally:
            worker.send_signal(2)
            worker.wait(timeout=30)
    print(f"{backend:7s} {JOBS} jobs, {WORKERS} worker threads: queued {JOBS / (queued - start):7.0f}/s, "
          f"all run in {done - start:5.2f} s = {JOBS / (done - start):6.0f} jobs/s")


def main() -> None:
    """SQLite, then Redis."""
    from jobs.storage import DurableRedisStorage, DurableSqliteStorage

    folder = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    env = dict(os.environ, SECRET_KEY="bench", DATABASE_URL=f"sqlite:///{folder / 'app.sqlite3'}", JOBS_IMMEDIATE="0",
               JOBS_TASK_MODULES="bench.jobs_tasks", JOBS_SQLITE_PATH=str(folder / "jobs.sqlite3"))
    env.pop("JOBS_REDIS_URL", None)
    run("sqlite", env, lambda: DurableSqliteStorage("cunwu", filename=env["JOBS_SQLITE_PATH"]))
    redis_url, server = os.environ.get("BENCH_REDIS_URL"), None
    if not redis_url:
        if not shutil.which("redis-server"):
            print("redis: skipped (no redis-server; scripts/system-packages redis)")
            return
        server = subprocess.Popen(["redis-server", "--port", "6391", "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        redis_url = "redis://127.0.0.1:6391/0"
    try:
        run("redis", dict(env, JOBS_REDIS_URL=redis_url), lambda: DurableRedisStorage("cunwu", url=redis_url))
    finally:
        if server:
            server.terminate()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
