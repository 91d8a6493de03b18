"""Fakes of Aliyun's and Tencent Cloud's SendSms: each recomputes the request's signature from the
documented algorithm (written here again, not imported from the senders) and answers in the provider's shape."""
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timezone

from tests.notify.fake_server import FakeService

UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _rfc3986(text: str) -> str:
    return "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in text.encode("utf-8"))


class FakeAliyunSms(FakeService):
    """dysmsapi SendSms with V3 signatures (ACS3-HMAC-SHA256)."""

    def __init__(self, key_id: str, secret: str):
        super().__init__()
        self.key_id, self.secret, self.nonces, self.sent = key_id, secret, set(), []

    def _error(self, status, code, message):
        return status, {"Code": code, "Message": message, "RequestId": str(uuid.uuid4()).upper()}

    def _signature_ok(self, query, headers, body) -> str | None:
        auth = headers.get("authorization", "")
        if not auth.startswith("ACS3-HMAC-SHA256 "):
            return "IncompleteSignature"
        fields = dict(part.split("=", 1) for part in auth[len("ACS3-HMAC-SHA256 "):].split(","))
        names = fields.get("SignedHeaders", "").split(";")
        required = {"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce",
                    "x-acs-version"}
        if fields.get("Credential") != self.key_id:
            return "InvalidAccessKeyId.NotFound"
        if not required <= set(names) or names != sorted(names):
            return "IncompleteSignature"
        if headers.get("x-acs-content-sha256") != hashlib.sha256(body).hexdigest():
            return "IncompleteSignature"
        when = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        if abs((datetime.now(timezone.utc) - when).total_seconds()) > 900:
            return "InvalidTimeStamp.Expired"
        if headers["x-acs-signature-nonce"] in self.nonces:
            return "SignatureNonceUsed"
        query_string = "&".join(f"{_rfc3986(k)}={_rfc3986(v)}" for k, v in sorted(query.items()))
        lines = "".join(f"{n}:{headers[n].strip()}\n" for n in names)
        canonical = f"POST\n/\n{query_string}\n{lines}\n{';'.join(names)}\n{hashlib.sha256(body).hexdigest()}"
        string = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(self.secret.encode(), string.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, fields.get("Signature", "")):
            return "SignatureDoesNotMatch"
        self.nonces.add(headers["x-acs-signature-nonce"])
        return None

    def handle(self, method, path, query, headers, body):
        if headers.get("x-acs-action") != "SendSms" or headers.get("x-acs-version") != "2017-05-25":
            return self._error(400, "InvalidAction.NotFound", "Specified api is not found")
        problem = self._signature_ok(query, headers, body)
        if problem:
            return self._error(400 if problem != "InvalidAccessKeyId.NotFound" else 404, problem,
                               "Specified signature is not matched with our calculation.")
        if self.mode == "throttle":
            return self._error(200, "isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        if not query.get("PhoneNumbers", "").isdigit():
            return self._error(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        params = json.loads(query.get("TemplateParam") or "{}")
        self.sent.append({"phone": query["PhoneNumbers"], "sign": query.get("SignName"),
                          "template": query.get("TemplateCode"), "params": params})
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"{len(self.sent)}^0", "RequestId": str(uuid.uuid4())}


class FakeTencentSms(FakeService):
    """Tencent Cloud SMS SendSms 2021-01-11 with TC3-HMAC-SHA256 signatures."""

    def __init__(self, secret_id: str, secret_key: str, app_id: str):
        super().__init__()
        self.secret_id, self.secret_key, self.app_id, self.sent = secret_id, secret_key, app_id, []

    def _error(self, code, message):
        return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}}

    def _signature_problem(self, headers, body) -> str | None:
        auth = headers.get("authorization", "")
        if not auth.startswith("TC3-HMAC-SHA256 "):
            return "AuthFailure.InvalidAuthorization"
        fields = dict(part.strip().split("=", 1) for part in auth[len("TC3-HMAC-SHA256 "):].split(","))
        secret_id, day, service, end = (fields.get("Credential", "").split("/") + ["", "", "", ""])[:4]
        if secret_id != self.secret_id:
            return "AuthFailure.SecretIdNotFound"
        timestamp = int(headers.get("x-tc-timestamp", "0"))
        if abs(time.time() - timestamp) > 300:
            return "AuthFailure.SignatureExpire"
        if (service, end) != ("sms", "tc3_request") or fields.get("SignedHeaders") != "content-type;host":
            return "AuthFailure.InvalidAuthorization"
        if day != datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d"):
            return "AuthFailure.SignatureFailure"
        canonical = (f"POST\n/\n\ncontent-type:{headers['content-type']}\nhost:{headers['host']}\n\n"
                     f"content-type;host\n{hashlib.sha256(body).hexdigest()}")
        string = f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        key = ("TC3" + self.secret_key).encode()
        for part in (day, "sms", "tc3_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(hmac.new(key, string.encode(), hashlib.sha256).hexdigest(),
                                   fields.get("Signature", "")):
            return "AuthFailure.SignatureFailure"
        return None

    def handle(self, method, path, query, headers, body):
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return self._error("InvalidAction", "接口不存在。")
        problem = self._signature_problem(headers, body)
        if problem:
            return self._error(problem, "The provided credentials could not be validated.")
        if self.mode == "throttle":
            return self._error("RequestLimitExceeded", "请求的次数超过了频率限制。")
        request = json.loads(body)
        if request.get("SmsSdkAppId") != self.app_id:
            return self._error("FailedOperation.SmsSdkAppIdVerifyFail", "SdkAppId 校验失败。")
        statuses = []
        for number in request.get("PhoneNumberSet", []):
            if not (number.startswith("+86") and number[3:].isdigit() and len(number) == 14):
                statuses.append({"SerialNo": "", "PhoneNumber": number, "Fee": 0, "SessionContext": "",
                                 "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "手机号格式错误",
                                 "IsoCode": ""})
                continue
            self.sent.append({"phone": number, "sign": request.get("SignName"), "template": request.get("TemplateId"),
                              "params": request.get("TemplateParamSet", [])})
            statuses.append({"SerialNo": f"2028:{len(self.sent)}", "PhoneNumber": number, "Fee": 1,
                             "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"})
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}
