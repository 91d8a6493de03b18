"""Error and log text without secrets or personal data: what a failed job may show and log."""
import logging
import re

MAX_ERROR = 300
SECRET_SETTINGS = ("SECRET_KEY", "WECHAT_SECRET", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_TENCENT_SECRET_KEY",
                   "SMS_ALIYUN_ACCESS_KEY_ID", "SMS_TENCENT_SECRET_ID", "TRIAGE_WEBHOOK_URL")
HUEY_LOGGERS = ("huey", "huey.consumer", "huey.consumer.Worker", "huey.consumer.Scheduler")
_MASKS = (
    (re.compile(r"(access_token|secret|signature|token|key|password|credential)(\"?\s*[=:]\s*\"?)[^&\s\",}]+",
                re.IGNORECASE), r"\1\2***"),
    (re.compile(r"://[^/@\s]*@"), "://***@"),  # passwords in URLs (redis://:pw@host)
    (re.compile(r"(?<!\d)(?:\+?86)?1\d{10}(?!\d)"), "[手机号]"),
    (re.compile(r"\bo[A-Za-z0-9_-]{27}\b"), "[openid]"),
)


def secrets_of(config) -> tuple[str, ...]:
    """The configured secret values, to be masked wherever they might appear."""
    return tuple(str(config.get(name) or "") for name in SECRET_SETTINGS)


def mask(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask configured secrets, key=value credentials, URL passwords, phone numbers and openids."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """mask() on one line, cut to 300 characters: the failed-jobs list's error text."""
    text = " ".join(mask(text, secrets).split())
    return text if len(text) <= MAX_ERROR else text[:MAX_ERROR - 1] + "…"


class LogScrubber(logging.Filter):
    """Masks huey's log records, tracebacks included (huey logs a failing task's exception in full)."""

    def __init__(self):
        super().__init__()
        self.secrets: tuple[str, ...] = ()

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's text by its masked form; the traceback becomes masked text too."""
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = record.exc_text = None
        record.msg, record.args = mask(text, self.secrets), None
        return True


log_scrubber = LogScrubber()


def scrub_huey_logs(config) -> None:
    """Attach the scrubber to huey's loggers (once) with this app's secrets."""
    log_scrubber.secrets = secrets_of(config)
    for name in HUEY_LOGGERS:
        logger = logging.getLogger(name)
        if log_scrubber not in logger.filters:
            logger.addFilter(log_scrubber)
