"""Tencent Cloud SMS (API 3.0, 2021-01-11) SendSms, signed with TC3-HMAC-SHA256.

Set SMS_SENDER=notify.sms_tencent:TencentSms, SMS_TENCENT_SECRET_ID / _SECRET_KEY, SMS_TENCENT_SDK_APP_ID,
SMS_TENCENT_SIGN_NAME, SMS_TENCENT_REGION and one SMS_TEMPLATE_<KIND> id per kind of message. The
template's parameters are positional: a message's params are sent in the order they were given.
"""
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
from datetime import datetime, timezone

from flask import current_app

from notify.http import ServiceUnavailable, call
from notify.sms_errors import SmsRejected, SmsUnavailable, require, template_code
from notify.sms_limits import take_sms_slot

log = logging.getLogger(__name__)
SERVICE, ACTION, VERSION, ALGORITHM = "sms", "SendSms", "2021-01-11", "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
RETRYABLE = ("InternalError", "RequestLimitExceeded", "FailedOperation.InsufficientBalanceInSmsPackage.Temporary")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign(secret_id: str, secret_key: str, host: str, payload: bytes, timestamp: int) -> str:
    """The Authorization header value for a POST of `payload` (JSON) to `host` at `timestamp`."""
    day = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    canonical = "\n".join(["POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", "content-type;host",
                           hashlib.sha256(payload).hexdigest()])
    scope = f"{day}/{SERVICE}/tc3_request"
    to_sign = "\n".join([ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), SERVICE), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"


class TencentSms:
    """The Tencent Cloud SendSms sender behind accounts.sms's interface."""

    provider = "tencent"

    def send(self, phone: str, text: str, template: str | None = None, params: dict | None = None) -> str:
        """Send one template message to a mainland number; returns Tencent's SerialNo or raises an Sms* error."""
        config = current_app.config
        secret_id, secret_key, app_id, sign_name = require(
            config, "SMS_TENCENT_SECRET_ID", "SMS_TENCENT_SECRET_KEY", "SMS_TENCENT_SDK_APP_ID", "SMS_TENCENT_SIGN_NAME")
        template_id = template_code(config, template or "login_code")
        take_sms_slot(phone)
        payload = json.dumps({"PhoneNumberSet": [f"+86{phone}"], "SmsSdkAppId": app_id, "SignName": sign_name,
                              "TemplateId": template_id,
                              "TemplateParamSet": [str(v) for v in (params or {}).values()]},
                             ensure_ascii=False, separators=(",", ":")).encode()
        url = config["SMS_TENCENT_URL"].rstrip("/")
        host, now = urllib.parse.urlsplit(url).netloc, int(time.time())
        headers = {"Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": ACTION, "X-TC-Version": VERSION,
                   "X-TC-Region": config["SMS_TENCENT_REGION"], "X-TC-Timestamp": str(now),
                   "Authorization": sign(secret_id, secret_key, host, payload, now)}
        try:
            status, answer = call("POST", f"{url}/", payload, headers, timeout=float(config["SMS_TIMEOUT"]))
        except ServiceUnavailable as exc:
            raise SmsUnavailable(f"tencent: {exc}") from None
        response = answer.get("Response") if isinstance(answer.get("Response"), dict) else {}
        error = response.get("Error") if isinstance(response.get("Error"), dict) else None
        statuses = response.get("SendStatusSet") if isinstance(response.get("SendStatusSet"), list) else []
        result = str(error.get("Code", "")) if error else str((statuses[0] or {}).get("Code", "")) if statuses else ""
        if not error and result == "Ok":
            return str(statuses[0].get("SerialNo", ""))
        log.warning("tencent SendSms answered %s (HTTP %s)", result or "no code", status)
        if not result or result.startswith(RETRYABLE) or status >= 500:
            raise SmsUnavailable(f"tencent answered {result or status}")
        raise SmsRejected(f"tencent answered {result}")
