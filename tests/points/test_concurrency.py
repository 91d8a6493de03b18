"""Phones racing for one balance: exactly as many redemptions succeed as the balance covers.

These tests commit for real, so they run on their own database, seeded once for the module and
outside the per-test rolled-back transaction (marker `live`); each test races with a villager of its
own. On a PostgreSQL run (TEST_DATABASE_URL) the database is PostgreSQL.

What each database can catch. A check-then-write bug in `points/ledger.py` (reading the balance,
then debiting without the conditional UPDATE or the row lock) can only make these tests fail on
PostgreSQL: SQLite lets one writer in at a time for the whole file, so such a race never overspends
there. On SQLite the tests prove something else: that writers queue on the write lock instead of
failing ("database is locked" would show up as a 500 or 503 here), within one process (threads, as
a gunicorn gthread worker) and across separate processes with their own connections to the
committed file (as several workers), and that the ledger's kept balances still equal its entries.
"""
import itertools
import multiprocessing
import threading

import pytest
import sqlalchemy as sa

from tests.databases import fresh_database

pytestmark = pytest.mark.live
THREADS = 20
PROCESSES, THREADS_EACH = 3, 4
PRICE = 20
SHOP = "HXZC01"
_phones = itertools.count(13700000101)


def _config(url: str, uploads: str) -> dict:
    """The live app's configuration, the same in the test process and in each racing process."""
    return {"TESTING": True, "SECRET_KEY": "test-secret-key", "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": uploads, "RATELIMIT_ENABLED": False}


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """A separate app on a fresh database, seeded once, committed, with redemptions not capped per day."""
    from accounts.cli import run_seeders
    from app import create_app
    from extensions import db
    from points.rules import update_settings

    root = tmp_path_factory.mktemp("points_concurrency")
    app = create_app(_config(fresh_database(root, "points_concurrency"), str(root / "uploads")))
    with app.app_context():
        db.create_all()
        demo = run_seeders()
        update_settings(demo.township, {"max_redemptions_per_day": 100})
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def racer(live_app) -> dict:
    """A new 河西村 villager holding exactly 100 points, committed; returns their phone and bearer headers."""
    from accounts.login import issue_token
    from accounts.models import RoleGrant, User, Village
    from extensions import db
    from points import ledger

    with live_app.test_request_context():
        village = db.session.execute(sa.select(Village).where(Village.slug == "hexi")).scalar_one()
        user = User(phone=str(next(_phones)), name="抢兑测试村民")
        user.grants.append(RoleGrant(role="villager", village_id=village.id))
        db.session.add(user)
        db.session.flush()
        ledger.transfer("earn", f"concurrency-grant:{user.phone}",
                        [(ledger.township_account(village.township_id, "issued"), -100),
                         (ledger.villager_account(user), 100)])
        db.session.commit()
        person = {"phone": user.phone, "headers": {"Authorization": f"Bearer {issue_token(user)}"}}
        db.session.remove()
    return person


def _redeem_at_once(app, headers: dict, keys: list[str], start=None) -> list[str]:
    """Each key posts one 20-point redemption from its own thread, all released together; each one's outcome."""
    start = start or threading.Barrier(len(keys))
    outcomes = [""] * len(keys)

    def worker(i: int) -> None:
        start.wait()
        response = app.test_client().post(f"/api/v1/shops/{SHOP}/redemptions", json={"points": PRICE},
                                          headers={**headers, "Idempotency-Key": keys[i]})
        body = response.get_json() or {}
        outcomes[i] = f"{response.status_code}:{body.get('id') or body.get('error', {}).get('code')}"

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _racing_process(config: dict, headers: dict, keys: list[str], start, results) -> None:
    """One OS process with its own app and connections: waits for the others, then redeems from its threads."""
    from app import create_app
    from extensions import db

    app = create_app(config)
    release = threading.Barrier(len(keys), action=start.wait)  # the last thread ready waits for every process
    try:
        results.put(_redeem_at_once(app, headers, keys, release))
    finally:
        with app.app_context():
            db.engine.dispose()


