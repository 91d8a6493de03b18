"""The write discipline: readers never wait for a writer, writers queue, a write that waits too long is a 503
that keeps what was typed, counters are buffered and survive a busy lock, and a read that writes is caught.

These run on their own committed database (a SQLite file, or PostgreSQL on a PostgreSQL run), outside
the per-test rolled-back transaction, with a second real connection holding the lock a writer would.
"""
import threading
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from tests.databases import fresh_database, on_postgres

pytestmark = pytest.mark.live
BUSY_MS = 400
REPORT = {"category": "其他", "content": "村口的路灯坏了很久，晚上看不清路。", "anonymous": "1"}
REPORT_JSON = {**REPORT, "anonymous": True}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """An app on a fresh seeded database with a short busy timeout; counters flushed after each request."""
    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db

    root = tmp_path_factory.mktemp("transactions")
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": fresh_database(root, "transactions"),
                      "UPLOAD_DIR": str(root / "uploads"), "RATELIMIT_ENABLED": False,
                      "DATABASE_BUSY_TIMEOUT_MS": BUSY_MS, "COUNTER_FLUSH_SECONDS": 0,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        run_seeders()
        db.session.commit()
        finance = db.session.execute(sa.text("SELECT id FROM disclosure WHERE category = 'finance' "
                                             "AND status = 'published' ORDER BY id LIMIT 1")).scalar_one()
    app.finance_id = finance
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def writer_holding_lock(app, table: str):
    """Another connection in the middle of a write on `table`, holding what a second writer would wait for."""
    from extensions import db

    with app.app_context():
        connection = db.engine.connect()
    try:
        connection.begin()  # outside a request this is a writing unit: on SQLite, BEGIN IMMEDIATE takes the lock
        if connection.dialect.name != "sqlite":
            connection.exec_driver_sql(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # writers wait, readers do not
        yield connection
    finally:
        connection.rollback()
        connection.close()


def _count(app, table: str) -> int:
    """Rows in a table, read on a fresh connection."""
    from extensions import db

    with app.app_context():
        return db.session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def _views(app) -> int:
    """All counted views of the finance disclosure."""
    from extensions import db

    with app.app_context():
        return db.session.execute(sa.text("SELECT coalesce(sum(count), 0) FROM daily_views WHERE disclosure_id = :d"),
                                  {"d": app.finance_id}).scalar_one()


def test_pages_answer_while_another_request_holds_the_write_lock(live):
    before = _views(live)
    with writer_holding_lock(live, "daily_views"):
        client = live.test_client()
        started = time.perf_counter()
        answers = [client.get(f"/d/{live.finance_id}").status_code for _ in range(3)]
        answers.append(client.get("/v/hexi/wall").status_code)
        elapsed = time.perf_counter() - started
    assert answers == [200, 200, 200, 200]
    # Each page tried to write its view count for at most the counters' short wait, then kept it for later.
    assert elapsed < 3 * 0.25 + 2
    assert _views(live) == before
    live.test_client().get(f"/d/{live.finance_id}")  # the lock is free: the kept counts and this one land
    assert _views(live) == before + 4


def test_a_writer_queues_behind_the_one_ahead_of_it(live):
    before = _count(live, "report")
    outcome = {}

    def submit():
        response = live.test_client().post("/api/v1/villages/hexi/reports", json=REPORT_JSON)
        outcome.update(status=response.status_code, body=response.get_json())

    with writer_holding_lock(live, "report"):
        thread = threading.Thread(target=submit)
        thread.start()
        time.sleep(BUSY_MS / 1000 / 4)  # well inside the busy timeout
    thread.join()
    assert outcome["status"] == 201, outcome
    assert _count(live, "report") == before + 1


def test_a_write_that_waits_the_whole_timeout_is_a_503_that_keeps_the_text(live):
    before = _count(live, "report")
    with writer_holding_lock(live, "report"):
        page = live.test_client().post("/v/hexi/report", data=REPORT)
        api = live.test_client().post("/api/v1/villages/hexi/reports", json=REPORT_JSON)
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert REPORT["content"] in html and "<form" in html  # what was typed is there to send again
    assert "什么都没有" in html  # and it says truly that nothing was saved
    assert api.status_code == 503 and api.get_json()["error"]["code"] in {"busy", "save_failed"}
    assert _count(live, "report") == before


def test_views_wait_in_memory_until_the_flush_interval(live, monkeypatch):
    import counters

    monkeypatch.setitem(live.config, "COUNTER_FLUSH_SECONDS", 3600)
    with live.app_context():
        counters.flush()
    before = _views(live)
    client = live.test_client()
    for _ in range(5):
        assert client.get(f"/d/{live.finance_id}").status_code == 200
    assert _views(live) == before  # nothing written by the pages themselves
    with live.app_context():
        assert counters.flush() == 1  # one row: five views of one disclosure on one day
    assert _views(live) == before + 5


def test_a_read_that_writes_in_its_own_transaction_is_refused_in_tests(tmp_path):
    from app import create_app
    from extensions import db
    from transactions import WriteInReadRequest

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/w.db",
                      "UPLOAD_DIR": str(tmp_path / "up")})

    @app.get("/writes-on-read")
    def writes_on_read():
        db.session.execute(sa.text("INSERT INTO township (name, slug) VALUES ('x', 'x')"))
        return "written"

    with app.app_context():
        db.create_all()
    assert app.test_client().get("/writes-on-read").status_code == 500
    with app.test_request_context("/writes-on-read"):
        app.preprocess_request()  # as when served: the request is marked as a read
        with pytest.raises(WriteInReadRequest, match="GET writes_on_read"):
            writes_on_read()
    with app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM township")).scalar_one() == 0


@pytest.mark.skipif(on_postgres(), reason="SQLite's lock modes; PostgreSQL has no database-wide write lock")
def test_a_reading_request_begins_deferred_and_a_writing_one_immediate(live):
    from extensions import db

    seen = []
    with live.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, *args: seen.append(statement) if statement.startswith("BEGIN") else None  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        live.test_client().get("/v/hexi/wall")
        live.test_client().post("/api/v1/villages/hexi/reports", json=REPORT_JSON)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert seen[0] == "BEGIN" and "BEGIN IMMEDIATE" in seen[1:]
