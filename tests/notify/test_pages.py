"""我的 → 消息提醒 (channel and WeChat consents), the subscribe API behind WeChat's button, the done and track
pages' words for named and anonymous reporters, and 扫一扫 by photo outside WeChat."""
import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from notify.models import NotificationPreference, WeChatSubscription
from notify.subscriptions import subscribe
from tests.e2e.conftest import PHONE_UA

OPENID = "oWxPagesOpenid0123456789abcd"


@pytest.fixture
def wechat_villager(people, session):
    """The demo villager, logged in through WeChat once."""
    person = people["villager"]
    person.wechat_openid = OPENID
    session.flush()
    return person


def _form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _file_report(client, anonymous: bool):
    token = _form_token(client.get("/v/hexi/report").get_data(as_text=True))
    answer = client.post("/v/hexi/report", data={"category": "其他", "content": "村口的路灯坏了三个月没人修。",
                                                 "anonymous": "1" if anonymous else "0", "allow_public": "0",
                                                 "form_token": token})
    assert answer.status_code == 302
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def test_me_links_the_channel_page_and_staff_find_it_too(client, login_as, people):
    login_as(people["villager"])
    assert 'href="/me/notifications"' in client.get("/me").get_data(as_text=True)
    login_as(people["committee"])
    assert 'href="/me/notifications"' in client.get("/staff").get_data(as_text=True)


def test_the_channel_page_needs_a_login(client):
    answer = client.get("/me/notifications")
    assert answer.status_code in (302, 401)


def test_choosing_sms_is_saved_and_shown(client, login_as, people, session):
    login_as(people["villager"])
    assert client.post("/me/notifications", data={"channel": "sms"}).status_code == 303
    assert session.get(NotificationPreference, people["villager"].id).channel == "sms"
    page = client.get("/me/notifications").get_data(as_text=True)
    assert '<input checked id="channel-sms"' in page and "已保存：短信" in page


@pytest.mark.parametrize("channel, message", [("pigeon", "请选择微信消息、短信或不接收"),
                                              ("wechat", "请先在微信里打开本站并登录")])
def test_a_bad_or_impossible_choice_says_what_to_do_and_changes_nothing(channel, message, client, login_as, people,
                                                                         session):
    login_as(people["villager"])
    answer = client.post("/me/notifications", data={"channel": channel})
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert session.get(NotificationPreference, people["villager"].id) is None


def test_a_consent_is_listed_and_can_be_stopped(client, login_as, wechat_villager, session):
    subscribe(wechat_villager, ["accepted"])
    login_as(wechat_villager)
    page = client.get("/me/notifications").get_data(as_text=True)
    assert "已受理" in page and "已订阅" in page
    assert client.post("/me/notifications/unsubscribe", data={"kind": "accepted"}).status_code == 303
    row = session.execute(sa.select(WeChatSubscription).filter_by(user_id=wechat_villager.id)).scalar_one()
    assert row.status == "revoked"
    bad = client.post("/me/notifications/unsubscribe", data={"kind": "everything"})
    assert bad.status_code == 422


def test_the_subscribe_api_records_what_wechats_dialog_accepted(client, login_as, wechat_villager):
    login_as(wechat_villager)
    answer = client.post("/api/v1/me/wechat/subscriptions", json={"kinds": ["accepted", "answered"]})
    assert answer.status_code == 200
    assert answer.get_json() == {"subscriptions": {"accepted": "active", "answered": "active"}}


@pytest.mark.parametrize("body, status", [({"kinds": ["everything"]}, 422), ({"kinds": []}, 422), ({}, 422),
                                          ([1, 2], 400)])  # not a JSON object: the bad request of API.md
def test_the_subscribe_api_refuses_bad_bodies(body, status, client, login_as, wechat_villager, session):
    login_as(wechat_villager)
    answer = client.post("/api/v1/me/wechat/subscriptions", json=body)
    assert answer.status_code == status and answer.get_json()["error"]["message"]
    assert session.scalar(sa.select(sa.func.count()).select_from(WeChatSubscription)) == 0


