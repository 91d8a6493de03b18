"""Tables of the triage desks: reply templates and the handlers' notifications."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import clock
from clock import UTCDateTime
from extensions import db


class ReplyTemplate(db.Model):
    """A township's ready-made answer that a handler picks and edits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(40))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


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
