"""Recording a job that failed for good, with its error text scrubbed, and what staff do about it."""
import json
import logging

import sqlalchemy as sa
from flask import current_app

import clock
from errors import Conflict, NotFound
from extensions import db
from jobs.models import FailedJob
from jobs.scrubbing import scrub, secrets_of

log = logging.getLogger(__name__)


def error_text(exception: BaseException) -> str:
    """What the failed-jobs page shows for an exception: its type and scrubbed message."""
    message = str(exception)
    return scrub(f"{type(exception).__name__}: {message}" if message else type(exception).__name__,
                 secrets_of(current_app.config))


def _args_json(task) -> str | None:
    """The task's arguments as JSON when they are plain values; None when they cannot be queued again."""
    try:
        return json.dumps({"args": list(task.args), "kwargs": task.kwargs}, ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def _township_of(task) -> int | None:
    """Which township a failure concerns, by the task's declared scope (None when undeclared or unknown)."""
    from jobs.queue import SCOPES, task_key

    scope = SCOPES.get(task_key(task))
    if scope is None:
        return None
    try:
        return scope(*task.args, **task.kwargs)
    except Exception:  # noqa: BLE001  (a scope that fails must not hide the failure itself)
        log.exception("scope of %s failed", type(task).__name__)
        return None


def record_failure(task, tries: int, exception: BaseException) -> None:
    """Add the job to the failed list in its own short write (called by the queue after the last try)."""
    from jobs.queue import LABELS, task_key
    from transactions import own_transaction

    name = task_key(task)
    with own_transaction() as session:
        session.add(FailedJob(task=name, label=LABELS.get(name, name)[:60],
                              township_id=_township_of(task), failed_at=clock.now(), tries=tries,
                              error=error_text(exception), args_json=_args_json(task), status="failed"))


def open_failures(township_id: int, limit: int = 100) -> list[FailedJob]:
    """The failures township staff must look at: their township's and the whole install's, newest first."""
    return list(db.session.execute(
        sa.select(FailedJob).where(FailedJob.status == "failed",
                                   sa.or_(FailedJob.township_id == township_id, FailedJob.township_id.is_(None)))
        .order_by(FailedJob.failed_at.desc(), FailedJob.id.desc()).limit(limit)).scalars())


def failure_for(township_id: int, failure_id: int) -> FailedJob:
    """One open failure the township may act on, or NotFound."""
    row = db.session.get(FailedJob, failure_id)
    if row is None or row.township_id not in (None, township_id):
        raise NotFound()
    return row


def retry_failure(row: FailedJob, user_id: int) -> None:
    """Queue the job again with fresh retries (after the commit) and mark the record as retried."""
    from jobs.queue import enqueue_after_commit, huey

    if row.status != "failed":
        raise Conflict("这条记录已经处理过了。", code="already_resolved")
    task_class = huey._registry._registry.get(row.task)
    if task_class is None or row.args_json is None:
        raise Conflict("这个任务不能重新排队，请标记为已处理。", code="not_retryable")
    call = json.loads(row.args_json)
    enqueue_after_commit(lambda: huey.enqueue(task_class(args=tuple(call["args"]), kwargs=call["kwargs"])))
    _resolve(row, "retried", user_id)


def dismiss_failure(row: FailedJob, user_id: int) -> None:
    """Mark a failure as dealt with by hand; it leaves the list."""
    if row.status != "failed":
        raise Conflict("这条记录已经处理过了。", code="already_resolved")
    _resolve(row, "dismissed", user_id)


def _resolve(row: FailedJob, status: str, user_id: int) -> None:
    """Close a record: who, when, how."""
    row.status, row.resolved_at, row.resolved_by_id = status, clock.now(), user_id
    db.session.flush()
