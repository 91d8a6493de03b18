"""Fixtures of the notify tests: the SMS senders pointed at their local fakes."""
import pytest

from tests.notify.fake_sms import FakeAliyunSms, FakeTencentSms

ALIYUN = {"SMS_ALIYUN_ACCESS_KEY_ID": "LTAI-test-key-id", "SMS_ALIYUN_ACCESS_KEY_SECRET": "aliyun-secret-Zq81",
          "SMS_ALIYUN_SIGN_NAME": "村务码上监督", "SMS_TEMPLATE_LOGIN_CODE": "SMS_100001", "SMS_TEMPLATE_ACCEPTED": "SMS_100002"}
TENCENT = {"SMS_TENCENT_SECRET_ID": "AKID-test-secret-id", "SMS_TENCENT_SECRET_KEY": "tencent-secret-Kp42",
           "SMS_TENCENT_SDK_APP_ID": "1400006666", "SMS_TENCENT_SIGN_NAME": "村务码上监督",
           "SMS_TEMPLATE_LOGIN_CODE": "2001", "SMS_TEMPLATE_ACCEPTED": "2002"}
SECRETS = ("aliyun-secret-Zq81", "tencent-secret-Kp42")


def _configure(app, monkeypatch, sender: str, settings: dict, url_key: str, url: str) -> None:
    for key, value in {**settings, url_key: url, "SMS_SENDER": sender, "SMS_TIMEOUT": 0.5}.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.delitem(app.extensions, "sms_sender", raising=False)


@pytest.fixture
def aliyun(app, monkeypatch):
    """The Aliyun sender configured against a running fake."""
    with FakeAliyunSms(ALIYUN["SMS_ALIYUN_ACCESS_KEY_ID"], ALIYUN["SMS_ALIYUN_ACCESS_KEY_SECRET"]) as fake:
        _configure(app, monkeypatch, "notify.sms_aliyun:AliyunSms", ALIYUN, "SMS_ALIYUN_URL", fake.url)
        yield fake
    app.extensions.pop("sms_sender", None)


@pytest.fixture
def tencent(app, monkeypatch):
    """The Tencent Cloud sender configured against a running fake."""
    with FakeTencentSms(TENCENT["SMS_TENCENT_SECRET_ID"], TENCENT["SMS_TENCENT_SECRET_KEY"],
                        TENCENT["SMS_TENCENT_SDK_APP_ID"]) as fake:
        _configure(app, monkeypatch, "notify.sms_tencent:TencentSms", TENCENT, "SMS_TENCENT_URL", fake.url)
        yield fake
    app.extensions.pop("sms_sender", None)


@pytest.fixture(params=["aliyun", "tencent"])
def provider(request):
    """Each SMS provider, configured against its fake."""
    return request.getfixturevalue(request.param)


from tests.jobs.conftest import queue_on, run_due, sqlite_queue  # noqa: E402,F401  (the queue fixtures)
from tests.notify.fake_wechat import FakeWeChat  # noqa: E402

WECHAT_SECRET = "wechat-secret-Mm55"


@pytest.fixture
def wechat(app, monkeypatch):
    """WeChat's API faked on loopback, with two templates configured."""
    with FakeWeChat("wx-test-app", WECHAT_SECRET, {"TPL-ACCEPTED", "TPL-ANSWERED"}) as fake:
        for key, value in {"WECHAT_APPID": "wx-test-app", "WECHAT_SECRET": WECHAT_SECRET, "WECHAT_API_URL": fake.url,
                           "WECHAT_TEMPLATE_ACCEPTED": "TPL-ACCEPTED", "WECHAT_TEMPLATE_ANSWERED": "TPL-ANSWERED",
                           "WECHAT_MESSAGE_API": "bizsend", "WECHAT_TIMEOUT": 0.5}.items():
            monkeypatch.setitem(app.config, key, value)
        yield fake
