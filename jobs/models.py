"""The failed-jobs list: a job that used up its retries is recorded here, never dropped silently."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import clock
from clock import UTCDateTime
from extensions import db

FAILED_STATUSES = ("failed", "retried", "dismissed")


class FailedJob(db.Model):
    """One job that failed for good: which task, when, after how many tries, and why (scrubbed text)."""

    __table_args__ = (
        sa.CheckConstraint("status IN ('failed','retried','dismissed')", name="known_status"),
        sa.CheckConstraint("tries >= 1", name="tried"),
        sa.Index("ix_failed_job_status_township", "status", "township_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(sa.String(120))
    label: Mapped[str] = mapped_column(sa.String(60))
    # The township the job concerned; NULL for jobs of the whole install (shown to every township's staff).
    township_id: Mapped[int | None] = mapped_column(sa.ForeignKey("township.id"))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    tries: Mapped[int] = mapped_column()
    # Exception type and message with secrets, phones, openids and tokens masked; never report text.
    error: Mapped[str] = mapped_column(sa.String(300))
    # The task's arguments (ids and kinds only, by the tasks' contract) as JSON, to queue it again.
    args_json: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="failed")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
