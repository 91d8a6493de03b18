"""The one job queue: huey, built from configuration, and the decorators every area's tasks use.

Storage: one SQLite file in instance/ (JOBS_SQLITE_PATH; no server) by default, Redis when
JOBS_REDIS_URL is set (several app nodes, several workers). JOBS_IMMEDIATE runs each task in process
when it is queued (the tests do). Tasks are declared with `@task(...)` or `@periodic_task(...)`: each
run gets a fresh app context and its own writing unit of work (`own_transaction()`), committed when
the task returns, so a task may write even when queued from a reading page in immediate mode.

Rules for tasks: arguments are ids and kinds, never texts, phones or names (a failed job's record
keeps them); a task may run twice (a worker killed mid-job runs it again), so it checks state before
acting; a task that calls an outside service commits its reads first (`db.session.commit()`) so no
database lock is held across the network. Request code queues with `enqueue_after_commit()`, so a
rolled-back request queues nothing and the worker never runs before the rows it needs exist.
"""
import functools
import logging
import threading

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session
from huey import Huey
from huey.exceptions import CancelExecution
from huey.storage import MemoryStorage

from jobs.storage import DurableRedisStorage, DurableSqliteStorage, new_owner

log = logging.getLogger(__name__)

# Modules whose import registers tasks; the worker imports them all before it starts.
TASK_MODULES = ("points.tasks", "notify.tasks", "privacy.tasks", "citizen.triage.tasks")
LABELS: dict[str, str] = {}  # task name -> what township staff read on the failed-jobs page
SCOPES: dict = {}  # task name -> function(args) giving the township a failure concerns (None: every one)


class NoRetry(Exception):
    """A failure another try cannot fix (a refused template, a bad number): the job is listed at once."""


class DurableHuey(Huey):
    """huey with lazily built storage (no file or connection at import) and acknowledged jobs."""

    def __init__(self, name: str):
        self._storage = None
        self._factory = lambda: MemoryStorage(name)
        self._local = threading.local()
        self.owner = new_owner()
        self.app: Flask | None = None
        super().__init__(name, results=False, utc=True, storage_class=MemoryStorage)

    @property
    def storage(self):
        """The configured storage, built on first use."""
        if self._storage is None:
            self._storage = self._factory()
        return self._storage

    @storage.setter
    def storage(self, value) -> None:
        self._storage = value

    def configure(self, factory, immediate: bool) -> None:
        """Point the queue at a storage (built later, on first use) and choose in-process execution."""
        self._storage, self._factory, self._immediate = None, factory, immediate

    def dequeue(self):
        """Take the next job into this process's in-flight list; the lease rides on the task object."""
        taken = self.storage.take(self.owner)
        if taken is None:
            return None
        data, token = taken
        task = self.deserialize_task(data)
        task.lease = token
        return task

    def execute(self, task, timestamp=None):
        """Run a task, then acknowledge it, unless the run was interrupted (it goes back after restart)."""
        self._local.interrupted = False
        try:
            return super().execute(task, timestamp)
        finally:
            lease = getattr(task, "lease", None)
            if lease is not None and not self._local.interrupted:
                self.storage.ack(self.owner, lease)

    def _requeue_task(self, task, timestamp, retry_eta=None):
        """In immediate mode nothing would ever run a scheduled retry: the failure is recorded instead."""
        if not self.immediate:
            super()._requeue_task(task, timestamp, retry_eta)


huey = DurableHuey("cunwu")


@huey.signal("interrupted")
def _interrupted(signal, task, *args) -> None:
    """A task stopped by shutdown stays in flight, so the next worker runs it again."""
    huey._local.interrupted = True


@huey.pre_execute()
def _before_run(task) -> None:
    """Note the retries left as this try starts (a NoRetry zeroes them before the count is read)."""
    task.retries_at_start = task.retries


