"""Aliyun SMS (dysmsapi 2017-05-25) SendSms, signed with Aliyun's V3 method (ACS3-HMAC-SHA256).

Set SMS_SENDER=notify.sms_aliyun:AliyunSms, SMS_ALIYUN_ACCESS_KEY_ID / _SECRET, SMS_ALIYUN_SIGN_NAME
and one SMS_TEMPLATE_<KIND> code per kind of message. The RPC-style parameters travel in the query
string of a POST with an empty body; the signature covers method, path, sorted query, the signed
headers and the body's SHA-256. Nothing secret is logged: only the provider's answer code.
"""
import hashlib
import hmac
import json
import logging
import urllib.parse
import uuid
from datetime import datetime, timezone

from flask import current_app

from notify.http import ServiceUnavailable, call
from notify.sms_errors import SmsRejected, SmsUnavailable, require, template_code
from notify.sms_limits import take_sms_slot

log = logging.getLogger(__name__)
ACTION, VERSION, ALGORITHM = "SendSms", "2017-05-25", "ACS3-HMAC-SHA256"
# Answer codes another try may fix: throttling and the provider's own faults.
RETRYABLE = ("isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "Throttling", "ServiceUnavailable", "InternalError")


def percent(value: str) -> str:
    """RFC 3986 encoding as the V3 method wants it: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return urllib.parse.quote(value, safe="-_.~")


def canonical_query(params: dict) -> str:
    """Parameters sorted by name, names and values percent-encoded, joined by &."""
    return "&".join(f"{percent(k)}={percent(str(v))}" for k, v in sorted(params.items()))


def sign(secret: str, key_id: str, method: str, host: str, query: dict, body: bytes, headers: dict) -> str:
    """The Authorization header value for a request whose x-acs-* headers are already in `headers`."""
    signed = {"host": host, **{k.lower(): v.strip() for k, v in headers.items() if k.lower().startswith("x-acs-")}}
    names = sorted(signed)
    canonical = "\n".join([method, "/", canonical_query(query),
                           "".join(f"{name}:{signed[name]}\n" for name in names), ";".join(names),
                           hashlib.sha256(body).hexdigest()])
    to_sign = f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={key_id},SignedHeaders={';'.join(names)},Signature={signature}"


class AliyunSms:
    """The Aliyun SendSms sender behind accounts.sms's interface."""

    provider = "aliyun"

    def send(self, phone: str, text: str, template: str | None = None, params: dict | None = None) -> str:
        """Send one template message to a mainland number; returns Aliyun's BizId or raises an Sms* error."""
        config = current_app.config
        key_id, secret, sign_name = require(config, "SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET",
                                            "SMS_ALIYUN_SIGN_NAME")
        code = template_code(config, template or "login_code")
        take_sms_slot(phone)
        query = {"PhoneNumbers": phone, "SignName": sign_name, "TemplateCode": code,
                 "TemplateParam": json.dumps(params or {}, ensure_ascii=False, separators=(",", ":"))}
        url = config["SMS_ALIYUN_URL"].rstrip("/")
        host, body = urllib.parse.urlsplit(url).netloc, b""
        headers = {"x-acs-action": ACTION, "x-acs-version": VERSION, "x-acs-signature-nonce": uuid.uuid4().hex,
                   "x-acs-date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "x-acs-content-sha256": hashlib.sha256(body).hexdigest()}
        headers["Authorization"] = sign(secret, key_id, "POST", host, query, body, headers)
        try:
            status, answer = call("POST", f"{url}/?{canonical_query(query)}", body, headers,
                                  timeout=float(config["SMS_TIMEOUT"]))
        except ServiceUnavailable as exc:
            raise SmsUnavailable(f"aliyun: {exc}") from None
        result = str(answer.get("Code", ""))
        if result == "OK":
            return str(answer.get("BizId", ""))
        log.warning("aliyun SendSms answered %s (HTTP %s)", result or "no code", status)
        if result.startswith(RETRYABLE) or status >= 500:
            raise SmsUnavailable(f"aliyun answered {result or status}")
        raise SmsRejected(f"aliyun answered {result or status}")
