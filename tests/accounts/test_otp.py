"""Villagers log in with a 6-digit code: 5 minutes, 5 tries, one use, hashed at rest, rate-limited."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

import clock
from accounts import otp
from accounts.models import OneTimeCode, User
from accounts.sms import sender


@pytest.fixture
def frozen():
    """A clock the test moves by hand."""
    start = clock.now()
    clock.freeze(start)
    yield start
    clock.freeze(None)


def _last_code(phone: str) -> str:
    return sender().last_code_for(phone)


def test_code_is_texted_and_logs_in_and_creates_a_first_time_villager(client, session, demo):
    assert client.post("/login/sms", data={"phone": "13912345678"}).status_code == 302
    code = _last_code("13912345678")
    assert len(code) == 6
    response = client.post("/login/sms/verify", data={"phone": "13912345678", "code": code})
    assert response.status_code == 302
    user = session.execute(sa.select(User).where(User.phone == "13912345678")).scalar_one()
    assert user.password_hash is None and client.get("/me").get_data(as_text=True).count(user.name) >= 1


def test_first_time_villager_joins_the_village_they_were_reading(client, session, demo):
    client.get("/v/chama")
    client.set_cookie("village", "chama")  # what static/js/app.js does on the village home
    client.post("/login/sms", data={"phone": "13912340000"})
    client.post("/login/sms/verify", data={"phone": "13912340000", "code": _last_code("13912340000")})
    user = session.execute(sa.select(User).where(User.phone == "13912340000")).scalar_one()
    assert [(g.role, g.village.slug) for g in user.grants] == [("villager", "chama")]


def test_only_a_hash_of_the_code_is_stored(app_ctx, session, demo):
    otp.send_code("13900000101")
    code = _last_code("13900000101")
    row = session.execute(sa.select(OneTimeCode)).scalars().one()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_expired_code_is_refused(app_ctx, session, demo, frozen):
    otp.send_code("13900000101")
    code = _last_code("13900000101")
    clock.freeze(frozen + timedelta(minutes=5, seconds=1))
    with pytest.raises(otp.CodeRejected):
        otp.verify_code("13900000101", code)


def test_code_just_inside_five_minutes_works(app_ctx, session, demo, frozen):
    otp.send_code("13900000101")
    code = _last_code("13900000101")
    clock.freeze(frozen + timedelta(minutes=4, seconds=59))
    assert otp.verify_code("13900000101", code).phone == "13900000101"


def test_used_code_cannot_be_used_again(app_ctx, session, demo):
    otp.send_code("13900000101")
    code = _last_code("13900000101")
    otp.verify_code("13900000101", code)
    with pytest.raises(otp.CodeRejected):
        otp.verify_code("13900000101", code)


def test_five_wrong_tries_burn_the_code(app_ctx, session, demo):
    otp.send_code("13900000101")
    code = _last_code("13900000101")
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(otp.CodeRejected) as err:
            otp.verify_code("13900000101", wrong)
        messages.append(err.value.message)
    assert messages[0] == "验证码不对，还可以再试4次。" and messages[-1] == "验证码错误次数太多，请重新获取。"
    with pytest.raises(otp.CodeRejected):
        otp.verify_code("13900000101", code)  # even the right code is dead now


def test_a_new_code_retires_the_old_one(app_ctx, session, demo):
    otp.send_code("13900000101")
    first = _last_code("13900000101")
    otp.send_code("13900000101")
    second = _last_code("13900000101")
    if first != second:
        with pytest.raises(otp.CodeRejected):
            otp.verify_code("13900000101", first)
    assert otp.verify_code("13900000101", second)


def test_wrong_code_on_the_page_says_how_many_tries_are_left(client, demo):
    client.post("/login/sms", data={"phone": "13900000101"})
    code = _last_code("13900000101")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/login/sms/verify", data={"phone": "13900000101", "code": wrong})
    assert response.status_code == 401 and "还可以再试4次" in response.get_data(as_text=True)


def test_code_requests_are_rate_limited_per_phone(client, demo):
    assert client.post("/api/v1/auth/sms", json={"phone": "13900000101"}).status_code == 202
    again = client.post("/api/v1/auth/sms", json={"phone": "13900000101"})
    assert again.status_code == 429 and "频繁" in again.get_json()["error"]["message"]
    assert client.post("/api/v1/auth/sms", json={"phone": "13900000102"}).status_code == 202


def test_api_sms_login_returns_a_token(client, demo):
    client.post("/api/v1/auth/sms", json={"phone": "13900000102"})
    response = client.post("/api/v1/auth/sms/verify", json={"phone": "13900000102", "code": _last_code("13900000102")})
    assert response.status_code == 200 and response.get_json()["user"]["village"]["slug"] == "chama"


def test_dev_outbox_page_is_hidden_outside_debug(app, client, demo, monkeypatch):
    client.post("/login/sms", data={"phone": "13900000101"})
    assert "验证码" in client.get("/dev/sms").get_data(as_text=True)
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", False)
    assert client.get("/dev/sms").status_code == 404