@huey.post_execute()
def _after_run(task, value, exception) -> None:
    """Every failed try is logged; the last one (no retries left) goes to the failed-jobs list."""
    if exception is None:
        return
    if isinstance(exception, CancelExecution) and exception.__cause__ is not None:
        exception = exception.__cause__  # a NoRetry raised by the task: show what it said
    final = huey.immediate or not task.retries
    tries = task.default_retries - getattr(task, "retries_at_start", task.retries) + 1
    log.warning("job %s failed (try %d%s): %s", task_key(task), tries, "" if final else ", will retry",
                type(exception).__name__)
    if final:
        from jobs.failures import record_failure

        with _app().app_context():
            record_failure(task, tries, exception)


def task_key(task) -> str:
    """A task's registered name, module included (points.tasks.pay_anonymous_claims)."""
    return huey._registry.task_to_string(type(task))


def storage_factory(config: dict):
    """A function building the storage the configuration asks for."""
    if config.get("JOBS_IMMEDIATE"):
        return lambda: MemoryStorage(huey.name)
    if config.get("JOBS_REDIS_URL"):
        return lambda: DurableRedisStorage(huey.name, url=config["JOBS_REDIS_URL"])
    return lambda: DurableSqliteStorage(huey.name, filename=config["JOBS_SQLITE_PATH"])


def init_app(app: Flask) -> None:
    """Configure the queue from the app's settings; nothing is opened until a job is queued or taken."""
    from importlib import import_module

    from jobs.scrubbing import scrub_huey_logs

    huey.configure(storage_factory(app.config), bool(app.config.get("JOBS_IMMEDIATE")))
    scrub_huey_logs(app.config)
    huey.app = app
    app.extensions["jobs"] = huey
    extra = [name.strip() for name in app.config.get("JOBS_TASK_MODULES", "").split(",") if name.strip()]
    for name in (*TASK_MODULES, *extra):
        import_module(name)


def _app() -> Flask:
    """The app tasks run in: the current one, else the one the worker configured."""
    if has_app_context():
        return current_app._get_current_object()
    if huey.app is None:
        raise RuntimeError("the job queue has no app: call jobs.queue.init_app(app) first")
    return huey.app


def _in_app(fn):
    """Run `fn` in a fresh app context and its own writing unit of work, committed when it returns."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        from transactions import own_transaction

        try:
            with _app().app_context(), own_transaction():
                return fn(*args, **kwargs)
        except NoRetry as exc:
            raise CancelExecution(retry=False) from exc

    return run


def task(label: str, retries: int = 5, retry_delay: float = 30, retry_backoff: float = 2.0, scope=None, **options):
    """Declare a job: `label` is its Chinese name; failures retry after 30 s, 60 s, 120 s, … then are listed."""

    def declare(fn):
        name = f"{fn.__module__}.{fn.__name__}"
        LABELS[name], SCOPES[name] = label, scope
        return huey.task(retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff,
                         **options)(_in_app(fn))

    return declare


def periodic_task(label: str, when, retries: int = 3, retry_delay: float = 60, retry_backoff: float = 2.0,
                  **options):
    """Declare a job the worker queues on a schedule (`when`: a huey crontab); the worker's scheduler runs it."""

    def declare(fn):
        name = f"{fn.__module__}.{fn.__name__}"
        LABELS[name], SCOPES[name] = label, None
        return huey.periodic_task(when, retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff,
                                  **options)(_in_app(fn))

    return declare


def enqueue_after_commit(job, *args, **kwargs) -> None:
    """Queue `job(*args)` once the current database transaction commits; a rollback drops it."""
    from extensions import db

    db.session.info.setdefault("jobs_after_commit", []).append((job, args, kwargs))


def _enqueue_committed(session) -> None:
    """After a commit, queue what the transaction asked for."""
    for job, args, kwargs in session.info.pop("jobs_after_commit", []):
        job(*args, **kwargs)


def _drop_rolled_back(session, previous_transaction) -> None:
    """After the whole transaction rolls back (not a savepoint inside it), forget what it asked for."""
    if previous_transaction.parent is None:
        session.info.pop("jobs_after_commit", None)


sa.event.listen(Session, "after_commit", _enqueue_committed)
sa.event.listen(Session, "after_soft_rollback", _drop_rolled_back)
