"""The queue: retries with growing delays, a visible failed list, after-commit queueing, tasks that write."""
from datetime import timedelta

import sqlalchemy as sa

from accounts.models import Township
from jobs.scrubbing import scrub
from jobs.models import FailedJob
from jobs.queue import enqueue_after_commit, huey
from tests.jobs import sample_tasks
from tests.jobs.conftest import run_due
from transactions import _READING


def _scheduled_etas(storage) -> list:
    return sorted(huey.deserialize_task(item).eta for item in storage.scheduled_items())


def test_a_failing_job_retries_with_doubling_delays_then_succeeds(sqlite_queue, session):
    sample_tasks.flaky("k", failures=2)
    start = huey._get_timestamp()
    assert run_due(start) == 1
    first = _scheduled_etas(sqlite_queue)
    assert len(first) == 1 and timedelta(seconds=9) < first[0] - start <= timedelta(seconds=11)
    before = huey._get_timestamp()  # huey dates a retry from the moment the try failed
    assert run_due(first[0]) == 1  # the second try fails too, and waits twice as long
    second = _scheduled_etas(sqlite_queue)
    assert timedelta(seconds=19) < second[0] - before <= timedelta(seconds=21)
    assert run_due(second[0]) == 1
    assert sample_tasks.RUNS == ["k"] and sqlite_queue.schedule_size() == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(FailedJob)) == 0
    assert sqlite_queue.inflight_count() == 0


def test_a_job_out_of_retries_lands_in_the_failed_list_with_a_scrubbed_error(sqlite_queue, session, app):
    sample_tasks.flaky("k", failures=9)
    now = huey._get_timestamp()
    for _ in range(3):
        run_due(now)
        now += timedelta(minutes=5)
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert failure.task == "tests.jobs.sample_tasks.flaky" and failure.label == "测试：先失败几次"
    assert failure.tries == 3 and failure.status == "failed" and failure.township_id is None
    assert failure.error.startswith("ConnectionError: receiver down")
    assert "tok-SECRET-123" not in failure.error and "13912345678" not in failure.error
    assert sqlite_queue.schedule_size() == 0 and sqlite_queue.inflight_count() == 0


def test_a_failure_no_try_can_fix_is_listed_at_once_without_retries(sqlite_queue, session):
    sample_tasks.hopeless("h")
    run_due()
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert sample_tasks.ATTEMPTS["h"] == 1 and sqlite_queue.schedule_size() == 0
    assert failure.tries == 1 and failure.error == "NoRetry: template SMS_1 was refused by the provider"


def test_in_immediate_mode_a_failure_is_recorded_at_once_and_not_lost_in_a_schedule(app_ctx, session):
    assert huey.immediate
    sample_tasks.flaky("now", failures=9)  # huey catches the error; the list shows it
    failure = session.execute(sa.select(FailedJob)).scalar_one()
    assert failure.tries == 1 and sample_tasks.ATTEMPTS["now"] == 1


def test_a_job_queued_after_commit_runs_only_when_the_transaction_commits(app_ctx, session):
    enqueue_after_commit(sample_tasks.remember, "committed")
    assert sample_tasks.RUNS == []
    session.commit()
    assert sample_tasks.RUNS == ["committed"]


def test_a_rolled_back_transaction_queues_nothing(app_ctx, session):
    session.add(Township(name="回滚镇", slug="rollback-town"))
    session.flush()
    enqueue_after_commit(sample_tasks.remember, "rolled back")
    session.rollback()
    session.commit()
    assert sample_tasks.RUNS == []


def test_a_rolled_back_savepoint_keeps_what_the_transaction_queued(app_ctx, session):
    enqueue_after_commit(sample_tasks.remember, "kept")
    with session.begin_nested() as inner:
        session.add(Township(name="回滚镇", slug="rollback-town"))
        inner.rollback()
    session.commit()
    assert sample_tasks.RUNS == ["kept"]


def test_a_task_queued_from_a_reading_request_writes_in_its_own_unit_of_work(app, session):
    with app.test_request_context("/v/hexi", method="GET") as ctx:
        ctx.request.environ[_READING] = True
        sample_tasks.add_township("from-a-read")
    assert session.execute(sa.select(Township).filter_by(slug="from-a-read")).scalar_one()


def test_scrub_masks_credentials_phones_openids_and_configured_secrets():
    text = ("GET /cgi-bin/token?appid=wx1&secret=s3cr3t-value failed; redis://:pw@10.0.0.1:6379 "
            "user oABCDEFGHIJKLMNOPQRSTUVWXYZa phone +8613800001111 key sk-live-9")
    clean = scrub(text, secrets=("sk-live-9",))
    for leaked in ("s3cr3t-value", ":pw@", "oABCDEFGHIJKLMNOPQRSTUVWXYZa", "13800001111", "sk-live-9"):
        assert leaked not in clean
    assert len(scrub("x" * 1000)) == 300


def test_huey_logs_a_failing_task_without_its_secrets_or_phones(sqlite_queue, session, caplog, monkeypatch):
    import logging

    # Alembic's fileConfig (the migration test) disables loggers that existed before it: undo that here.
    monkeypatch.setattr(logging.getLogger("huey"), "disabled", False)
    sample_tasks.flaky("logged", failures=1)
    with caplog.at_level("INFO", logger="huey"):
        run_due()
    text = caplog.text
    assert "Unhandled exception" in text and "ConnectionError" in text  # the traceback is still there
    assert "tok-SECRET-123" not in text and "13912345678" not in text
