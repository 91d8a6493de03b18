"""Password login on the page and the API, bearer tokens, and ending sessions at once."""
import re

import pytest

from accounts.login import change_password, deactivate

DEMO_ACCOUNTS = [
    ("13900000001", "demo-township", "township"),
    ("13900000002", "demo-inspector", "inspector"),
    ("13900000011", "demo-clerk", "clerk"),
    ("13900000012", "demo-committee", "committee"),
    ("13900000022", "demo-committee", "committee"),
    ("13900000101", "demo-villager", "villager"),
    ("13900000102", "demo-villager", "villager"),
    ("13900000201", "demo-shop", "shopkeeper"),
]


@pytest.mark.parametrize("phone,password,role", DEMO_ACCOUNTS)
def test_every_demo_account_logs_in_through_the_api(client, demo, phone, password, role):
    response = client.post("/api/v1/auth/login", json={"phone": phone, "password": password})
    assert response.status_code == 200
    body = response.get_json()
    assert body["token"] and role in body["user"]["roles"]
    assert body["user"]["township"] == {"slug": "qingxi", "name": "清溪镇"} or role == "shopkeeper"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.get_json()["id"] == body["user"]["id"]


def test_committee_login_names_its_village(client, demo):
    body = client.post("/api/v1/auth/login", json={"phone": "13900000022", "password": "demo-committee"}).get_json()
    assert body["user"]["village"] == {"slug": "chama", "name": "岔马村"}


def test_wrong_password_and_unknown_phone_get_the_same_answer(client, demo):
    wrong = client.post("/api/v1/auth/login", json={"phone": "13900000012", "password": "nope"})
    unknown = client.post("/api/v1/auth/login", json={"phone": "13911112222", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"]["message"] == "手机号或密码不对，请重新输入。"


@pytest.mark.parametrize("phone", ["123", "1390000001", "139000000011", "23900000001", "abcdefghijk", ""])
def test_malformed_phone_gets_a_chinese_message(client, demo, phone):
    response = client.post("/api/v1/auth/login", json={"phone": phone, "password": "x"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "手机号" in error["message"] or "phone" in error.get("fields", {})


def test_phone_with_country_code_and_spaces_is_normalised(client, demo):
    response = client.post("/api/v1/auth/login", json={"phone": "+86 139-0000-0012", "password": "demo-committee"})
    assert response.status_code == 200


@pytest.mark.parametrize("body,content_type", [
    ("not json", "application/json"),
    ("[1, 2, 3]", "application/json"),
    ('"text"', "application/json"),
    ("[" * 5000 + "]" * 5000, "application/json"),
    ("phone=1", "application/x-www-form-urlencoded"),
])
def test_bodies_that_are_not_json_objects_are_the_contracts_400(client, body, content_type):
    response = client.post("/api/v1/auth/login", data=body, content_type=content_type)
    assert response.status_code == 400  # API.md: a request that is not a JSON object is a bad request, not 422
    assert response.get_json()["error"]["code"] in ("bad_json", "bad_request") and response.get_json()["error"]["message"]


def test_password_is_never_logged(client, demo, caplog):
    caplog.set_level("DEBUG")
    client.post("/api/v1/auth/login", json={"phone": "13900000012", "password": "secret-typed-wrong"})
    client.post("/login", data={"phone": "13900000012", "password": "secret-typed-wrong"})
    assert "secret-typed-wrong" not in caplog.text


def test_login_form_logs_in_and_goes_to_the_desk(client, demo):
    response = client.post("/login", data={"phone": "13900000012", "password": "demo-committee"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff")
    assert "李秀英" in client.get("/staff").get_data(as_text=True)


def test_login_form_wrong_password_shows_message_and_keeps_phone(client, demo):
    response = client.post("/login", data={"phone": "13900000012", "password": "bad"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "手机号或密码不对" in page and 'value="13900000012"' in page


@pytest.mark.parametrize("data,message", [
    ({"phone": "13900000012", "password": ""}, "请填写手机号和密码"),
    ({"phone": "1390000", "password": "demo-committee"}, "手机号格式不对"),
])
def test_login_form_that_cannot_be_checked_is_422_with_what_to_fix(client, demo, data, message):
    """Not a wrong password (401) but input to fix: 422 like every other refused form, the phone kept."""
    response = client.post("/login", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and f'value="{data["phone"]}"' in page


@pytest.mark.parametrize("target,expected", [
    ("/v/hexi", "/v/hexi"), ("//evil.example/x", "/staff"), ("https://evil.example/", "/staff"), ("/\\evil", "/staff"),
])
def test_login_redirects_only_to_this_site(client, demo, target, expected):
    response = client.post(f"/login?next={target}", data={"phone": "13900000012", "password": "demo-committee"})
    assert response.headers["Location"] == expected


def test_forged_token_is_refused(client, demo):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer eyJ1IjoxLCJnIjoxfQ.forged.sig"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"


def test_expired_token_is_refused(app, client, token_for, monkeypatch, people):
    headers = token_for(people["committee"])
    monkeypatch.setitem(app.config, "TOKEN_MAX_AGE", -1)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "token_expired"


def test_api_without_login_answers_401_json_not_a_redirect(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"


@pytest.mark.parametrize("end", [lambda user: change_password(user, "a-new-password"), deactivate])
def test_password_change_or_deactivation_ends_sessions_and_tokens_at_once(client, session, token_for, end, people):
    user = people["committee"]
    headers = token_for(user)
    client.post("/login", data={"phone": "13900000012", "password": "demo-committee"})
    assert client.get("/staff").status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    end(user)
    session.commit()
    assert client.get("/staff").status_code == 302  # back to the login page
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_weak_new_password_is_refused(people):
    from errors import DomainError

    with pytest.raises(DomainError, match="至少需要8位"):
        change_password(people["committee"], "short")


def test_login_attempts_are_rate_limited_per_phone(client, demo):
    codes = [client.post("/api/v1/auth/login", json={"phone": "13900000012", "password": f"wrong{i}"}).status_code
             for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert "频繁" in client.post("/api/v1/auth/login", json={"phone": "13900000012", "password": "x"}).get_json()["error"]["message"]


def test_logout_needs_post_and_ends_the_session(client, login_as, people):
    login_as(people["committee"])
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/staff").status_code == 302


def test_password_hash_is_not_the_password(people):
    user = people["committee"]
    assert "demo-committee" not in user.password_hash and re.match(r"^(scrypt|pbkdf2)", user.password_hash)
