"""Fixtures shared by every test: one app and schema per session, each test in a rolled-back transaction."""
import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import settings

from tests.databases import fresh_database, on_postgres

os.environ.setdefault("SECRET_KEY", "test-secret-key")

# Property tests: the suite and CI run the same examples every time ("ci", the default), so a red
# run is red again on the next try; HYPOTHESIS_PROFILE=long is the random hunt for new failures
# (README, Commands). A failure found there prints the example to paste into an @example.
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
LONG_RUN_FACTOR = 20
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("long", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(count: int) -> int:
    """How many examples a property test tries: `count`, or LONG_RUN_FACTOR times it in the long run."""
    return count * LONG_RUN_FACTOR if HYPOTHESIS_PROFILE == "long" else count


def pytest_configure(config):
    """Markers used across the suite."""
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (skipped on SQLite runs)")
    config.addinivalue_line("markers", "e2e: drives a real Chromium against a served app")


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on a SQLite run."""
    if on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


class _ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session always asks for the engine; this one stays on the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app for the whole run, with its schema created from the models."""
    from app import create_app
    from extensions import db

    root = tmp_path_factory.mktemp("app")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": fresh_database(root, "unit"),
        "SECRET_KEY": "test-secret-key",
        "UPLOAD_DIR": str(root / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://testserver.local",
        "COUNTER_FLUSH_SECONDS": 0,  # counts are written after every request, so tests can read them
        "DEFERRED_WRITE_SECONDS": 0,  # and so are deferred earns
        "SERVER_NAME": None,
        # Demo passwords are hashed for every test that seeds; scrypt's cost belongs to production.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.app_context():
        db.create_all()
        # The demo township is committed once; each test's transaction sits on top of it and the
        # `demo` fixture looks its rows up by the ids noted here (re-running the seeders per test
        # cost about a fifth of the suite).
        built = seed_base_demo()
        db.session.commit()
        _DEMO_IDS.update(township=built.township.id, tracking_codes=dict(built.tracking_codes),
                         villages={slug: v.id for slug, v in built.villages.items()},
                         users={phone: u.id for phone, u in built.users.items()})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Run each test inside a transaction that is rolled back, so tests never see each other's rows."""
    if "e2e" in request.keywords or "live" in request.keywords:
        yield
        return
    from extensions import db, limiter

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        saved = db.session
        db.session = db._make_scoped_session({"bind": connection, "class_": _ConnectionBoundSession,
                                              "join_transaction_mode": "create_savepoint"})
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = saved
            outer.rollback()
            connection.close()


@pytest.fixture
def app_ctx(app):
    """An application context for tests that call domain functions directly."""
    with app.app_context():
        yield app


@pytest.fixture
def session(app_ctx):
    """The database session, inside the test's transaction."""
    from extensions import db

    return db.session


class _FreshContextClient(FlaskClient):
    """Each request gets its own app context (own `g`, own session), as in production.

    Without this, a request reuses the test's app context, so Flask-Login's cached user and the
    session's identity map leak from one request to the next. Rows are still shared, because every
    session is bound to the test's one connection.
    """

    def open(self, *args, **kwargs):
        from extensions import db
        from transactions import SAFE_METHODS

        with self.application.app_context():
            response = super().open(*args, **kwargs)
            if response.request.method in SAFE_METHODS:
                # In production a reading request's transaction and the short writes it makes in
                # own_transaction() are separate; here they share the test's connection, so the
                # read's savepoint would wrap them and its rollback undo them. A read writes nothing
                # (transactions refuses it), so ending it with a release is the same as production.
                db.session.commit()
            return response


@pytest.fixture
def client(app):
    """A test client; requests share the test's transaction but nothing else."""
    app.test_client_class = _FreshContextClient
    return app.test_client()


def seed_base_demo():
    """Every demo seeder but the points history: tests of points build their own (see full_demo)."""
    from importlib import import_module

    from accounts.cli import SEEDERS

    built = None
    for name in SEEDERS:
        if name != "points.activity_seed":
            built = import_module(name).seed_demo(built)
    return built


_DEMO_IDS: dict = {}

# The demo accounts by what they do (phones and passwords in the README).
DEMO_ROLES = {"township": "13900000001", "inspector": "13900000002", "clerk": "13900000011",
              "committee": "13900000012", "committee_chama": "13900000022", "villager": "13900000101",
              "villager_chama": "13900000102", "shopkeeper": "13900000201"}


@pytest.fixture
def demo(session):
    """The demo township built once by the real seeders, its rows loaded into this test's session."""
    from accounts.models import Township, User, Village
    from accounts.seed import Demo

    def by_key(model, ids: dict) -> dict:
        rows = {row.id: row for row in session.scalars(sa.select(model).where(model.id.in_(ids.values())))}
        return {key: rows[row_id] for key, row_id in ids.items()}

    found = Demo(township=session.get(Township, _DEMO_IDS["township"]),
                 villages=by_key(Village, _DEMO_IDS["villages"]), users=by_key(User, _DEMO_IDS["users"]))
    found.tracking_codes = dict(_DEMO_IDS["tracking_codes"])
    return found


@pytest.fixture
def people(demo):
    """The demo accounts by role: people["committee"] is 河西村's committee head, and so on (DEMO_ROLES)."""
    return {role: demo.users[phone] for role, phone in DEMO_ROLES.items()}


@pytest.fixture
def hexi(demo):
    """河西村 of the demo."""
    return demo.villages["hexi"]


@pytest.fixture
def chama(demo):
    """岔马村 of the demo."""
    return demo.villages["chama"]


@pytest.fixture
def full_demo(session):
    """The whole demo, points history included (built inside the test's transaction)."""
    from accounts.cli import run_seeders

    return run_seeders()


@pytest.fixture
def login_as(client):
    """Log a person into the test client by setting the session, the quick way most tests use."""

    def _login(user):
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        return client

    return _login


@pytest.fixture
def token_for(app):
    """A bearer token for a person, for API tests."""
    from accounts.login import issue_token

    def _token(user) -> dict:
        with app.test_request_context():
            return {"Authorization": f"Bearer {issue_token(user)}"}

    return _token


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    from extensions import db

    @contextmanager
    def _counter():
        statements = []

        def _before(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", _before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", _before)

    return _counter
