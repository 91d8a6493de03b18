"""Tables of a report: the case, its events, messages and photos, and a township's deadlines."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from accounts.models import Village
from clock import UTCDateTime
from extensions import db

STATUSES = ("submitted", "accepted", "answered", "closed", "rejected")
LEVELS = ("village", "township")
CATEGORIES = ("作风纪律", "三资管理", "惠农政策", "工程项目", "三务公开", "环境卫生", "其他")
RATINGS = ("satisfied", "basic", "unsatisfied")
# The conditions of the partial indexes: what the wall shows (citizen.wall.entries.wall_query) and what is open.
# Written as SQLAlchemy renders the queries' own conditions, so each database's planner matches them.
WALL_WHERE = {"postgresql": "published IS true AND wall_hidden IS false AND status IN ('answered', 'closed')",
              "sqlite": "published IS 1 AND wall_hidden IS 0 AND status IN ('answered', 'closed')"}
OPEN_WHERE = "status IN ('submitted', 'accepted', 'answered')"


class Report(db.Model):
    """A villager's report (一键监督). Anonymous ones hold no account, address or device, ever."""

    __table_args__ = (
        sa.CheckConstraint("NOT anonymous OR user_id IS NULL", name="anonymous_has_no_user"),
        sa.CheckConstraint("status IN ('submitted','accepted','answered','closed','rejected')", name="status"),
        sa.CheckConstraint("level IN ('village','township')", name="level"),
        sa.Index("ix_report_queue", "village_id", "level", "status", "due_at"),
        # Triage: the wall's newest-first page and the overview's answer times read these.
        sa.Index("ix_report_wall", "village_id", "published", "wall_hidden", "answered_at", "status"),
        sa.Index("ix_report_wall_category", "village_id", "category", "published", "wall_hidden", "answered_at"),
        sa.Index("ix_report_village_answered", "village_id", "answered_at", "created_at"),
        sa.Index("ix_report_village_rating", "village_id", "rating"),
        # Partial indexes: the wall pages by keyset and its count, and the open-case count, read only the
        # rows they need however long the village's history grows (issue 16).
        sa.Index("ix_report_on_wall", "village_id", "answered_at", "id",
                 postgresql_where=sa.text(WALL_WHERE["postgresql"]), sqlite_where=sa.text(WALL_WHERE["sqlite"])),
        sa.Index("ix_report_on_wall_category", "village_id", "category", "answered_at", "id",
                 postgresql_where=sa.text(WALL_WHERE["postgresql"]), sqlite_where=sa.text(WALL_WHERE["sqlite"])),
        sa.Index("ix_report_rated", "village_id", "answered_at", "rating", postgresql_where=sa.text("rating IS NOT NULL"),
                 sqlite_where=sa.text("rating IS NOT NULL")),
        sa.Index("ix_report_open", "village_id", "status", postgresql_where=sa.text(OPEN_WHERE),
                 sqlite_where=sa.text(OPEN_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    level: Mapped[str] = mapped_column(sa.String(10), default="village")
    status: Mapped[str] = mapped_column(sa.String(12), default="submitted")
    category: Mapped[str] = mapped_column(sa.String(20))
    content: Mapped[str] = mapped_column(sa.Text)
    anonymous: Mapped[bool] = mapped_column(default=True)
    allow_public: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # What the report is about: a finance line, a power-list item or a cadre (ids of those tables).
    subject_type: Mapped[str | None] = mapped_column(sa.String(12))
    subject_id: Mapped[int | None] = mapped_column()
    # A cadre the reporter named; routing reads the cadre's flags.
    cadre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    # Only a keyed hash of the tracking code is kept: the code itself is shown once and never stored.
    tracking_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The submit form's one-time token: a double tap creates one report, not two.
    form_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[str | None] = mapped_column(sa.Text)
    public_text: Mapped[str | None] = mapped_column(sa.Text)
    published: Mapped[bool] = mapped_column(default=False)
    rating: Mapped[str | None] = mapped_column(sa.String(12))
    rating_comment: Mapped[str | None] = mapped_column(sa.Text)
    # Triage: a duplicate points at its earlier main case; a handler may hide a wall entry (with a reason).
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report.id"), index=True)
    wall_hidden: Mapped[bool] = mapped_column(default=False)

    village: Mapped[Village] = relationship()
    events: Mapped[list["ReportEvent"]] = relationship(back_populates="report", order_by="ReportEvent.id")
    messages: Mapped[list["ReportMessage"]] = relationship(back_populates="report", order_by="ReportMessage.id")
    photos: Mapped[list["ReportPhoto"]] = relationship(back_populates="report", order_by="ReportPhoto.id")


class ReportEvent(db.Model):
    """One step in a report's history; appended, never changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_role: Mapped[str] = mapped_column(sa.String(20))  # reporter, committee, inspector, system
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # never set for anonymous reporters
    action: Mapped[str] = mapped_column(sa.String(20))
    from_status: Mapped[str | None] = mapped_column(sa.String(12))
    to_status: Mapped[str | None] = mapped_column(sa.String(12))
    from_level: Mapped[str | None] = mapped_column(sa.String(10))
    to_level: Mapped[str | None] = mapped_column(sa.String(10))
    text: Mapped[str | None] = mapped_column(sa.Text)

    report: Mapped[Report] = relationship(back_populates="events")


class ReportMessage(db.Model):
    """A message between the reporter and the handler, both ways, also for anonymous reporters."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    author: Mapped[str] = mapped_column(sa.String(10))  # reporter | handler
    author_role: Mapped[str | None] = mapped_column(sa.String(20))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # handlers only
    text: Mapped[str] = mapped_column(sa.Text)

    report: Mapped[Report] = relationship(back_populates="messages")


class ReportPhoto(db.Model):
    """A re-encoded, metadata-free photo of a report, stored under a random name outside static/."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("report.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report_message.id"))
    storage_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    thumb_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size_bytes: Mapped[int] = mapped_column()
    public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    report: Mapped[Report] = relationship(back_populates="photos")

    @property
    def on_wall(self) -> bool:
        """Anyone may see it: the handler chose to show it with a published wall entry nobody has hidden."""
        return self.public and self.report.published and not self.report.wall_hidden


class TriageSettings(db.Model):
    """A township's deadlines and village-health thresholds; a missing row means the column defaults.

    When finance counts as late is the disclosure area's setting (DisclosureSettings.finance_stale_days).
    """

    __table_args__ = (
        sa.CheckConstraint("accept_days > 0 AND answer_days > 0", name="positive_days"),
        sa.CheckConstraint("deadline_mode IN ('calendar','working')", name="known_deadline_mode"),
    )

    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), primary_key=True)
    accept_days: Mapped[int] = mapped_column(default=3)
    answer_days: Mapped[int] = mapped_column(default=15)
    red_overdue_days: Mapped[int] = mapped_column(default=7)
    red_disclosure_days: Mapped[int] = mapped_column(default=60)
    red_satisfaction_pct: Mapped[int] = mapped_column(default=60)
    yellow_satisfaction_pct: Mapped[int] = mapped_column(default=80)
    # Deadlines in calendar days (自然日) or working days (工作日, the official holiday calendar: workdays.py).
    deadline_mode: Mapped[str] = mapped_column(sa.String(10), default="calendar", server_default="calendar")
