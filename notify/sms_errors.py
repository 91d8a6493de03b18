"""How an SMS provider's refusal reads: retry later, or give up at once (another try cannot fix it)."""
from errors import DomainError
from jobs.queue import NoRetry


class SmsUnavailable(DomainError):
    """The provider is down, slow, throttling or answered garbage: try again later (a job retries)."""

    status = 503
    code = "sms_unavailable"
    message = "短信暂时发不出去，请稍后再试。"


class SmsRejected(DomainError, NoRetry):
    """The provider refused this message for good (number, template, signature, account): no retry."""

    status = 502
    code = "sms_rejected"
    message = "短信没有发出，请确认手机号，或联系乡镇工作人员。"


class SmsCapReached(DomainError, NoRetry):
    """The phone already got today's number of texts."""

    status = 429
    code = "sms_daily_cap"
    message = "这个手机号今天收到的短信已经够多了，请明天再试。"


class SmsNotConfigured(DomainError, NoRetry):
    """A provider setting or a template code is missing."""

    status = 500
    code = "sms_not_configured"
    message = "短信服务还没有配置好，请联系管理员。"


def template_code(config, kind: str) -> str:
    """The provider's template for a kind of message: SMS_TEMPLATE_<KIND> (e.g. SMS_TEMPLATE_LOGIN_CODE)."""
    code = config.get(f"SMS_TEMPLATE_{kind.upper()}")
    if not code:
        raise SmsNotConfigured(f"SMS_TEMPLATE_{kind.upper()} is not set")
    return code


def require(config, *names: str) -> list[str]:
    """The values of required settings, or SmsNotConfigured naming the first missing one (never its value)."""
    values = [config.get(name) for name in names]
    for name, value in zip(names, values):
        if not value:
            raise SmsNotConfigured(f"{name} is not set")
    return values
