"""On PostgreSQL, system columns do not join a claim to its report: the claim's transaction writes nothing of the
report, and the batch writes every claimed report and every payment in one transaction.

Run on its own committed database, through the JSON API, because the per-test rolled-back transaction
would give every row the same transaction id (xmin) and prove nothing.
"""
import pytest
import sqlalchemy as sa

from tests.databases import fresh_database

pytestmark = [pytest.mark.live, pytest.mark.postgres]
VILLAGERS = ("13700000101", "13700000102", "13700000103")


@pytest.fixture
def live(tmp_path):
    """A seeded app on a fresh PostgreSQL database, with three villagers of 河西村 who can log in."""
    from accounts.cli import run_seeders
    from accounts.models import RoleGrant, User
    from app import create_app
    from extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": fresh_database(tmp_path, "claims_xmin"),
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        demo = run_seeders()
        for n, phone in enumerate(VILLAGERS):
            user = User(phone=phone, name=f"领分村民{n}")
            user.set_password("claim-villager")
            user.grants.append(RoleGrant(role="villager", village_id=demo.villages["hexi"].id))
            db.session.add(user)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _token(client, phone: str, password: str) -> dict:
    """Log in through the API."""
    answer = client.post("/api/v1/auth/login", json={"phone": phone, "password": password})
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def _xmins(app, sql: str, **params) -> set[int]:
    """The transaction ids (xmin) of the rows a query selects."""
    from extensions import db

    with app.app_context():
        return {int(x) for x in db.session.execute(sa.text(sql), params).scalars()}


def test_claim_and_payment_rows_share_no_transaction_with_their_report(live):
    import clock
    from datetime import timedelta
    from extensions import db
    from points.claims import pay_claims

    client = live.test_client()
    committee = _token(client, "13900000012", "demo-committee")
    filed = []
    for n, phone in enumerate(VILLAGERS):
        answer = client.post("/api/v1/villages/hexi/reports",
                             json={"category": "其他", "content": f"匿名反映第{n}件：村口路灯坏了没人修。", "anonymous": True})
        code = answer.get_json()["tracking_code"]
        case = client.get(f"/api/v1/track/{code}").get_json()
        cases = client.get("/api/v1/triage/reports?status=submitted&per_page=100", headers=committee).get_json()
        report_id = next(c["id"] for c in cases["items"] if c["content"] == case["content"])
        assert client.post(f"/api/v1/triage/reports/{report_id}/actions", json={"action": "accept"},
                           headers=committee).status_code == 200
        filed.append((phone, code, report_id))
    for phone, code, _ in filed:
        claimed = client.post("/api/v1/me/points/claims", json={"tracking_code": code},
                              headers=_token(client, phone, "claim-villager"))
        assert claimed.status_code == 201

    ids = [report_id for _, _, report_id in filed]
    report_side = (_xmins(live, "SELECT xmin::text::bigint FROM report WHERE id = ANY(:ids)", ids=ids)
                   | _xmins(live, "SELECT xmin::text::bigint FROM report_event WHERE report_id = ANY(:ids)", ids=ids))
    claim_side = _xmins(live, "SELECT xmin::text::bigint FROM pending_claim")
    assert len(claim_side) == 3 and not claim_side & report_side  # each claim in a transaction of its own

    clock.freeze(clock.now() + timedelta(days=1))
    try:
        with live.app_context():
            assert pay_claims() == 3
            db.session.commit()
    finally:
        clock.freeze(None)
    paid_marks = _xmins(live, "SELECT xmin::text::bigint FROM report_claim")
    payments = _xmins(live, "SELECT xmin::text::bigint FROM transfer WHERE memo = '匿名举报奖励'")
    # The three reports are marked in one statement of the batch: one transaction id for all, so none of them
    # pairs with one payment (each payment has a savepoint's id of its own, in villager order).
    assert len(paid_marks) == 1 and len(payments) == 3 and not paid_marks & payments
    assert not paid_marks & report_side and not payments & report_side
