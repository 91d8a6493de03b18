"""Who agreed to which WeChat messages, which channel each person chose, what was sent, and SMS counts per day."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import clock
from clock import UTCDateTime
from extensions import db

CHANNELS = ("wechat", "sms", "none")
REPORTER_STEPS = {"accepted": "已受理", "question": "待补充", "answered": "已答复", "sent_up": "已提级"}
STAFF_STEPS = {"new_case": "新反映", "due_soon": "到期提醒"}  # due_soon: the daily digest (notify.digests)
STEPS = {**REPORTER_STEPS, **STAFF_STEPS}  # kind -> the ≤5-character step name a message shows
_KIND_LIST = ",".join(f"'{kind}'" for kind in STEPS)


class WeChatSubscription(db.Model):
    """A person's WeChat consent to one kind of step message (WeChat's own subscribe dialog gave it)."""

    __tablename__ = "wechat_subscription"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", name="uq_wechat_subscription_user_kind"),
        sa.CheckConstraint(f"kind IN ({_KIND_LIST})", name="known_kind"),
        sa.CheckConstraint("status IN ('active','used','revoked')", name="known_status"),
        sa.CheckConstraint("remaining IS NULL OR remaining >= 0", name="remaining_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    # One-time templates: messages left to send (each consent adds one); NULL for a long-term template.
    remaining: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class NotificationPreference(db.Model):
    """How a person wants to hear of progress: WeChat, SMS or not at all."""

    __table_args__ = (sa.CheckConstraint("channel IN ('wechat','sms','none')", name="known_channel"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class OutboundMessage(db.Model):
    """One step message to one person: queued once (unique per person, kind and case), sent at most once."""

    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "report_id", name="uq_outbound_message_step"),
        sa.CheckConstraint(f"kind IN ({_KIND_LIST})", name="known_kind"),
        sa.CheckConstraint("channel IN ('wechat','sms')", name="known_channel"),
        sa.CheckConstraint("status IN ('queued','sent','refused','skipped')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id"))
    channel: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    note: Mapped[str | None] = mapped_column(sa.String(120))  # why skipped or refused, in Chinese
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffDigest(db.Model):
    """One handler's daily digest of cases due within 24 hours and overdue: at most one per person and Shanghai day."""

    __table_args__ = (
        sa.UniqueConstraint("user_id", "day", name="uq_staff_digest_day"),
        sa.CheckConstraint("channel IN ('wechat','sms')", name="known_channel"),
        sa.CheckConstraint("status IN ('queued','sent','refused','skipped')", name="known_status"),
        sa.CheckConstraint("due_soon >= 0 AND overdue >= 0 AND due_soon + overdue > 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))  # the unique (user_id, day) index serves lookups
    day: Mapped[date] = mapped_column(sa.Date)
    due_soon: Mapped[int] = mapped_column()  # cases due within 24 hours
    overdue: Mapped[int] = mapped_column()  # cases past their deadline
    channel: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    note: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WeChatToken(db.Model):
    """The official account's cached access_token, shared by every process (WeChat keeps one valid per app)."""

    __tablename__ = "wechat_token"
    appid: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    access_token: Mapped[str] = mapped_column(sa.String(600))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WeChatTicket(db.Model):
    """The official account's cached JS-SDK jsapi_ticket, shared by every process (WeChat limits fetches a day)."""

    __tablename__ = "wechat_ticket"
    appid: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    ticket: Mapped[str] = mapped_column(sa.String(600))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsDailyCount(db.Model):
    """How many texts a phone got on a Shanghai day; the phone is kept only as a keyed hash."""

    __table_args__ = (sa.CheckConstraint("sent >= 0", name="sent_not_negative"),)

    phone_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    sent: Mapped[int] = mapped_column(default=0)
