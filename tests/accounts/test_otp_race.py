"""Parallel guesses at one SMS code: exactly five are checked, on SQLite and on PostgreSQL.

The threads go through the JSON API of a real app on its own committed database (marker `live`),
each request in its own transaction, as gunicorn's threads would run them.
"""
import threading

import pytest
import sqlalchemy as sa

from tests.databases import fresh_database

pytestmark = pytest.mark.live
THREADS = 20
PHONE = "13912345678"


@pytest.fixture
def live_app(tmp_path):
    """An app on a fresh database with no rate limits, so only the code's own try counter holds."""
    from app import create_app
    from extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "otp-race-key", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": fresh_database(tmp_path, "otp_race"),
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _send_code(app) -> str:
    """Text a code to PHONE (committed) and return it."""
    from accounts import otp
    from accounts.sms import sender
    from extensions import db

    with app.app_context():
        otp.send_code(PHONE)
        db.session.commit()
        return sender().last_code_for(PHONE)


def _guess_all_at_once(app, codes: list[str]) -> list[tuple[int, str]]:
    """Each thread posts one guess at the same moment; returns each (status, message)."""
    start = threading.Barrier(len(codes))
    outcomes: list[tuple[int, str]] = [(0, "")] * len(codes)

    def worker(i: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/auth/sms/verify", json={"phone": PHONE, "code": codes[i]})
        body = response.get_json() or {}
        outcomes[i] = (response.status_code, body.get("error", {}).get("message", "") if "error" in body else "ok")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(codes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _attempts(app) -> int:
    """The stored try count of the phone's code."""
    from accounts.models import OneTimeCode
    from extensions import db

    with app.app_context():
        return db.session.execute(sa.select(OneTimeCode.attempts).where(OneTimeCode.phone == PHONE)).scalar_one()


def test_twenty_parallel_wrong_guesses_check_exactly_five(live_app):
    code = _send_code(live_app)
    wrong = [f"{(int(code) + 1 + i) % 10**6:06d}" for i in range(THREADS)]
    outcomes = _guess_all_at_once(live_app, wrong)
    assert {status for status, _ in outcomes} == {401}, outcomes
    checked = [message for _, message in outcomes if "还可以再试" in message or "次数太多" in message]
    assert sorted(checked) == sorted([f"验证码不对，还可以再试{n}次。" for n in (4, 3, 2, 1)]
                                     + ["验证码错误次数太多，请重新获取。"]), outcomes
    assert _attempts(live_app) == 5
    late = live_app.test_client().post("/api/v1/auth/sms/verify", json={"phone": PHONE, "code": code})
    assert late.status_code == 401  # even the right code is dead after five tries


def test_the_right_code_sent_twice_at_once_logs_in_once(live_app):
    code = _send_code(live_app)
    outcomes = _guess_all_at_once(live_app, [code] * 8)
    assert sorted(status for status, _ in outcomes) == [200] + [401] * 7, outcomes
