"""What a reading page hands off instead of writing: daily counters, and idempotent writes that can wait.

A count is never worth a failed or slow page, and a named record written while a villager reads
could be matched to an anonymous report they file a moment later. So a page only adds to this
process's buffer:
- `bump()` a daily counter (disclosure views, code scans): aggregates, a row per thing and day;
- `defer()` an idempotent call (a finance-read earn), done once however often it was deferred.
After a request, what has gathered is written in its own transaction with a short wait for the write
lock: counts every `COUNTER_FLUSH_SECONDS`, deferred calls every `DEFERRED_WRITE_SECONDS` (minutes in
production, so that one batch holds many villagers' reads and none is timed by its page). When the lock
is busy, everything stays in the buffer for the next try. A crash loses what was buffered: a few
counts, or a reading point granted at the next read; a report or a transfer is never in here.
"""
import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from errors import DomainError
from extensions import db
from transactions import own_transaction

log = logging.getLogger(__name__)
LOCK_WAIT_MS = 250  # a flush that cannot get the write lock this fast tries again later


class Buffer:
    """One process's pending counts {(model, column, key items): n} and calls {(fn, args)} for one app."""

    def __init__(self, app: Flask):
        self.app = app
        self.counts: Counter = Counter()
        self.calls: set[tuple[Callable, tuple]] = set()
        self.lock = threading.Lock()
        self.flushing = threading.Lock()
        self.counts_flushed = self.calls_flushed = time.monotonic()


def init_app(app: Flask) -> None:
    """Give the app its buffer, flush after requests, and flush what is left when the process exits."""
    buffer = app.extensions["counters"] = Buffer(app)
    app.after_request(_after_request)
    atexit.register(_flush_at_exit, buffer)


def bump(model, column: str, **key) -> None:
    """Add one to `model.column` of the row identified by `key` (created on its first count)."""
    buffer: Buffer = current_app.extensions["counters"]
    with buffer.lock:
        buffer.counts[(model, column, tuple(sorted(key.items())))] += 1


def defer(fn: Callable, *args) -> None:
    """Call `fn(*args)` later, in a batch with other deferred calls; the same call deferred twice runs once.

    `fn` must be idempotent and take plain values (ids, strings), not objects of the page's session.
    """
    buffer: Buffer = current_app.extensions["counters"]
    with buffer.lock:
        buffer.calls.add((fn, args))


def flush(buffer: Buffer | None = None, *, calls: bool = True) -> int:
    """Write the buffered counts (and deferred calls) now; returns how many items were written (0 when busy)."""
    buffer = buffer or current_app.extensions["counters"]
    if not buffer.flushing.acquire(blocking=False):
        return 0  # another thread of this process is writing them
    try:
        with buffer.lock:
            counts, buffer.counts = buffer.counts, Counter()
            taken_calls, buffer.calls = (buffer.calls, set()) if calls else (set(), buffer.calls)
            buffer.counts_flushed = time.monotonic()
            if calls:
                buffer.calls_flushed = buffer.counts_flushed
        if not counts and not taken_calls:
            return 0
        try:
            with buffer.app.app_context(), own_transaction(wait_ms=LOCK_WAIT_MS):
                for (model, column, key), n in counts.items():
                    _add(model, column, dict(key), n)
                for fn, args in taken_calls:
                    _call(fn, args)
        except SQLAlchemyError as exc:
            with buffer.lock:
                buffer.counts.update(counts)  # keep them for the next flush
                buffer.calls |= taken_calls
            log.warning("buffered writes not done this time (%s); kept for the next flush", type(exc).__name__)
            return 0
        return len(counts) + len(taken_calls)
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


def _call(fn: Callable, args: tuple) -> None:
    """One deferred call in a savepoint: a refusal (an account gone, a cap) drops it without harming the batch."""
    try:
        with db.session.begin_nested():
            fn(*args)
    except (DomainError, IntegrityError) as exc:
        log.info("deferred %s not done: %s", getattr(fn, "__name__", "call"), type(exc).__name__)


def _after_request(response):
    """Flush what is due: counts after COUNTER_FLUSH_SECONDS, calls after DEFERRED_WRITE_SECONDS (0 in tests)."""
    buffer: Buffer = current_app.extensions["counters"]
    now, config = time.monotonic(), current_app.config
    calls_due = buffer.calls and now - buffer.calls_flushed >= config["DEFERRED_WRITE_SECONDS"]
    if calls_due or (buffer.counts and now - buffer.counts_flushed >= config["COUNTER_FLUSH_SECONDS"]):
        flush(buffer, calls=bool(calls_due))
    return response


def _flush_at_exit(buffer: Buffer) -> None:
    """A worker that stops cleanly writes what it still holds."""
    try:
        flush(buffer)
    except Exception:  # the database may already be gone at exit; a count is not worth a traceback
        log.warning("buffered writes not done at exit")
