"""Tables of 三务公开: disclosures and their revisions, finance lines, the power list, cadres, reach."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from accounts.models import User, Village
from clock import UTCDateTime
from extensions import db

CATEGORIES = {"party": "党务", "affairs": "村务", "finance": "财务"}
MODES = {"regular": "常规", "periodic": "定期", "adhoc": "即时"}
STATUSES = {"draft": "草稿", "published": "已公开", "withdrawn": "已撤回"}
DIRECTIONS = {"income": "收入", "expense": "支出"}
DEFAULT_FINANCE_CATEGORIES = ("办公费", "工程款", "补贴发放", "集体经营收入", "上级拨款", "劳务费", "招待费", "其他")


class Disclosure(db.Model):
    """One disclosure on the board; what villagers read is its current published revision."""

    __table_args__ = (
        sa.CheckConstraint("category IN ('party','affairs','finance')", name="category"),
        sa.CheckConstraint("mode IN ('regular','periodic','adhoc')", name="mode"),
        sa.CheckConstraint("status IN ('draft','published','withdrawn')", name="status"),
        sa.CheckConstraint("revision >= 0", name="revision"),
        sa.CheckConstraint("status = 'draft' OR (revision > 0 AND published_at IS NOT NULL)",
                           name="published_has_revision"),
        sa.Index("ix_disclosure_board", "village_id", "category", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(10))
    mode: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    # Number of the revision villagers read; 0 while never published.
    revision: Mapped[int] = mapped_column(default=0)
    # Mirrors of the current revision's title and period, so the board lists need no join.
    title: Mapped[str] = mapped_column(sa.String(120))
    period: Mapped[str] = mapped_column(sa.String(10), default="")
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str | None] = mapped_column(sa.Text)

    village: Mapped[Village] = relationship()
    revisions: Mapped[list["Revision"]] = relationship(back_populates="disclosure", order_by="Revision.number")


class Revision(db.Model):
    """One version of a disclosure: a draft until published, then never changed again."""

    __table_args__ = (sa.UniqueConstraint("disclosure_id", "number", name="uq_revision_number"),
                      sa.CheckConstraint("number >= 1", name="number"),
                      sa.CheckConstraint("number = 1 OR published_at IS NULL OR reason IS NOT NULL",
                                         name="correction_has_reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(sa.ForeignKey("disclosure.id"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(120))
    period: Mapped[str] = mapped_column(sa.String(10), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What changed against the previous revision, worked out once when this one is published.
    changes: Mapped[dict | None] = mapped_column(sa.JSON)

    disclosure: Mapped[Disclosure] = relationship(back_populates="revisions")
    lines: Mapped[list["FinanceLine"]] = relationship(back_populates="revision", order_by="FinanceLine.position",
                                                      cascade="all, delete-orphan")
    attachments: Mapped[list["Attachment"]] = relationship(order_by="Attachment.id", cascade="all, delete-orphan")


class FinanceLine(db.Model):
    """One receipt line of a finance revision; a correction copies lines into the next revision."""

    __table_args__ = (
        sa.CheckConstraint("amount_fen > 0", name="amount_positive"),
        sa.CheckConstraint("direction IN ('income','expense')", name="direction"),
        sa.Index("ix_finance_line_order", "revision_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"))
    position: Mapped[int] = mapped_column()
    date: Mapped[date] = mapped_column(sa.Date)
    direction: Mapped[str] = mapped_column(sa.String(8))
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    category: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.String(200))
    counterparty: Mapped[str] = mapped_column(sa.String(100), default="")
    voucher: Mapped[str] = mapped_column(sa.String(40), default="")

    revision: Mapped[Revision] = relationship(back_populates="lines")


class Attachment(db.Model):
    """A re-encoded image or a checked PDF attached to a revision, stored under a random key."""

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(8))  # image | pdf
    name: Mapped[str] = mapped_column(sa.String(120))
    storage_key: Mapped[str] = mapped_column(sa.String(80))
    size_bytes: Mapped[int] = mapped_column()


class FinanceCategory(db.Model):
    """One entry of a village's editable list of finance categories."""

    __table_args__ = (sa.UniqueConstraint("village_id", "name", name="uq_finance_category_village_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)


class PowerItem(db.Model):
    """One item of a village's 小微权力清单, with its ordered steps."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(60))
    responsible: Mapped[str] = mapped_column(sa.String(100), default="")
    must_disclose: Mapped[str] = mapped_column(sa.Text, default="")
    # Hidden instead of deleted, so reports that name an item keep their subject.
    active: Mapped[bool] = mapped_column(default=True)

    village: Mapped[Village] = relationship()
    steps: Mapped[list["PowerStep"]] = relationship(back_populates="item", order_by="PowerStep.position",
                                                    cascade="all, delete-orphan")


class PowerStep(db.Model):
    """One step of a power-list item, in order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("power_item.id"), index=True)
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.String(200))

    item: Mapped[PowerItem] = relationship(back_populates="steps")


class Cadre(db.Model):
    """A village cadre shown to all, with duties and integrity pledge; reports may name one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    post: Mapped[str] = mapped_column(sa.String(60))
    duties: Mapped[str] = mapped_column(sa.Text, default="")
    pledge: Mapped[str] = mapped_column(sa.Text, default="")
    pledge_date: Mapped[date | None] = mapped_column(sa.Date)
    office_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    office_hours: Mapped[str] = mapped_column(sa.String(100), default="")
    photo_key: Mapped[str | None] = mapped_column(sa.String(80))
    # Report routing reads these: a report naming either kind goes to the township.
    secretary_chair: Mapped[bool] = mapped_column(default=False)
    committee: Mapped[bool] = mapped_column(default=False)
    # Added after the first migration: existing rows need a server default.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    village: Mapped[Village] = relationship()
    user: Mapped[User | None] = relationship()


class DailyViews(db.Model):
    """How many times a disclosure was opened on one day (Asia/Shanghai): a count, nobody's trace."""

    __table_args__ = (sa.UniqueConstraint("disclosure_id", "day", name="uq_daily_views_disclosure_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(sa.ForeignKey("disclosure.id"))
    day: Mapped[date] = mapped_column(sa.Date)
    count: Mapped[int] = mapped_column(default=0)


class DisclosureSettings(db.Model):
    """A township's settings of the disclosure area, such as when finance counts as stale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), unique=True)
    finance_stale_days: Mapped[int] = mapped_column(default=35)
