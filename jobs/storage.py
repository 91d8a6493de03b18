"""Queue storages that survive a killed worker: a job that was taken stays "in flight" until it is acknowledged.

huey's own storages delete a job when a worker takes it, so a worker killed mid-job (SIGKILL, a power
cut, the OOM killer) loses that job. Here taking a job moves it, in one step, into an in-flight list
owned by the worker process; the worker acknowledges it once huey is done with it (done, failed for
good, or put back for a retry). Each worker writes a heartbeat; any worker gives the in-flight jobs of
a dead owner back to the queue: at once when the owner was a process on this machine that no longer
exists, otherwise when its heartbeat is older than the lease. So a job runs at least once, and tasks
must be idempotent. Due scheduled jobs (retries with back-off) also move to the queue in one step.
"""
import os
import socket
import time
import uuid

from huey.storage import RedisStorage, SqliteStorage

# Moves every job of the schedule whose time has come to the queue, atomically (KEYS: schedule, queue).
_MOVE_DUE_LUA = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], 0, ARGV[1])
for i, item in ipairs(due) do
  redis.call('ZREM', KEYS[1], item)
  redis.call('LPUSH', KEYS[2], item)
end
return #due
"""


def new_owner() -> str:
    """A name for this worker process: host, pid and a nonce (a reused pid is not the same owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_is_dead(owner: str, seen_at: float | None, lease: float, now: float | None = None) -> bool:
    """Gone for sure (a process of this host that no longer exists) or silent for longer than the lease."""
    now = time.time() if now is None else now
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # exists, owned by someone else
    return seen_at is None or now - seen_at > lease


class DurableSqliteStorage(SqliteStorage):
    """SqliteHuey's one-file storage, with in-flight jobs and worker heartbeats in two more tables."""

    ddl = SqliteStorage.ddl + [
        "create table if not exists inflight (id integer not null primary key, queue text not null, "
        "owner text not null, data blob not null, priority real not null default 0.0, taken_at real not null)",
        "create table if not exists beat (queue text not null, owner text not null, seen_at real not null, "
        "primary key (queue, owner))",
    ]

    def take(self, owner: str):
        """Move the next job to `owner`'s in-flight list; (data, token) or None when the queue is empty."""
        if not self.sql("select 1 from task where queue = ? limit 1", (self.name,), results=True):
            return None
        with self.db(commit=True) as curs:
            curs.execute("select id, data, priority from task where queue = ? order by priority desc, id limit 1",
                         (self.name,))
            row = curs.fetchone()
            if row is None:
                return None
            curs.execute("delete from task where id = ?", (row[0],))
            curs.execute("insert into inflight (queue, owner, data, priority, taken_at) values (?, ?, ?, ?, ?)",
                         (self.name, owner, row[1], row[2], time.time()))
            return bytes(row[1]), curs.lastrowid

    def ack(self, owner: str, token) -> None:
        """Forget an in-flight job: huey has finished with it."""
        self.sql("delete from inflight where id = ?", (token,), commit=True)

    def beat(self, owner: str, lease: float) -> None:
        """Record that `owner` is alive now."""
        self.sql("insert or replace into beat (queue, owner, seen_at) values (?, ?, ?)",
                 (self.name, owner, time.time()), commit=True)

    def forget(self, owner: str) -> None:
        """A worker stopping cleanly removes its heartbeat (its in-flight list is empty by then)."""
        self.sql("delete from beat where queue = ? and owner = ?", (self.name, owner), commit=True)

    def reclaim(self, lease: float) -> int:
        """Give the in-flight jobs of dead owners back to the queue, at its front; returns how many."""
        with self.db(commit=True) as curs:
            curs.execute("select distinct i.owner, b.seen_at from inflight i left join beat b "
                         "on b.queue = i.queue and b.owner = i.owner where i.queue = ?", (self.name,))
            dead = [owner for owner, seen_at in curs.fetchall() if owner_is_dead(owner, seen_at, lease)]
            moved = 0
            for owner in dead:
                # A higher priority puts a reclaimed job ahead of the ones queued after it.
                curs.execute("insert into task (queue, data, priority) select queue, data, priority + 1 "
                             "from inflight where queue = ? and owner = ? order by id", (self.name, owner))
                moved += curs.rowcount
                curs.execute("delete from inflight where queue = ? and owner = ?", (self.name, owner))
                curs.execute("delete from beat where queue = ? and owner = ?", (self.name, owner))
            return moved

    def inflight_count(self) -> int:
        """How many jobs workers have taken and not yet finished."""
        return self.sql("select count(*) from inflight where queue = ?", (self.name,), results=True)[0][0]

    def read_schedule(self, ts) -> list:
        """Move the due scheduled jobs to the queue in one transaction (nothing is lost in between)."""
        unix_ts = ts.timestamp()  # as huey's add_to_schedule stores it
        with self.db(commit=True) as curs:
            curs.execute("insert into task (queue, data, priority) select queue, data, 0 from schedule "
                         "where queue = ? and timestamp <= ? order by timestamp, id", (self.name, unix_ts))
            curs.execute("delete from schedule where queue = ? and timestamp <= ?", (self.name, unix_ts))
        return []


class DurableRedisStorage(RedisStorage):
    """RedisHuey's storage, with an in-flight list per worker (LMOVE) and heartbeats that expire."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners_key = f"huey.owners.{self.name}"
        self._move_due = self.conn.register_script(_MOVE_DUE_LUA)

    def _inflight_key(self, owner: str) -> str:
        return f"huey.inflight.{self.name}.{owner}"

    def _beat_key(self, owner: str) -> str:
        return f"huey.beat.{self.name}.{owner}"

    def take(self, owner: str):
        """Move the next job to `owner`'s in-flight list (waiting up to read_timeout); (data, token) or None."""
        self.conn.sadd(self.owners_key, owner)
        inflight = self._inflight_key(owner)
        if self.blocking:
            data = self.conn.blmove(self.queue_key, inflight, self.read_timeout, "RIGHT", "LEFT")
        else:
            data = self.conn.lmove(self.queue_key, inflight, "RIGHT", "LEFT")
        return None if data is None else (data, data)

    def ack(self, owner: str, token) -> None:
        """Forget an in-flight job: huey has finished with it."""
        self.conn.lrem(self._inflight_key(owner), 1, token)

    def beat(self, owner: str, lease: float) -> None:
        """Record that `owner` is alive; the key expires by itself after the lease."""
        self.conn.sadd(self.owners_key, owner)
        self.conn.set(self._beat_key(owner), repr(time.time()), ex=max(1, int(lease)))

    def forget(self, owner: str) -> None:
        """A worker stopping cleanly removes its heartbeat and its name."""
        self.conn.delete(self._beat_key(owner))
        if not self.conn.llen(self._inflight_key(owner)):
            self.conn.srem(self.owners_key, owner)

    def reclaim(self, lease: float) -> int:
        """Give the in-flight jobs of dead owners back to the front of the queue; returns how many."""
        moved = 0
        for raw in self.conn.smembers(self.owners_key):
            owner = raw.decode()
            seen = self.conn.get(self._beat_key(owner))
            if not owner_is_dead(owner, float(seen) if seen else None, lease):
                continue
            inflight = self._inflight_key(owner)
            while self.conn.lmove(inflight, self.queue_key, "RIGHT", "RIGHT") is not None:
                moved += 1
            self.conn.delete(self._beat_key(owner))
            self.conn.srem(self.owners_key, owner)
        return moved

    def inflight_count(self) -> int:
        """How many jobs workers have taken and not yet finished."""
        return sum(self.conn.llen(self._inflight_key(raw.decode())) for raw in self.conn.smembers(self.owners_key))

    def read_schedule(self, ts) -> list:
        """Move the due scheduled jobs to the queue atomically (a Lua script), so none is lost in between."""
        self._move_due(keys=[self.schedule_key, self.queue_key], args=[self.convert_ts(ts)])
        return []
