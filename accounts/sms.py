"""Sending text messages: a pluggable sender, and the development outbox shown only in debug."""
from collections import deque
from importlib import import_module
from typing import Protocol

from flask import current_app

from clock import now


class SmsSender(Protocol):
    """What a real SMS provider plugs into: send one short text to one mainland mobile number."""

    def send(self, phone: str, text: str, template: str | None = None, params: dict | None = None) -> None:
        """Deliver or raise; the caller tells the person to try again.

        Providers send templates, not free text: `template` names the kind ("login_code", a step
        kind) whose provider template SMS_TEMPLATE_<KIND> configures, and `params` fill it; `text`
        is the same message written out (the dev outbox shows it).
        """


class DevOutbox:
    """Keeps the last messages in memory for the debug-only outbox page; sends nothing."""

    def __init__(self, size: int = 50):
        self.messages: deque = deque(maxlen=size)

    def send(self, phone: str, text: str, template: str | None = None, params: dict | None = None) -> None:
        """Remember the message, newest first."""
        self.messages.appendleft({"phone": phone, "text": text, "at": now(), "template": template,
                                  "params": params})

    def last_code_for(self, phone: str) -> str | None:
        """The digits of the newest message to `phone` (tests and the demo use this)."""
        for message in self.messages:
            if message["phone"] == phone:
                return "".join(ch for ch in message["text"] if ch.isdigit())[:6]
        return None


def sender() -> SmsSender:
    """The configured sender: "dev", or "package.module:ClassName" for a real provider
    (notify.sms_aliyun:AliyunSms, notify.sms_tencent:TencentSms)."""
    app = current_app._get_current_object()
    if "sms_sender" not in app.extensions:
        name = app.config["SMS_SENDER"]
        if name == "dev":
            app.extensions["sms_sender"] = DevOutbox()
        else:
            module, _, cls = name.partition(":")
            app.extensions["sms_sender"] = getattr(import_module(module), cls)()
    return app.extensions["sms_sender"]
