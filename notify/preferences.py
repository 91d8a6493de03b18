"""Each person's choice of how to hear of progress: WeChat, SMS or nothing.

Until they choose, a person who logged in through WeChat hears by WeChat (and only for kinds they
subscribed to in WeChat's own dialog); everyone else hears nothing: an SMS costs money and is sent
only to those who asked for it.
"""
import clock
from accounts.models import User
from errors import Invalid
from extensions import db
from notify.models import CHANNELS, NotificationPreference

CHANNEL_NAMES = {"wechat": "微信消息", "sms": "短信", "none": "不接收"}


def channel_of(user: User) -> str:
    """The channel this person hears on: their choice, else WeChat when they log in with it, else none."""
    chosen = db.session.get(NotificationPreference, user.id)
    if chosen is not None:
        return chosen.channel
    return "wechat" if user.wechat_openid else "none"


def choose_channel(user: User, channel: str) -> NotificationPreference:
    """Record the person's choice; WeChat needs a WeChat login first."""
    if channel not in CHANNELS:
        raise Invalid("请选择微信消息、短信或不接收。", fields={"channel": ["请选择一项。"]})
    if channel == "wechat" and not user.wechat_openid:
        raise Invalid("要接收微信消息，请先在微信里打开本站并登录。", fields={"channel": ["还没有用微信登录。"]},
                      code="no_wechat")
    row = db.session.get(NotificationPreference, user.id)
    if row is None:
        row = NotificationPreference(user_id=user.id, channel=channel)
        db.session.add(row)
    row.channel, row.updated_at = channel, clock.now()
    db.session.flush()
    return row
