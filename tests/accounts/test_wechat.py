"""WeChat snsapi_base login against a local fake that speaks WeChat's OAuth2 protocol."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts.models import User

APPID, SECRET = "wx-test-appid", "wx-test-secret"


class FakeWeChat(BaseHTTPRequestHandler):
    """Answers sns/oauth2/access_token like WeChat: a JSON body with openid, or errcode/errmsg."""

    codes: dict[str, str] = {}
    seen: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        FakeWeChat.seen.append({"path": url.path, **query})
        if url.path != "/sns/oauth2/access_token":
            body = {"errcode": 40001, "errmsg": "invalid path"}
        elif query.get("appid") != APPID or query.get("secret") != SECRET:
            body = {"errcode": 40125, "errmsg": "invalid appsecret"}
        elif query.get("grant_type") != "authorization_code" or query.get("code") not in FakeWeChat.codes:
            body = {"errcode": 40029, "errmsg": "invalid code"}
        else:
            openid = FakeWeChat.codes.pop(query["code"])  # a code works once, as at WeChat
            body = {"access_token": "ACCESS", "expires_in": 7200, "refresh_token": "REFRESH",
                    "openid": openid, "scope": "snsapi_base"}
        data = json.dumps(body).encode()
        self.send_response(200)  # WeChat answers errors with 200 and an errcode
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def wechat(app, monkeypatch):
    """Start the fake and point the app's WeChat URLs at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeChat)
    # shutdown() waits for the loop's next poll: half a second per test at the default interval.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    for key, value in {"WECHAT_APPID": APPID, "WECHAT_SECRET": SECRET, "WECHAT_API_URL": base,
                       "WECHAT_OPEN_URL": base}.items():
        monkeypatch.setitem(app.config, key, value)
    FakeWeChat.codes.clear()
    FakeWeChat.seen.clear()
    yield FakeWeChat
    server.shutdown()


def _start(client) -> dict:
    """Open /login/wechat and return the authorize URL's query."""
    response = client.get("/login/wechat")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith("#wechat_redirect")
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(location.split("#")[0]).query))


def test_authorize_redirect_follows_wechat_documented_shape(client, wechat):
    query = _start(client)
    assert query["appid"] == APPID and query["scope"] == "snsapi_base" and query["response_type"] == "code"
    assert query["redirect_uri"].endswith("/login/wechat/callback") and len(query["state"]) >= 16


def test_first_wechat_login_binds_openid_after_phone_code_then_logs_in_directly(client, session, wechat, people):
    from accounts.sms import sender

    state = _start(client)["state"]
    wechat.codes["CODE1"] = "openid-wang"
    response = client.get(f"/login/wechat/callback?code=CODE1&state={state}")
    assert "/login/sms" in response.headers["Location"]  # unknown openid: prove the phone first
    client.post("/login/sms", data={"phone": "13900000101"})
    with client.application.app_context():
        code = sender().last_code_for("13900000101")
    client.post("/login/sms/verify", data={"phone": "13900000101", "code": code})
    session.expire_all()
    assert people["villager"].wechat_openid == "openid-wang"

    client.post("/logout")
    state = _start(client)["state"]
    wechat.codes["CODE2"] = "openid-wang"
    response = client.get(f"/login/wechat/callback?code=CODE2&state={state}")
    assert response.headers["Location"].endswith("/v/hexi")
    assert "王大爷" in client.get("/me").get_data(as_text=True)
    assert wechat.seen[-1]["grant_type"] == "authorization_code" and wechat.seen[-1]["secret"] == SECRET


def test_callback_with_wrong_state_is_refused(client, wechat):
    _start(client)
    wechat.codes["CODE3"] = "openid-x"
    response = client.get("/login/wechat/callback?code=CODE3&state=forged")
    assert response.status_code == 400 and "已失效" in response.get_data(as_text=True)
    assert "CODE3" in wechat.codes  # never exchanged


def test_code_refused_by_wechat_gives_a_friendly_page(client, wechat):
    state = _start(client)["state"]
    response = client.get(f"/login/wechat/callback?code=UNKNOWN&state={state}")
    assert response.status_code == 502 and "用手机号登录" in response.get_data(as_text=True)


def test_wechat_login_is_absent_without_an_appid(client):
    assert client.get("/login/wechat").status_code == 404


def test_openid_is_unique_per_account(session, people):
    import sqlalchemy.exc

    people["villager"].wechat_openid = "same"
    people["villager_chama"].wechat_openid = "same"
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        session.flush()
    session.rollback()
    assert session.get(User, people["villager"].id) is not None


def test_logged_in_villager_returning_from_wechat_gets_the_openid_bound(client, session, people, login_as, wechat):
    # The callback is a GET, so the binding is written in its own transaction, not the page's read.
    login_as(people["villager_chama"])
    state = _start(client)["state"]
    wechat.codes["CODE3"] = "openid-li"
    response = client.get(f"/login/wechat/callback?code=CODE3&state={state}")
    assert response.status_code == 302 and "/login/sms" not in response.headers["Location"]
    session.expire_all()
    assert people["villager_chama"].wechat_openid == "openid-li"
