"""Sending one message by the channel its person chose, shared by step messages and staff digests.

The sender first gathers plain values (`wechat_facts` / `sms_facts`) in a read it commits, then
`send()` calls WeChat or the SMS provider with no database lock held. WeChat needs an official account,
the person's WeChat login and an unspent consent to the kind; 43101 revokes that consent and is never
retried. Other failures raise, so the job retries them and finally lists them.
"""
from datetime import datetime

from flask import current_app

from accounts.models import User
from accounts.sms import sender
from notify import subscriptions, wechat_messages
from notify.sms_errors import SmsCapReached

OUTCOME_NOTES = {"refused": "用户拒收（43101）", "capped": "这个手机号今天的短信已达上限"}


def wechat_obstacle(user: User, kind: str) -> str | None:
    """Why no WeChat message of `kind` can reach this person now (a Chinese note), or None when one can."""
    config = current_app.config
    if not (config["WECHAT_APPID"] and config["WECHAT_SECRET"]) or not user.wechat_openid:
        return "没有配置微信或未用微信登录"
    if subscriptions.usable(user.id, kind) is None:
        return "没有有效的微信订阅"
    return None


def wechat_facts(user: User, kind: str, matter: str, step: str, at: datetime, link: str) -> dict:
    """What a WeChat send needs, as plain values (the body names the matter and step, and links the page)."""
    body = wechat_messages.message_body(user.wechat_openid, kind, matter, step, at, link)
    return {"channel": "wechat", "user_id": user.id, "kind": kind, "body": body}


def sms_facts(user: User, kind: str, text: str, params: dict) -> dict:
    """What an SMS send needs, as plain values."""
    return {"channel": "sms", "phone": user.phone, "kind": kind, "text": text, "params": params}


def send(facts: dict) -> str:
    """Send once: 'sent', 'refused' (the person refused in WeChat) or 'capped' (today's texts used up)."""
    if facts["channel"] == "wechat":
        try:
            wechat_messages.send(facts["body"])
        except wechat_messages.SubscriptionRefused:
            subscriptions.revoke(facts["user_id"], facts["kind"])
            return "refused"
        subscriptions.use_one(facts["user_id"], facts["kind"])
        return "sent"
    try:
        sender().send(facts["phone"], facts["text"], template=facts["kind"], params=facts["params"])
    except SmsCapReached:
        return "capped"
    return "sent"
