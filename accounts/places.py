"""Townships and villages as the other areas find them, so none of them queries the accounts tables itself."""
import sqlalchemy as sa

from accounts.models import RoleGrant, Township, User, Village
from extensions import db
from jsonapi import MAX_ID


def all_townships() -> list[Township]:
    """Every township, oldest first."""
    return list(db.session.execute(sa.select(Township).order_by(Township.id)).scalars())


def township_by_id(township_id: int | None) -> Township | None:
    """The township with this id, or None."""
    return db.session.get(Township, township_id) if township_id else None


def village_by_id(village_id: int | None) -> Village | None:
    """The village with this id, or None (also for an id past what the database stores)."""
    return db.session.get(Village, village_id) if village_id and 0 < village_id <= MAX_ID else None


def township_village(township: Township, village_id: int | None) -> Village | None:
    """The township's village with this id; None for a village of another township, as for none at all."""
    village = village_by_id(village_id)
    return village if village is not None and village.township_id == township.id else None


def find_village(slug: str | None) -> Village | None:
    """The village with this slug, or None."""
    return db.session.execute(sa.select(Village).where(Village.slug == slug)).scalar_one_or_none() if slug else None


def villages_by_ids(village_ids: set[int]) -> list[Village]:
    """These villages, in id order."""
    if not village_ids:
        return []
    return list(db.session.execute(sa.select(Village).where(Village.id.in_(village_ids)).order_by(Village.id)).scalars())


def villages_of(township_id: int) -> list[Village]:
    """A township's villages, in id order."""
    return list(db.session.execute(sa.select(Village).where(Village.township_id == township_id)
                                   .order_by(Village.id)).scalars())


def village_ids_of(township_id: int) -> sa.Select:
    """The ids of a township's villages, as a subquery to filter other areas' rows by."""
    return sa.select(Village.id).where(Village.township_id == township_id)


def township_ids_of(village_ids: set[int]) -> set[int]:
    """The townships these villages belong to."""
    if not village_ids:
        return set()
    return set(db.session.execute(sa.select(Village.township_id).where(Village.id.in_(village_ids))).scalars())


def active_holders(role: str, *, village_id: int | None = None, township_id: int | None = None) -> set[int]:
    """Ids of the active accounts granted `role` directly at this village or township."""
    query = sa.select(RoleGrant.user_id).join(User, User.id == RoleGrant.user_id).where(
        RoleGrant.role == role, User.active.is_(True))
    if village_id is not None:
        query = query.where(RoleGrant.village_id == village_id)
    if township_id is not None:
        query = query.where(RoleGrant.township_id == township_id)
    return set(db.session.execute(query).scalars())
