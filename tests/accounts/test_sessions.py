"""Ending sessions, tried as an attacker would: a cookie and a token copied before logout or a reset."""
import pytest

from accounts.login import change_password, deactivate

COMMITTEE = ("13900000012", "demo-committee")


def _logged_in(app):
    """A fresh browser logged in through the real form, and a bearer token from the API."""
    browser = app.test_client()
    assert browser.post("/login", data={"phone": COMMITTEE[0], "password": COMMITTEE[1]}).status_code == 302
    token = browser.post("/api/v1/auth/login", json={"phone": COMMITTEE[0], "password": COMMITTEE[1]}).get_json()
    return browser, {"Authorization": f"Bearer {token['token']}"}


def _copy_of(app, browser):
    """Another client holding a copy of the browser's session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def _works(client, headers=None) -> bool:
    """Does this cookie (or token) still open the desk and the API's /me?"""
    if headers:
        return client.get("/api/v1/me", headers=headers).status_code == 200
    desk = client.get("/staff").status_code == 200
    api = client.get("/api/v1/me").status_code == 200
    assert desk == api
    return desk


def test_logout_ends_copied_cookies_and_tokens(app, client, demo):
    browser, token = _logged_in(app)
    thief = _copy_of(app, browser)
    other_device, _ = _logged_in(app)
    assert _works(thief) and _works(app.test_client(), token) and _works(other_device)
    assert browser.post("/logout").status_code == 302
    assert not _works(browser)
    assert not _works(thief)
    assert not _works(app.test_client(), token)
    assert not _works(other_device)
    again, new_token = _logged_in(app)  # logging in again works, with a new cookie only
    assert _works(again) and _works(app.test_client(), new_token) and not _works(thief)


@pytest.mark.parametrize("end", [lambda user: change_password(user, "a-new-password"), deactivate],
                         ids=["password change", "deactivation"])
def test_password_change_and_deactivation_end_copied_cookies_and_tokens(app, client, session, people, end):
    browser, token = _logged_in(app)
    thief = _copy_of(app, browser)
    end(people["committee"])
    session.commit()
    assert not _works(browser) and not _works(thief) and not _works(app.test_client(), token)


def test_create_admin_password_reset_ends_old_cookies_and_tokens(app, client, session, demo):
    from accounts.login import authenticate

    browser, token = _logged_in(app)
    thief = _copy_of(app, browser)
    result = app.test_cli_runner().invoke(args=["create-admin", "--township", "清溪镇", "--slug", "qingxi",
                                                "--phone", COMMITTEE[0], "--name", "李秀英",
                                                "--password", "reset-by-admin"])
    assert result.exit_code == 0, result.output
    assert not _works(browser) and not _works(thief) and not _works(app.test_client(), token)
    assert authenticate(COMMITTEE[0], "reset-by-admin").phone == COMMITTEE[0]
