"""How every unit of work takes its database transaction: the write discipline, in one place.

A request with a safe method (GET, HEAD, OPTIONS) only reads. On SQLite its transaction is deferred,
so under WAL any number of them run beside a writer and never fail because of it. Everything else
will write: a POST, PUT, PATCH or DELETE request, a command, a job, or a block run under
`own_transaction()`. On SQLite such a unit takes the write lock when it begins (`BEGIN IMMEDIATE`),
so the busy timeout queues it behind the writer ahead of it; a deferred transaction that read first
could not wait for the lock and would fail at once ("database is locked"). On PostgreSQL every
transaction begins plainly and row locks and conditional updates do the work; `lock_timeout` bounds
the wait as SQLite's busy timeout does.

A reading request that must still record something (a finance-read earn, a WeChat login) does it in
`own_transaction()`: its own session and transaction, committed at once, so the page's read stays
a read. Counters do not even do that much: they go through `counters`, which buffers them.
Writing inside a reading request's own transaction is a bug: tests fail on it, the demo logs it.
"""
import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request
from sqlalchemy.exc import OperationalError

from extensions import db

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_READING = "cunwu.reading"  # set in the WSGI environ of a request being served with a safe method

_intent: contextvars.ContextVar[bool | None] = contextvars.ContextVar("write_intent", default=None)
_wait_ms: contextvars.ContextVar[int | None] = contextvars.ContextVar("lock_wait_ms", default=None)


class WriteInReadRequest(RuntimeError):
    """A GET (or HEAD) tried to write in its own transaction; use own_transaction() or counters."""


def will_write() -> bool:
    """Whether the unit of work now running may write: anything but a request served with a safe method."""
    intent = _intent.get()
    if intent is not None:
        return intent
    if has_request_context():
        return not request.environ.get(_READING, False)
    return True  # commands, jobs and tests' own setup


@contextmanager
def own_transaction(wait_ms: int | None = None) -> Iterator[sa.orm.Session]:
    """A separate, short writing unit of work: its own session, committed at the end, rolled back on error.

    Used inside a reading request, it leaves the request's read transaction untouched. `wait_ms`
    bounds the wait for the write lock (counters use a short one; None means the busy timeout).
    Objects of the caller's session must not be added to it: pass ids or plain values.
    """
    app = current_app._get_current_object()
    intent, wait = _intent.set(True), _wait_ms.set(wait_ms)
    try:
        with app.app_context():
            try:
                yield db.session
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
    finally:
        _intent.reset(intent)
        _wait_ms.reset(wait)


def commit_keeping(*objects) -> None:
    """Commit, keeping these objects' loaded values for the answer instead of reloading them afterwards.

    They leave the session first, so the commit does not expire them: a view that answers with what it
    just wrote saves a SELECT per object. Only for objects the request wrote itself and reads no further.
    """
    for instance in objects:
        db.session.expunge(instance)
    db.session.commit()


def is_busy(exc: BaseException) -> bool:
    """True when a write gave up waiting for a lock (SQLite busy timeout, PostgreSQL lock_timeout)."""
    if not isinstance(exc, OperationalError):
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) == "55P03":  # lock_not_available
        return True
    text = str(original).lower()
    return "database is locked" in text or "database is busy" in text


def install(app: Flask) -> None:
    """Attach the discipline to the app's engine: how transactions begin, how long writers wait."""
    app.before_request(_mark_reading)
    with app.app_context():
        engine = db.engine
    busy_ms = int(app.config["DATABASE_BUSY_TIMEOUT_MS"])
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", partial(_sqlite_connect, busy_ms=busy_ms))
        sa.event.listen(engine, "begin", partial(_sqlite_begin, busy_ms=busy_ms))
    elif engine.dialect.name == "postgresql":
        sa.event.listen(engine, "connect", partial(_postgres_connect, busy_ms=busy_ms))
        sa.event.listen(engine, "begin", _postgres_begin)
    if app.testing:
        sa.event.listen(engine, "before_cursor_execute", _refuse_write_in_read)
    elif app.debug:
        sa.event.listen(engine, "before_cursor_execute", _report_write_in_read)


def _mark_reading() -> None:
    """Runs first for every request served: a safe method makes it a reading unit of work."""
    request.environ[_READING] = request.method in SAFE_METHODS


def _sqlite_connect(dbapi_connection, record, busy_ms: int) -> None:
    """WAL, fsync on commit, foreign keys; SQLAlchemy emits BEGIN itself so SAVEPOINT works."""
    dbapi_connection.isolation_level = None  # pysqlite's own BEGIN handling breaks SAVEPOINT
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", f"busy_timeout={busy_ms}", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
    record.info["wait_ms"] = busy_ms


def _sqlite_begin(connection, busy_ms: int) -> None:
    """A writing unit takes the write lock up front; a reading one begins deferred."""
    wait = _wait_ms.get() or busy_ms
    info = connection.connection.info
    if info.get("wait_ms") != wait:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait)}")
        info["wait_ms"] = wait
    connection.exec_driver_sql("BEGIN IMMEDIATE" if will_write() else "BEGIN")


def _postgres_connect(dbapi_connection, _record, busy_ms: int) -> None:
    """Writers wait for a row lock as long as SQLite's writers wait for theirs, then give up (503)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(busy_ms)}")
    dbapi_connection.commit()


def _postgres_begin(connection) -> None:
    """A unit asking for a short wait (counters) gets it for this transaction only."""
    wait = _wait_ms.get()
    if wait:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait)}")


def _refuse_write_in_read(connection, cursor, statement, parameters, context, executemany) -> None:
    """In tests, a reading request that writes in its own transaction is a bug: fail and say where."""
    if not will_write() and statement.lstrip()[:7].upper().startswith(_WRITES):
        raise WriteInReadRequest(_where(statement))


def _report_write_in_read(connection, cursor, statement, parameters, context, executemany) -> None:
    """In the demo (debug), the same bug is logged loudly but the page still works."""
    if not will_write() and statement.lstrip()[:7].upper().startswith(_WRITES):
        log.error("%s", _where(statement))


def _where(statement: str) -> str:
    """Which request wrote what, for the message: the endpoint, never the path (a case path holds its code)."""
    return (f"{request.method} {request.endpoint} wrote in its read transaction: use own_transaction() or "
            f"counters ({' '.join(statement.split(None, 3)[:3])})")
