"""The durable storages: a taken job stays in flight until acknowledged, and a dead owner's jobs come back."""
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from jobs.storage import DurableSqliteStorage, new_owner, owner_is_dead


@pytest.fixture(params=["sqlite", "redis"])
def storage(request, tmp_path):
    """Each storage the queue can use, empty."""
    if request.param == "sqlite":
        yield DurableSqliteStorage("t", filename=str(tmp_path / "q.sqlite3"))
    else:
        yield request.getfixturevalue("redis_storage")


def _dead_owner() -> str:
    """The owner name of a process of this host that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{new_owner().split(':')[0]}:{child.pid}:deadbeef"


def test_a_taken_job_stays_in_flight_until_acknowledged(storage):
    storage.enqueue(b"job-1")
    data, token = storage.take("me:1:a")
    assert data == b"job-1"
    assert storage.queue_size() == 0 and storage.inflight_count() == 1
    storage.ack("me:1:a", token)
    assert storage.inflight_count() == 0 and storage.take("me:1:a") is None


def test_the_jobs_of_an_exited_process_go_back_to_the_front_of_the_queue(storage):
    storage.enqueue(b"first")
    storage.enqueue(b"second")
    owner = _dead_owner()
    storage.beat(owner, lease=600)  # a fresh heartbeat: only the exited process tells it is dead
    storage.take(owner)
    assert storage.reclaim(lease=600) == 1
    assert storage.inflight_count() == 0
    assert storage.take("me:2:b")[0] == b"first"


def test_a_live_owner_keeps_its_jobs(storage):
    owner = new_owner()  # this very process
    storage.beat(owner, lease=600)
    storage.enqueue(b"mine")
    storage.take(owner)
    assert storage.reclaim(lease=600) == 0 and storage.inflight_count() == 1


def test_an_owner_on_another_machine_loses_its_jobs_when_its_heartbeat_is_older_than_the_lease(storage):
    owner = "other-host:123:abcd"
    storage.beat(owner, lease=1)
    storage.enqueue(b"remote")
    storage.take(owner)
    assert storage.reclaim(lease=1) == 0  # still beating
    time.sleep(2.1)
    assert storage.reclaim(lease=1) == 1
    assert storage.take("me:3:c")[0] == b"remote"


def test_due_retries_move_to_the_queue_and_later_ones_wait(storage):
    now = datetime(2026, 11, 10, 12, 0)
    storage.add_to_schedule(b"due", now - timedelta(seconds=1))
    storage.add_to_schedule(b"later", now + timedelta(minutes=5))
    assert storage.read_schedule(now) == []  # moved, not handed out
    assert storage.queue_size() == 1 and storage.schedule_size() == 1
    assert storage.take("me:4:d")[0] == b"due"


def test_owner_is_dead_reads_the_lease_for_silent_owners():
    assert owner_is_dead("elsewhere:1:x", seen_at=100.0, lease=60, now=161.0)
    assert not owner_is_dead("elsewhere:1:x", seen_at=100.0, lease=60, now=159.0)
    assert owner_is_dead("elsewhere:1:x", seen_at=None, lease=60)