def _ledger_facts(app, phone: str) -> dict:
    """The racer's balance and redemptions, whether it ever went below zero, and any kept balance that differs."""
    from accounts.models import User
    from extensions import db
    from points import ledger
    from points.models import Entry, Redemption

    with app.app_context():
        user = db.session.execute(sa.select(User).where(User.phone == phone)).scalar_one()
        account = ledger.villager_account(user)
        amounts = db.session.execute(sa.select(Entry.amount).where(Entry.account_id == account.id)
                                     .order_by(Entry.id)).scalars().all()
        running = list(itertools.accumulate(amounts))
        redemptions = db.session.execute(sa.select(Redemption).where(Redemption.user_id == user.id)).scalars().all()
        facts = {"balance": account.balance, "lowest": min(running),
                 "redemptions": len(redemptions), "lowest_after": min(r.balance_after for r in redemptions),
                 "mismatched": ledger.recomputed_balances()}
        db.session.remove()
        return facts


def _shop_balance(app) -> int:
    """What the shop has been paid and not yet settled."""
    from extensions import db
    from points import ledger
    from points.shops import shop_by_code

    with app.app_context():
        balance = ledger.shop_account(shop_by_code(SHOP)).balance
        db.session.remove()
        return balance


def test_twenty_threads_on_one_balance_exactly_five_succeed(live_app, racer):
    shop_before = _shop_balance(live_app)
    outcomes = _redeem_at_once(live_app, racer["headers"], [f"phone-{i}" for i in range(THREADS)])
    created = [o for o in outcomes if o.startswith("201:")]
    refused = [o for o in outcomes if o == "409:insufficient_points"]
    assert len(created) == 5 and len(refused) == 15, outcomes
    assert _ledger_facts(live_app, racer["phone"]) == {"balance": 0, "lowest": 0, "redemptions": 5,
                                                       "lowest_after": 0, "mismatched": []}
    assert _shop_balance(live_app) - shop_before == 100


def test_twenty_racing_retries_with_one_key_spend_once(live_app, racer):
    shop_before = _shop_balance(live_app)
    outcomes = _redeem_at_once(live_app, racer["headers"], ["same-tap"] * THREADS)
    assert len(set(outcomes)) == 1 and outcomes[0].startswith("201:"), outcomes
    assert _ledger_facts(live_app, racer["phone"]) == {"balance": 80, "lowest": 80, "redemptions": 1,
                                                       "lowest_after": 80, "mismatched": []}
    assert _shop_balance(live_app) - shop_before == PRICE


def test_separate_processes_racing_for_one_balance_spend_only_what_it_covers(live_app, racer):
    """Three processes × four threads, twelve taps at once for 20 points each on a balance of 100."""
    shop_before = _shop_balance(live_app)
    spawn = multiprocessing.get_context("forkserver")  # forked from a fresh interpreter: nothing shared with us
    spawn.set_forkserver_preload(["app", __name__])
    start, results = spawn.Barrier(PROCESSES), spawn.Queue()
    config = _config(live_app.config["SQLALCHEMY_DATABASE_URI"], live_app.config["UPLOAD_DIR"])
    processes = [spawn.Process(target=_racing_process, args=(
        config, racer["headers"], [f"process-{p}-tap-{t}" for t in range(THREADS_EACH)], start, results))
        for p in range(PROCESSES)]
    for process in processes:
        process.start()
    outcomes = [o for _ in processes for o in results.get(timeout=120)]
    for process in processes:
        process.join(timeout=30)
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    created = [o for o in outcomes if o.startswith("201:")]
    refused = [o for o in outcomes if o == "409:insufficient_points"]
    assert len(created) == 5 and len(refused) == PROCESSES * THREADS_EACH - 5, outcomes
    assert _ledger_facts(live_app, racer["phone"]) == {"balance": 0, "lowest": 0, "redemptions": 5,
                                                       "lowest_after": 0, "mismatched": []}
    assert _shop_balance(live_app) - shop_before == 100
