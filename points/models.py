"""Tables of the points area: shops, the double-entry ledger, earn rules, redemptions, settlements, events."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

import clock
from accounts.models import Township, User, Village
from clock import UTCDateTime
from extensions import db

ACCOUNT_KINDS = ("villager", "shop", "issued", "settled")
TRANSFER_KINDS = ("earn", "redeem", "settle", "reverse")
RULE_KEYS = ("report_accepted", "report_published", "report_rated", "finance_read", "event_checkin")


class Shop(db.Model):
    """A partner shop that accepts points at its counter; the township repays it in cash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    address: Mapped[str] = mapped_column(sa.String(120), default="")
    contact: Mapped[str] = mapped_column(sa.String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    village: Mapped[Village] = relationship()


class Account(db.Model):
    """A points account: a villager's, a shop's, or a township's `issued` (source) or `settled` (sink).

    Only `issued` may go below zero: it is where earned points come from, so its balance is minus
    everything ever issued.
    """

    __table_args__ = (
        sa.CheckConstraint("kind IN ('villager','shop','issued','settled')", name="kind"),
        sa.CheckConstraint("balance >= 0 OR kind = 'issued'", name="balance_not_negative"),
        sa.CheckConstraint(
            "(kind = 'villager' AND user_id IS NOT NULL AND shop_id IS NULL AND township_id IS NULL)"
            " OR (kind = 'shop' AND shop_id IS NOT NULL AND user_id IS NULL AND township_id IS NULL)"
            " OR (kind IN ('issued','settled') AND township_id IS NOT NULL AND user_id IS NULL AND shop_id IS NULL)",
            name="owner_matches_kind"),
        sa.UniqueConstraint("township_id", "kind", name="uq_account_township_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), unique=True)
    shop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("shop.id"), unique=True)
    township_id: Mapped[int | None] = mapped_column(sa.ForeignKey("township.id"))
    balance: Mapped[int] = mapped_column(default=0)


class Transfer(db.Model):
    """One movement of points; its entries sum to zero. Never updated or deleted."""

    __table_args__ = (sa.CheckConstraint("kind IN ('earn','redeem','settle','reverse')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    idempotency_key: Mapped[str] = mapped_column(sa.String(140), unique=True)
    memo: Mapped[str] = mapped_column(sa.String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)

    entries: Mapped[list["Entry"]] = relationship(back_populates="transfer", order_by="Entry.id")


class Entry(db.Model):
    """One leg of a transfer: a signed amount on one account. Never updated or deleted."""

    __table_args__ = (
        sa.CheckConstraint("amount <> 0", name="amount_not_zero"),
        sa.Index("ix_entry_account_id_id", "account_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(sa.ForeignKey("transfer.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    amount: Mapped[int] = mapped_column()

    transfer: Mapped[Transfer] = relationship(back_populates="entries")
    account: Mapped[Account] = relationship()


class PointsSettings(db.Model):
    """A township's points settings: the rate it repays shops at, redemption limits, fraud thresholds."""

    __table_args__ = (
        sa.CheckConstraint("rate_fen >= 0", name="rate_not_negative"),
        sa.CheckConstraint("max_points_per_redemption > 0", name="max_points_positive"),
        sa.CheckConstraint("max_redemptions_per_day > 0", name="max_per_day_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), unique=True)
    rate_fen: Mapped[int] = mapped_column(default=10)
    max_points_per_redemption: Mapped[int] = mapped_column(default=200)
    max_redemptions_per_day: Mapped[int] = mapped_column(default=3)  # per villager per shop
    # Fraud thresholds: flags inform, they block nothing.
    few_villagers_min_redemptions: Mapped[int] = mapped_column(default=10)
    few_villagers_count: Mapped[int] = mapped_column(default=2)
    few_villagers_share_pct: Mapped[int] = mapped_column(default=80)
    drain_repeats: Mapped[int] = mapped_column(default=3)
    burst_count: Mapped[int] = mapped_column(default=5)
    burst_minutes: Mapped[int] = mapped_column(default=10)

    township: Mapped[Township] = relationship()


class EarnRule(db.Model):
    """One way to earn points in a township, with its amount, caps per villager and on/off switch."""

    __table_args__ = (
        sa.UniqueConstraint("township_id", "key", name="uq_earn_rule_township_key"),
        sa.CheckConstraint("points > 0 AND daily_cap >= 0 AND monthly_cap >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(20))
    points: Mapped[int] = mapped_column()
    daily_cap: Mapped[int] = mapped_column()  # most points a villager earns by this rule in a day
    monthly_cap: Mapped[int] = mapped_column()
    enabled: Mapped[bool] = mapped_column(default=True)


class EarnRecord(db.Model):
    """A reason to earn, once per source: granted with its transfer, or not granted with the reason."""

    __table_args__ = (
        sa.UniqueConstraint("user_id", "rule_key", "source", name="uq_earn_record_source"),
        sa.Index("ix_earn_record_user_rule_at", "user_id", "rule_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    rule_key: Mapped[str] = mapped_column(sa.String(20))
    source: Mapped[str] = mapped_column(sa.String(60))
    points: Mapped[int] = mapped_column()
    granted: Mapped[bool] = mapped_column()
    reason: Mapped[str | None] = mapped_column(sa.String(120))
    transfer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("transfer.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class VillagePoints(db.Model):
    """Points issued to a village's villagers and redeemed at its shops, all time, kept with each earn and payment.

    The overview reads these rows instead of summing the whole ledger (points.tally keeps them).
    """

    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"), primary_key=True, autoincrement=False)
    issued: Mapped[int] = mapped_column(default=0)
    redeemed: Mapped[int] = mapped_column(default=0)


class Settlement(db.Model):
    """A shop's monthly statement: points gathered, the rate copied at opening, the fen owed; paid once."""

    __table_args__ = (
        sa.UniqueConstraint("shop_id", "month", name="uq_settlement_shop_month"),
        sa.CheckConstraint("status IN ('open','paid')", name="status"),
        sa.CheckConstraint("amount_fen = points * rate_fen", name="amount_matches"),
        sa.CheckConstraint("status = 'open' OR reference IS NOT NULL", name="paid_has_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shop.id"), index=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    points: Mapped[int] = mapped_column()
    rate_fen: Mapped[int] = mapped_column()
    amount_fen: Mapped[int] = mapped_column()
    redemption_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(6), default="open")
    transfer_id: Mapped[int] = mapped_column(sa.ForeignKey("transfer.id"), unique=True)
    reference: Mapped[str | None] = mapped_column(sa.String(64))
    opened_by: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    paid_by: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    shop: Mapped[Shop] = relationship()


# A settled redemption corrected since, whose correction no statement has netted yet (a handful at most).
CORRECTION_PENDING = "corrected_at IS NOT NULL AND correction_settlement_id IS NULL"


class Redemption(db.Model):
    """Points a villager spent at a shop, with the 4-digit number both phones show."""

    __table_args__ = (
        sa.CheckConstraint("points > 0", name="points_positive"),
        sa.Index("ix_redemption_shop_at", "shop_id", "created_at"),
        sa.Index("ix_redemption_user_shop_at", "user_id", "shop_id", "created_at"),
        sa.Index("ix_redemption_unsettled", "shop_id", "settlement_id", "created_at"),
        # The township desk: a month's redemptions (fraud flags), and what no statement holds yet, by shop.
        sa.Index("ix_redemption_township_at", "township_id", "created_at"),
        sa.Index("ix_redemption_township_unsettled", "township_id", "shop_id",
                 postgresql_where=sa.text("settlement_id IS NULL AND reversal_transfer_id IS NULL"),
                 sqlite_where=sa.text("settlement_id IS NULL AND reversal_transfer_id IS NULL")),
        sa.Index("ix_redemption_township_corrections", "township_id", "shop_id",
                 postgresql_where=sa.text(CORRECTION_PENDING), sqlite_where=sa.text(CORRECTION_PENDING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(sa.ForeignKey("transfer.id"), unique=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shop.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    points: Mapped[int] = mapped_column()
    balance_after: Mapped[int] = mapped_column()
    confirmation: Mapped[str] = mapped_column(sa.String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    settlement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlement.id"))
    reversal_transfer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("transfer.id"), unique=True)
    reversal_reason: Mapped[str | None] = mapped_column(sa.String(200))
    # A settled redemption found wrong later is corrected by a new transfer; the next statement nets it.
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correction_settlement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlement.id"))

    shop: Mapped[Shop] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Event(db.Model):
    """A 群众说事日 meeting: villagers who scan its code during its time window earn points."""

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    village_id: Mapped[int] = mapped_column(sa.ForeignKey("village.id"))
    title: Mapped[str] = mapped_column(sa.String(80))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    village: Mapped[Village] = relationship()


class ReportClaim(db.Model):
    """An anonymous report whose reward was paid, by its keyed tag (points.claims.claim_tag): never who or when."""

    tag: Mapped[str] = mapped_column(sa.String(64), primary_key=True)


class PendingClaim(db.Model):
    """One claim waiting for its batch: who, which day, how many points, and the report's keyed tag until paid."""

    __table_args__ = (sa.CheckConstraint("points > 0", name="points_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"))
    day: Mapped[date] = mapped_column(sa.Date, index=True)
    points: Mapped[int] = mapped_column()
    tag: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    earn_record_id: Mapped[int | None] = mapped_column(sa.ForeignKey("earn_record.id"), index=True)


class LedgerImmutable(RuntimeError):
    """Code tried to change or delete a transfer or an entry."""


@event.listens_for(Session, "before_flush")
def _refuse_ledger_edits(session, _context, _instances):
    """Invariant 2: transfers and entries are appended, never changed or deleted."""
    for obj in session.deleted:
        if isinstance(obj, (Transfer, Entry)):
            raise LedgerImmutable(f"{type(obj).__name__} rows are never deleted")
    for obj in session.dirty:
        if isinstance(obj, (Transfer, Entry)) and session.is_modified(obj, include_collections=False):
            raise LedgerImmutable(f"{type(obj).__name__} rows are never updated")
