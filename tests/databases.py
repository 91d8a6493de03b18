"""Fresh, empty databases for tests: a SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is set."""
import os
import uuid
from pathlib import Path

import sqlalchemy as sa

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def on_postgres() -> bool:
    """True when this run targets PostgreSQL."""
    return TEST_DATABASE_URL.startswith(("postgres", "postgresql"))


def fresh_database(directory: Path, name: str) -> str:
    """Return the URL of a new empty database called `name` (recreated if it exists)."""
    if not on_postgres():
        return f"sqlite:///{directory / (name + '.sqlite3')}"
    url = sa.make_url(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
                      .replace("postgres://", "postgresql+psycopg://", 1))
    db_name = f"{url.database}_{name}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db_name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{db_name}"')
    admin.dispose()
    return url.set(database=db_name).render_as_string(hide_password=False)
