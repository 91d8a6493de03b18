"""The database half of a backup: a consistent snapshot and its restore, on SQLite or PostgreSQL.

SQLite is copied with its online backup API, which reads through the write-ahead log: copying the
file alone misses every transaction still in `-wal`. PostgreSQL goes through pg_dump's custom format
and pg_restore, from Debian's postgresql-client.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

from errors import DomainError
from extensions import db


class BackupError(DomainError):
    """A backup or restore that cannot go ahead; the message says what to do."""

    status = 409
    code = "backup_failed"


def dialect() -> str:
    """`sqlite` or `postgresql`."""
    return db.engine.dialect.name


def table_counts() -> dict[str, int]:
    """Rows in every table of the database, by name."""
    names = sorted(sa.inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        return {name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
                for name in names}


def is_empty() -> bool:
    """No rows anywhere, except perhaps the schema version of a fresh `flask db upgrade`."""
    return not any(count for name, count in table_counts().items() if name != "alembic_version")


def dump_to(target: Path) -> str:
    """Write a consistent snapshot of the database to `target`; return its member name in the archive."""
    if dialect() == "sqlite":
        raw = db.engine.raw_connection()
        try:
            copy = sqlite3.connect(target)
            try:
                raw.driver_connection.backup(copy)
            finally:
                copy.close()
        finally:
            raw.close()
        return "database.sqlite3"
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
    return "database.pgdump"


def restore_from(source: Path, member: str) -> None:
    """Load a snapshot made by dump_to into this (empty) database."""
    if dialect() == "sqlite":
        if member != "database.sqlite3":
            raise BackupError("这个备份来自 PostgreSQL，不能恢复到 SQLite。请把 DATABASE_URL 指向一个空的 PostgreSQL 数据库。")
        snapshot = sqlite3.connect(source)
        raw = db.engine.raw_connection()
        try:
            snapshot.backup(raw.driver_connection)
        finally:
            raw.close()
            snapshot.close()
    else:
        if member != "database.pgdump":
            raise BackupError("这个备份来自 SQLite，不能恢复到 PostgreSQL。请去掉 DATABASE_URL，恢复到 SQLite。")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", str(source)], dbname_flag="--dbname")
    db.engine.dispose()


def _run(command: list[str], dbname_flag: str = "--dbname") -> None:
    """Run a PostgreSQL client program against this database; the password goes by environment, not argv."""
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"找不到 {command[0]}：请先安装 PostgreSQL 客户端（apt-get install postgresql-client），"
                          "版本不低于数据库服务器。")
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([program, *command[1:], f"{dbname_flag}={target}"], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[-500:]}")
