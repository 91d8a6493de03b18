"""Fifty people at once against the app served for real: zero 5xx, and every 201 is there afterwards.

The demo is built with `db upgrade` and `seed-demo` on its own database (a SQLite file, or PostgreSQL
on a PostgreSQL run), then served twice: by gunicorn with deploy/gunicorn.conf.py (several worker
processes, threads in each) and by the demo's own `flask run`. Each serves one round of the mix in
tests/mixed_load.py, released at the same moment from 50 threads.
"""
import pytest

from tests import mixed_load
from tests.databases import fresh_database
from tests.serving import SERVERS, build_demo, demo_env, serve

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def served_env(tmp_path_factory):
    """A demo database whose villager holds enough points and may redeem often enough for every round."""
    root = tmp_path_factory.mktemp("concurrent")
    env = demo_env(root, fresh_database(root, "concurrent"), RATELIMIT_ENABLED="0")
    build_demo(env)
    _allow_many_redemptions(env["DATABASE_URL"], root)
    return env, root


def _allow_many_redemptions(url: str, root) -> None:
    """Through the real rules: raise the per-day redemption limit and top the villager up to 100 points."""
    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db
    from points import ledger
    from points.rules import update_settings

    app = create_app({"TESTING": True, "SECRET_KEY": "live-secret-key",
                      "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "UPLOAD_DIR": str(root / "uploads")})
    with app.app_context():
        demo = run_seeders()
        update_settings(demo.township, {"max_redemptions_per_day": 100})
        villager = demo.users["13900000101"]
        ledger.transfer("earn", "concurrent-use-top-up",
                        [(ledger.township_account(demo.township, "issued"), -100), (ledger.villager_account(villager), 100)])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("server", SERVERS)
def test_fifty_mixed_requests_at_once_all_answer_and_every_201_is_kept(served_env, server):
    env, root = served_env
    with serve(server, env, root / f"{server}.log") as base:
        village = mixed_load.Village(base)
        results = mixed_load.run_round(village, server)
        failures = [(r.kind, r.status) for r in results if r.status >= 500]
        assert not failures, f"5xx under concurrent use ({server}): {mixed_load.summary(results)}\n" \
                             f"{(root / f'{server}.log').read_text()[-4000:]}"
        expected = {"scan": 302, "finance_anonymous": 200, "finance_villager": 200, "wall": 200,
                    "report": 201, "redeem": 201, "committee": 200}
        wrong = [(r.kind, r.status) for r in results if r.status != expected[r.kind]]
        assert not wrong, f"unexpected answers: {mixed_load.summary(results)}"
        assert mixed_load.missing_after(village, results) == []
