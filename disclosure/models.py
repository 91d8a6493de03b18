"""Tables of 三务公开: cadres (清廉印象) for now; disclosures, lines and the power list join them."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from accounts.models import User, Village
from clock import UTCDateTime
from extensions import db


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
    # Report routing reads these: a report naming either kind goes to the township.
    secretary_chair: Mapped[bool] = mapped_column(default=False)
    committee: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    village: Mapped[Village] = relationship()
    user: Mapped[User | None] = relationship()
