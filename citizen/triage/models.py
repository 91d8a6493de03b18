"""Tables of the triage desks: per-township deadlines, reply templates, wall flags and moderation, notifications."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from clock import UTCDateTime
from extensions import db

FLAG_REASONS = {"untrue": "不实", "privacy": "泄露隐私", "other": "其他"}


class TriageSettings(db.Model):
    """A township's deadlines and village-health thresholds; a missing row means the defaults."""

    __table_args__ = (
        sa.CheckConstraint("accept_days > 0 AND answer_days > 0", name="positive_days"),
    )

    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), primary_key=True)
    accept_days: Mapped[int] = mapped_column(default=3)
    answer_days: Mapped[int] = mapped_column(default=15)
    red_overdue_days: Mapped[int] = mapped_column(default=7)
    red_disclosure_days: Mapped[int] = mapped_column(default=60)
    yellow_disclosure_days: Mapped[int] = mapped_column(default=35)
    red_satisfaction_pct: Mapped[int] = mapped_column(default=60)
    yellow_satisfaction_pct: Mapped[int] = mapped_column(default=80)


class ReplyTemplate(db.Model):
    """A township's ready-made answer that a handler picks and edits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(40))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


class WallFlag(db.Model):
    """Someone's objection to a wall entry; never hides anything by itself, and stores no flagger identity."""

    __table_args__ = (sa.CheckConstraint("reason IN ('untrue','privacy','other')", name="reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WallModeration(db.Model):
    """A handler hid or restored a wall entry: who, when, why. Appended, never changed."""

    __table_args__ = (sa.CheckConstraint("action IN ('hide','restore')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.Text)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    actor_role: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    actor = relationship("User")


class Notification(db.Model):
    """An in-app notice for a handler; carries no reporter identity and no tracking code."""

    __table_args__ = (sa.Index("ix_notification_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # new_case, escalated, reporter_replied, due_soon
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
