"""Tables of the codes: every printed QR code and its scans per day."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from accounts.models import Village
from clock import UTCDateTime
from extensions import db

QR_KINDS = ("village", "disclosure", "power_item", "cadre", "shop", "event")


class QrCode(db.Model):
    """A printed code (码上监督): where it points, and where it is posted so a forged sticker is noticed."""

    __table_args__ = (
        sa.CheckConstraint("kind IN ('village','disclosure','power_item','cadre','shop','event')", name="kind"),
        sa.CheckConstraint("kind = 'village' OR target_id IS NOT NULL", name="target_needed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    target_id: Mapped[int | None] = mapped_column()
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(60))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    village: Mapped[Village] = relationship()


class QrScanDay(db.Model):
    """How often a code was scanned on one day: an aggregate, never who scanned."""

    __table_args__ = (
        sa.UniqueConstraint("code_id", "day", name="uq_qr_scan_day_code_day"),
        sa.CheckConstraint("scans >= 0", name="scans_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(sa.ForeignKey("qr_code.id"), index=True)
    day: Mapped[date] = mapped_column(sa.Date)
    scans: Mapped[int] = mapped_column(default=0)