def test_the_subscribe_api_needs_a_wechat_login_and_a_session(client, login_as, people):
    assert client.post("/api/v1/me/wechat/subscriptions", json={"kinds": ["accepted"]}).status_code == 401
    login_as(people["villager"])  # logged in by SMS code: WeChat cannot reach them
    answer = client.post("/api/v1/me/wechat/subscriptions", json={"kinds": ["accepted"]})
    assert answer.status_code == 422 and "微信登录" in answer.get_json()["error"]["message"]


def test_the_subscribe_api_needs_the_pages_csrf_token(app, client, login_as, wechat_villager, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(wechat_villager)
    answer = client.post("/api/v1/me/wechat/subscriptions", json={"kinds": ["accepted"]})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "csrf_failed"


def test_an_anonymous_reporter_is_told_no_push_can_reach_them(client, demo):
    page = _file_report(client, anonymous=True)
    assert 'id="anonymous-reach"' in page and "收不到任何微信或短信提醒" in page
    assert "wx-open-subscribe" not in page
    code = re.search(r'href="/t/([^"]+)"', page).group(1)
    case = client.get(f"/t/{code}").get_data(as_text=True)
    assert 'id="anonymous-reach"' in case and "保存好查询码" in case


def test_a_named_wechat_reporter_is_offered_wechats_subscribe_button(app, client, login_as, wechat_villager, wechat,
                                                                      monkeypatch):
    for kind in ("accepted", "question", "answered", "sent_up"):
        monkeypatch.setitem(app.config, f"WECHAT_TEMPLATE_{kind.upper()}", f"TPL-{kind.upper()}")
    client.environ_base["HTTP_USER_AGENT"] = PHONE_UA
    login_as(wechat_villager)
    page = _file_report(client, anonymous=False)
    assert '<wx-open-subscribe template="TPL-ACCEPTED,TPL-QUESTION,TPL-ANSWERED,TPL-SENT_UP"' in page
    assert 'data-url="/api/v1/me/wechat/subscriptions"' in page and 'id="anonymous-reach"' not in page
    assert "TPL-NEW_CASE" not in page


def test_a_named_reporter_outside_wechat_is_pointed_to_the_channel_page(client, login_as, people, wechat):
    login_as(people["villager"])
    page = _file_report(client, anonymous=False)
    assert 'id="named-reach"' in page and 'href="/me/notifications"' in page and "wx-open-subscribe" not in page


def _qr_photo(text: str) -> bytes:
    """A phone photo of a printed code: the code on a grey background, as a JPEG."""
    from citizen.codes.posters import qr_image

    code = qr_image(text, 8).convert("RGB")
    photo = Image.new("RGB", (code.width + 400, code.height + 300), (190, 190, 185))
    photo.paste(code, (200, 150))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return out.getvalue()


def _scan(client, data: bytes):
    return client.post("/scan", data={"photo": (io.BytesIO(data), "IMG_0002.jpg")}, content_type="multipart/form-data")


def test_a_photo_of_our_code_opens_it(client, demo, session):
    from citizen.codes.models import QrCode

    row = session.execute(sa.select(QrCode).where(QrCode.label == "河西村村委会公开栏")).scalar_one()
    answer = _scan(client, _qr_photo(f"http://testserver.local/q/{row.code}"))
    assert answer.status_code == 303 and answer.headers["Location"] == f"/q/{row.code}"
    assert client.get("/scan").status_code == 200


@pytest.mark.parametrize("data, message", [
    (_qr_photo("https://pay.example.com/steal?x=1"), "这不是本站的二维码"),
    (Image.new("RGB", (10, 10)).tobytes(), "这张照片认不出来"),
])
def test_a_foreign_code_or_a_broken_photo_is_refused_in_words(data, message, client):
    answer = _scan(client, data)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)


def test_a_photo_without_a_code_or_no_photo_says_what_to_do(client):
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 200, 200)).save(blank, "JPEG")
    answer = _scan(client, blank.getvalue())
    assert answer.status_code == 422 and "没有找到二维码" in answer.get_data(as_text=True)
    empty = client.post("/scan", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "请先拍一张二维码的照片" in empty.get_data(as_text=True)
