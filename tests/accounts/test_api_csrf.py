"""Cookie-authenticated API writes need the page's CSRF token, whatever Authorization header comes along."""
import re

import pytest


@pytest.fixture
def csrf_on(app, monkeypatch):
    """CSRF checks as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _page_token(client) -> str:
    """The CSRF token a page of this session carries."""
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _write(client, **headers):
    """A cookie-carrying API write: asking for an SMS code."""
    return client.post("/api/v1/auth/sms", json={"phone": "13900000102"}, headers=headers)


@pytest.mark.parametrize("authorization", ["Bearer junk", "Bearer ", "Bearer eyJ1IjoxfQ.x.y", "bearer junk", "Basic x"])
def test_session_cookie_with_any_junk_authorization_still_needs_csrf(client, people, login_as, csrf_on, authorization):
    login_as(people["villager"])
    response = _write(client, Authorization=authorization)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"


def test_session_cookie_with_a_valid_token_of_someone_else_still_needs_csrf(client, people, login_as, token_for,
                                                                             csrf_on):
    login_as(people["villager"])
    response = _write(client, **token_for(people["committee"]))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"


def test_session_cookie_with_the_page_token_writes(client, people, login_as, csrf_on):
    login_as(people["villager"])
    assert _write(client, **{"X-CSRFToken": _page_token(client), "Authorization": "Bearer junk"}).status_code == 202


def test_valid_bearer_token_without_a_session_needs_no_csrf(client, people, token_for, csrf_on):
    assert _write(client, **token_for(people["villager"])).status_code == 202


def test_a_stale_session_cookie_does_not_make_a_bearer_client_need_csrf(client, session, people, login_as, token_for,
                                                                        csrf_on):
    from accounts.login import end_sessions

    villager = people["villager"]
    login_as(villager)
    end_sessions(villager)  # the cookie's generation is dead now
    session.commit()
    assert _write(client, **token_for(villager)).status_code == 202


def test_junk_bearer_without_a_session_is_401_not_a_write(client, demo, csrf_on):
    response = client.post("/api/v1/shops/HXZC01/redemptions", json={"points": 1},
                           headers={"Authorization": "Bearer junk", "Idempotency-Key": "junk-bearer"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"
