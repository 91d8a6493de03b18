"""Twenty phones at once: the balance covers five redemptions, so exactly five succeed (SQLite and PostgreSQL).

These tests commit for real, so they run on their own fresh database and app, outside the per-test
rolled-back transaction (marker `live`). On a PostgreSQL run (TEST_DATABASE_URL) they use PostgreSQL.
"""
import threading

import pytest
import sqlalchemy as sa

from tests.databases import fresh_database

pytestmark = pytest.mark.live
THREADS = 20


@pytest.fixture
def live_app(tmp_path):
    """A separate app on a fresh database, seeded, with the villager holding 100 points."""
    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db
    from points import ledger
    from points.rules import update_settings

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": fresh_database(tmp_path, "points_concurrency"),
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        demo = run_seeders()
        update_settings(demo.township, {"max_redemptions_per_day": 100})
        user = demo.users["13900000101"]
        top_up = 100 - ledger.balance_of(user)  # the demo history already gave some
        ledger.transfer("earn", "concurrency-grant", [(ledger.township_account(demo.township, "issued"), -top_up),
                                                      (ledger.villager_account(user), top_up)])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _race(app, keys: list[str]) -> list[str]:
    """Each thread posts one 20-point redemption through the JSON API; returns each one's outcome."""
    from accounts.login import issue_token
    from accounts.models import User
    from extensions import db

    with app.test_request_context():
        user = db.session.execute(sa.select(User).where(User.phone == "13900000101")).scalar_one()
        headers = {"Authorization": f"Bearer {issue_token(user)}"}
    start = threading.Barrier(len(keys))
    outcomes = [""] * len(keys)

    def worker(i: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/shops/HXZC01/redemptions", json={"points": 20},
                               headers={**headers, "Idempotency-Key": keys[i]})
        body = response.get_json()
        outcomes[i] = f"{response.status_code}:{body.get('id') or body['error']['code']}"

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _ledger_facts(app) -> tuple[int, int, int, list]:
    """Villager balance, shop balance, redemptions made today, and any balance that differs from its entries."""
    from accounts.models import User
    from extensions import db
    from points import ledger
    from points.models import Redemption
    from points.periods import day_bounds
    from points.shops import shop_by_code

    with app.app_context():
        user = db.session.execute(sa.select(User).where(User.phone == "13900000101")).scalar_one()
        return (ledger.balance_of(user), ledger.shop_account(shop_by_code("HXZC01")).balance,
                db.session.execute(sa.select(sa.func.count(Redemption.id))
                                   .where(Redemption.created_at >= day_bounds()[0])).scalar_one(),
                ledger.recomputed_balances())


def test_twenty_threads_on_one_balance_exactly_five_succeed(live_app):
    outcomes = _race(live_app, [f"phone-{i}" for i in range(THREADS)])
    created = [o for o in outcomes if o.startswith("201:")]
    refused = [o for o in outcomes if o == "409:insufficient_points"]
    assert len(created) == 5 and len(refused) == 15, outcomes
    assert _ledger_facts(live_app) == (0, 100, 5, [])


def test_twenty_racing_retries_with_one_key_spend_once(live_app):
    outcomes = _race(live_app, ["same-tap"] * THREADS)
    assert len(set(outcomes)) == 1 and outcomes[0].startswith("201:"), outcomes
    assert _ledger_facts(live_app) == (80, 20, 1, [])
