"""Aliyun and Tencent Cloud SendSms against fakes that check the signature: sent, refused, throttled, slow, garbage."""
import pytest

from accounts.otp import send_code, verify_code
from accounts.sms import sender
from notify.sms_errors import SmsCapReached, SmsNotConfigured, SmsRejected, SmsUnavailable
from tests.notify.conftest import SECRETS

PHONE = "13712345678"


def _params(fake):
    sent = fake.sent[-1]["params"]
    return list(sent.values()) if isinstance(sent, dict) else sent


def test_a_signed_template_message_reaches_the_provider(app_ctx, session, provider):
    assert sender().send(PHONE, "您反映的问题已受理", template="accepted", params={"step": "已受理"})
    sent = provider.sent[-1]
    assert sent["phone"].endswith(PHONE) and sent["sign"] == "村务码上监督"
    assert sent["template"] in ("SMS_100002", "2002") and _params(provider) == ["已受理"]


def test_a_login_code_goes_out_through_the_provider_and_logs_the_villager_in(app_ctx, session, provider):
    send_code(PHONE)
    code = _params(provider)[0]
    assert len(code) == 6 and code.isdigit()
    assert verify_code(PHONE, code).phone == PHONE


def test_a_wrong_secret_is_refused_for_good_and_the_secret_is_nowhere(app_ctx, session, provider, monkeypatch, caplog):
    key = "SMS_ALIYUN_ACCESS_KEY_SECRET" if hasattr(provider, "nonces") else "SMS_TENCENT_SECRET_KEY"
    monkeypatch.setitem(app_ctx.config, key, "wrong-secret-Xy77")
    with caplog.at_level("DEBUG"), pytest.raises(SmsRejected) as refused:
        sender().send(PHONE, "x", template="accepted", params={"step": "已受理"})
    assert "Signature" in str(refused.value) and provider.sent == []
    for secret in (*SECRETS, "wrong-secret-Xy77"):
        assert secret not in caplog.text and secret not in str(refused.value)


def test_throttling_is_worth_another_try(app_ctx, session, provider):
    provider.mode = "throttle"
    with pytest.raises(SmsUnavailable):
        sender().send(PHONE, "x", template="accepted", params={"step": "已受理"})


@pytest.mark.parametrize("mode", ["slow", "garbage", "down"])
def test_a_slow_broken_or_garbled_provider_is_worth_another_try(app_ctx, session, provider, mode):
    provider.mode = mode
    with pytest.raises(SmsUnavailable) as failed:
        sender().send(PHONE, "x", template="accepted", params={"step": "已受理"})
    assert "127.0.0.1" in str(failed.value) or "answered" in str(failed.value)


def test_a_bad_number_is_refused_for_good(app_ctx, session, provider):
    with pytest.raises(SmsRejected):
        sender().send("1371234567x", "x", template="accepted", params={"step": "已受理"})


def test_a_phone_gets_at_most_the_daily_cap_of_texts(app_ctx, session, provider, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "SMS_DAILY_CAP", 2)
    for _ in range(2):
        sender().send(PHONE, "x", template="accepted", params={"step": "已受理"})
    with pytest.raises(SmsCapReached) as capped:
        sender().send(PHONE, "x", template="accepted", params={"step": "已受理"})
    assert len(provider.sent) == 2 and capped.value.status == 429
    sender().send("13712345679", "x", template="accepted", params={"step": "已受理"})  # another phone is not capped
    assert len(provider.sent) == 3


def test_a_missing_template_is_a_configuration_error_naming_the_setting(app_ctx, session, provider):
    with pytest.raises(SmsNotConfigured) as missing:
        sender().send(PHONE, "x", template="answered", params={"step": "已答复"})
    assert "SMS_TEMPLATE_ANSWERED" in str(missing.value) and provider.requests == []
