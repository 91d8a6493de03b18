"""Daily counters (disclosure views, code scans): gathered in memory, written now and then in their own short write.

A count is never worth a failed or slow page. `bump()` only adds to this process's buffer; after a
request, `flush_due()` writes what has gathered once `COUNTER_FLUSH_SECONDS` have passed, in its own
transaction with a short wait for the write lock. When the lock is busy the counts stay in the buffer
for the next try. A crash loses at most the last few seconds of counts; a report or a transfer is
never in here. Counts are aggregates (a row per thing and day): nobody's trace.
"""
import atexit
import logging
import threading
import time
from collections import Counter

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from extensions import db
from transactions import own_transaction

log = logging.getLogger(__name__)
LOCK_WAIT_MS = 250  # a flush that cannot get the write lock this fast tries again later


class Buffer:
    """One process's pending counts for one app: {(model, column, key items): n}."""

    def __init__(self, app: Flask):
        self.app = app
        self.pending: Counter = Counter()
        self.lock = threading.Lock()
        self.flushing = threading.Lock()
        self.last_flush = time.monotonic()


def init_app(app: Flask) -> None:
    """Give the app its buffer, flush after requests, and flush what is left when the process exits."""
    buffer = app.extensions["counters"] = Buffer(app)
    app.after_request(_after_request)
    atexit.register(_flush_at_exit, buffer)


def bump(model, column: str, **key) -> None:
    """Add one to `model.column` of the row identified by `key` (created on its first count)."""
    buffer: Buffer = current_app.extensions["counters"]
    with buffer.lock:
        buffer.pending[(model, column, tuple(sorted(key.items())))] += 1


def flush(buffer: Buffer | None = None) -> int:
    """Write the buffered counts now; returns how many rows were touched (0 when busy or empty)."""
    buffer = buffer or current_app.extensions["counters"]
    if not buffer.flushing.acquire(blocking=False):
        return 0  # another thread of this process is writing them
    try:
        with buffer.lock:
            taken, buffer.pending = buffer.pending, Counter()
            buffer.last_flush = time.monotonic()
        if not taken:
            return 0
        try:
            with buffer.app.app_context(), own_transaction(wait_ms=LOCK_WAIT_MS):
                for (model, column, key), n in taken.items():
                    _add(model, column, dict(key), n)
        except SQLAlchemyError as exc:
            with buffer.lock:
                buffer.pending.update(taken)  # keep them for the next flush
            log.warning("counters not written this time (%s); kept for the next flush", type(exc).__name__)
            return 0
        return len(taken)
    finally:
        buffer.flushing.release()


def _add(model, column: str, key: dict, n: int) -> None:
    """Add `n` to one counter row, inserting it on its first count (a racing insert turns into an update)."""
    where = [getattr(model, name) == value for name, value in key.items()]
    bump_row = sa.update(model).where(*where).values({column: getattr(model, column) + n})
    if db.session.execute(bump_row).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(sa.insert(model).values({**key, column: n}))
    except IntegrityError:  # another process inserted the row first
        db.session.execute(bump_row)


def _after_request(response):
    """Flush once the interval has passed (every request when it is 0, as in tests)."""
    buffer: Buffer = current_app.extensions["counters"]
    if buffer.pending and time.monotonic() - buffer.last_flush >= current_app.config["COUNTER_FLUSH_SECONDS"]:
        flush(buffer)
    return response


def _flush_at_exit(buffer: Buffer) -> None:
    """A worker that stops cleanly writes its last counts."""
    try:
        flush(buffer)
    except Exception:  # the database may already be gone at exit; a count is not worth a traceback
        log.warning("counters not written at exit")
