"""WeChat JS-SDK: the jsapi_ticket fetched and cached as WeChat requires, the wx.config signature, and the
Content-Security-Policy admitting WeChat's script host only on the pages that use it, only inside WeChat."""
import hashlib

import pytest

from tests.e2e.conftest import PHONE_UA

PAGE = "http://testserver.local/v/hexi/wall"
SDK = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"


@pytest.fixture
def in_wechat(client):
    """A client that says it is WeChat's browser."""
    client.environ_base["HTTP_USER_AGENT"] = PHONE_UA
    return client


def _config(client, url=PAGE):
    return client.get("/api/v1/wechat/js-config", query_string={"url": url})


def test_the_signature_is_wechats_sha1_over_the_ticket_nonce_time_and_page(client, wechat):
    answer = _config(client, PAGE + "#top")
    assert answer.status_code == 200
    body = answer.get_json()
    ticket = wechat.tickets[-1]
    expected = hashlib.sha1(f"jsapi_ticket={ticket}&noncestr={body['nonce_str']}&timestamp={body['timestamp']}"
                            f"&url={PAGE}".encode()).hexdigest()
    assert body["signature"] == expected and body["app_id"] == "wx-test-app"
    assert "wx-open-subscribe" in body["open_tag_list"] and "scanQRCode" in body["js_api_list"]


def test_the_ticket_is_fetched_once_and_shared(client, wechat):
    for _ in range(3):
        assert _config(client).status_code == 200
    assert len(wechat.tickets) == 1 and len(wechat.tokens) == 1


def test_an_expired_token_is_refreshed_for_the_ticket(client, wechat):
    from notify.wechat_token import access_token

    with client.application.app_context():
        access_token()  # a token is cached
    wechat.expire()
    assert _config(client).status_code == 200
    assert len(wechat.tokens) == 2 and len(wechat.tickets) == 1


@pytest.mark.parametrize("trouble", ["down", "slow", "garbage"])
def test_wechat_down_slow_or_garbled_is_a_clear_503_and_the_page_still_works(trouble, client, wechat, in_wechat):
    wechat.mode = trouble
    answer = _config(client)
    assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "wechat_unavailable"
    assert in_wechat.get("/v/hexi/wall").status_code == 200


def test_only_our_own_pages_are_signed(client, wechat):
    answer = _config(client, "https://evil.example/v/hexi/wall")
    assert answer.status_code == 422 and "本站" in answer.get_json()["error"]["message"]
    assert client.get("/api/v1/wechat/js-config").status_code == 422
    assert wechat.tickets == []


def test_without_an_official_account_there_is_no_endpoint_and_no_sdk(client, in_wechat):
    assert _config(client).status_code == 404
    page = in_wechat.get("/v/hexi/wall")
    assert SDK not in page.get_data(as_text=True) and "res.wx.qq.com" not in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/v/hexi/wall", "/v/hexi", "/me/points"])
def test_pages_that_use_the_sdk_admit_its_host_inside_wechat_only(path, wechat, in_wechat, app, login_as, people):
    login_as(people["villager"])
    page = in_wechat.get(path)
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' https://res.wx.qq.com;" in csp and "unsafe-inline" not in csp
    assert f'<script src="{SDK}" defer></script>' in page.get_data(as_text=True)
    in_wechat.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Linux; Android 10) Chrome/116.0 Mobile Safari/537.36"
    elsewhere = in_wechat.get(path)
    assert "res.wx.qq.com" not in elsewhere.headers["Content-Security-Policy"]
    assert SDK not in elsewhere.get_data(as_text=True)


def test_disclosures_and_the_wall_carry_a_share_card(wechat, in_wechat, demo):
    import sqlalchemy as sa

    from disclosure.models import Disclosure
    from extensions import db

    wall = in_wechat.get("/v/hexi/wall").get_data(as_text=True)
    assert 'name="wx-share" data-title="河西村回音壁"' in wall and 'data-link="http://testserver.local/v/hexi/wall"' in wall
    assert 'data-image="http://testserver.local/static/img/share.png?v=' in wall
    published = db.session.execute(sa.select(Disclosure).where(Disclosure.status == "published")).scalars().first()
    page = in_wechat.get(f"/d/{published.id}").get_data(as_text=True)
    assert 'name="wx-share"' in page and published.title in page.split('name="wx-share"')[1].split(">")[0]


def test_track_and_report_pages_never_carry_a_share_card_or_the_sdk(wechat, in_wechat, demo):
    code = next(iter(demo.tracking_codes.values()))
    for path in (f"/t/{code}", "/track", "/v/hexi/report"):
        page = in_wechat.get(path)
        assert page.status_code == 200, path
        assert 'name="wx-share"' not in page.get_data(as_text=True)
        assert "res.wx.qq.com" not in page.headers["Content-Security-Policy"]


def test_the_village_home_and_points_page_offer_scanning_that_works_without_wechat(client, login_as, people):
    login_as(people["villager"])
    for path in ("/v/hexi", "/me/points"):
        page = client.get(path).get_data(as_text=True)
        assert 'id="scan-button" href="/scan" data-wx-scan="scan-foreign"' in page
