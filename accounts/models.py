"""Townships, villages, people and their scoped roles."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

import clock
from clock import UTCDateTime
from extensions import db

ROLES = ("villager", "clerk", "committee", "inspector", "township", "shopkeeper")
VILLAGE_ROLES = ("villager", "clerk", "committee")
TOWNSHIP_ROLES = ("inspector", "township")
ROLE_NAMES = {
    "villager": "村民", "clerk": "村务员", "committee": "村监会", "inspector": "镇纪委",
    "township": "乡镇", "shopkeeper": "商户",
}


class Township(db.Model):
    """A township (镇): the unit that inspects, sets rules and settles with shops."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    villages: Mapped[list["Village"]] = relationship(back_populates="township", order_by="Village.id")


class Village(db.Model):
    """A village (村), addressable everywhere by its slug."""

    __table_args__ = (sa.UniqueConstraint("township_id", "name", name="uq_village_township_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    township: Mapped[Township] = relationship(back_populates="villages")


class User(db.Model):
    """A person who can log in: villager, clerk, committee head, inspector, staff or shop keeper."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(sa.String(11), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on deactivation or password change: every session and token carrying the old value dies.
    session_generation: Mapped[int] = mapped_column(default=1)
    wechat_openid: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    grants: Mapped[list["RoleGrant"]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                     lazy="selectin")

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot use any session."""
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """Session id carries the generation, so a bump logs out every session at once."""
        return f"{self.id}:{self.session_generation}"

    def set_password(self, password: str) -> None:
        """Hash with werkzeug's scrypt; the clear password is never stored or logged."""
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        """Compare a password with the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def roles(self) -> set[str]:
        """The role names this person holds anywhere."""
        return {grant.role for grant in self.grants}

    def grants_for(self, role: str) -> list["RoleGrant"]:
        """The grants of one role."""
        return [grant for grant in self.grants if grant.role == role]


class RoleGrant(db.Model):
    """One role tied to the one place it applies to: a village, a township or a shop."""

    __table_args__ = (
        sa.CheckConstraint(
            "(role IN ('villager','clerk','committee') AND village_id IS NOT NULL"
            " AND township_id IS NULL AND shop_id IS NULL)"
            " OR (role IN ('inspector','township') AND township_id IS NOT NULL"
            " AND village_id IS NULL AND shop_id IS NULL)"
            " OR (role = 'shopkeeper' AND shop_id IS NOT NULL AND village_id IS NULL AND township_id IS NULL)",
            name="scope_matches_role",
        ),
        sa.UniqueConstraint("user_id", "role", "village_id", "township_id", "shop_id", name="uq_role_grant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    village_id: Mapped[int | None] = mapped_column(sa.ForeignKey("village.id"), index=True)
    township_id: Mapped[int | None] = mapped_column(sa.ForeignKey("township.id"), index=True)
    shop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("shop.id"), index=True)

    user: Mapped[User] = relationship(back_populates="grants")
    village: Mapped[Village | None] = relationship(lazy="joined")
    township: Mapped[Township | None] = relationship(lazy="joined")


class OneTimeCode(db.Model):
    """A 6-digit login code sent by SMS; only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(sa.String(11), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    used: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class RetentionPolicy(db.Model):
    """How long a township keeps what villagers leave behind (个人信息保护法 §19, §47); defaults on the columns."""

    township_id: Mapped[int] = mapped_column(sa.ForeignKey("township.id"), primary_key=True, autoincrement=False)
    closed_case_days: Mapped[int] = mapped_column(default=3 * 365)  # a closed or rejected case, whole
    photo_days: Mapped[int] = mapped_column(default=365)  # photos of a closed case, sooner than the case
    code_days: Mapped[int] = mapped_column(default=1)  # one-time login codes, long expired
    counter_days: Mapped[int] = mapped_column(default=2 * 365)  # daily view and scan counts
