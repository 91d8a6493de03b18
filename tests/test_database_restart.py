"""After PostgreSQL restarts, no request fails on a dead pooled connection (pool_pre_ping).

The test runs its own throwaway cluster, since it restarts the server (markers `postgres`, `live`).
"""
import threading

import pytest

from tests.pgcluster import throwaway_cluster

pytestmark = [pytest.mark.postgres, pytest.mark.live]


@pytest.fixture
def cluster():
    """A cluster of this test's own."""
    with throwaway_cluster() as running:
        if running is None:
            pytest.fail("PostgreSQL binaries are not installed (scripts/system-packages postgresql)")
        yield running


def _fill_pool(app, connections: int) -> None:
    """Make several requests at once, so the pool keeps several connections open."""
    start = threading.Barrier(connections)
    statuses = []

    def worker():
        client = app.test_client()
        start.wait()
        statuses.append(client.get("/api/v1/villages/hexi").status_code)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * connections


def test_first_requests_after_a_restart_all_succeed(cluster, tmp_path):
    from importlib import import_module

    from app import create_app
    from extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "restart-key", "SQLALCHEMY_DATABASE_URI": cluster.url,
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        import_module("accounts.seed").seed_demo(None)
        db.session.commit()
    try:
        _fill_pool(app, 5)
        cluster.restart()
        client = app.test_client()
        assert [client.get("/api/v1/villages/hexi").status_code for _ in range(10)] == [200] * 10
    finally:
        with app.app_context():
            db.engine.dispose()
