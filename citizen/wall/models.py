"""Tables of the wall: flags anyone raises against an entry, and the moderators' hide / restore record."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from clock import UTCDateTime
from extensions import db

FLAG_REASONS = {"untrue": "不实", "privacy": "泄露隐私", "other": "其他"}


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
