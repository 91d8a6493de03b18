"""Tasks the job tests queue: they remember runs, fail on demand, take their time, or write a row."""
import time
from collections import Counter
from pathlib import Path

from jobs.queue import NoRetry, task

RUNS: list = []
ATTEMPTS: Counter = Counter()


@task("测试：记录一次运行", retries=0)
def remember(key: str) -> None:
    """Note that the job ran."""
    RUNS.append(key)


@task("测试：先失败几次", retries=2, retry_delay=10, retry_backoff=2)
def flaky(key: str, failures: int) -> None:
    """Fail the first `failures` tries with an error that carries a secret and a phone, then succeed."""
    ATTEMPTS[key] += 1
    if ATTEMPTS[key] <= failures:
        raise ConnectionError(f"receiver down: access_token=tok-SECRET-123 for 13912345678 (try {ATTEMPTS[key]})")
    RUNS.append(key)


@task("测试：慢任务", retries=0)
def slow_write(path: str, key: str, seconds: float) -> None:
    """Write "start", wait, write "done": a worker killed in between leaves only the start."""
    log = Path(path)
    with log.open("a") as out:
        out.write(f"start {key}\n")
    time.sleep(seconds)
    with log.open("a") as out:
        out.write(f"done {key}\n")


@task("测试：写一行", retries=0)
def add_township(slug: str) -> None:
    """Create a township row (a job writes in its own unit of work)."""
    from accounts.models import Township
    from extensions import db

    db.session.add(Township(name=f"测试镇{slug}", slug=slug))


@task("测试：不必重试", retries=5, retry_delay=10)
def hopeless(key: str) -> None:
    """Fail in a way another try cannot fix."""
    ATTEMPTS[key] += 1
    raise NoRetry("template SMS_1 was refused by the provider")
