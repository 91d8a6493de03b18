"""The one place that answers "may this person do this here".

Every view and API endpoint asks `authorize(action, target)`. A refusal for a logged-in person is
a 404 (NotFound), so nobody learns that something exists outside their scope; a refusal for someone
not logged in is a 401. The registry and the scope facts live here; each area registers its own rules
with `@rule("area.action")` in its access.py (docs/ARCHITECTURE.md lists them).
"""
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask_login import current_user

from accounts.models import Township, User, Village
from errors import NotFound, Unauthorized
from extensions import db

Rule = Callable[[User, Any], bool]
RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the function that decides `action` for a (user, target) pair."""

    def register(fn: Rule) -> Rule:
        if action in RULES:
            raise ValueError(f"rule {action} defined twice")
        RULES[action] = fn
        return fn

    return register


def allowed(action: str, target: Any, user: User | None = None) -> bool:
    """True when the person may do `action` on `target`; unknown actions are never allowed."""
    user = _person(user)
    if user is None or target is None:
        return False
    return RULES[action](user, target)


def authorize(action: str, target: Any, user: User | None = None) -> None:
    """Raise Unauthorized when not logged in and NotFound when out of scope; return when allowed."""
    if _person(user) is None:
        raise Unauthorized()
    if not allowed(action, target, user):
        raise NotFound()


def _person(user: User | None) -> User | None:
    """The given user, or the logged-in one; None for visitors and deactivated accounts."""
    if user is None:
        user = current_user if current_user and current_user.is_authenticated else None
    return user if user is not None and user.active else None


# --- scope facts every rule is built from -------------------------------------------------


def holds(user: User, role: str, village: Village | None = None, township: Township | None = None,
          shop_id: int | None = None) -> bool:
    """Does `user` hold `role` for this place? A township role covers every village of it."""
    for grant in user.grants_for(role):
        if village is not None and (grant.village_id == village.id or grant.township_id == village.township_id):
            return True
        if township is not None and grant.township_id == township.id:
            return True
        if shop_id is not None and grant.shop_id == shop_id:
            return True
    return False


def village_ids_for(user: User, *roles: str) -> set[int]:
    """Ids of every village where the user holds one of `roles` (township roles expand to villages)."""
    direct = {g.village_id for g in user.grants if g.role in roles and g.village_id}
    townships = {g.township_id for g in user.grants if g.role in roles and g.township_id}
    if townships:
        rows = db.session.execute(sa.select(Village.id).where(Village.township_id.in_(townships)))
        direct |= set(rows.scalars())
    return direct


def township_ids_for(user: User, *roles: str) -> set[int]:
    """Ids of the townships where the user holds one of the township-level `roles`."""
    return {g.township_id for g in user.grants if g.role in roles and g.township_id}


def home_village(user: User) -> Village | None:
    """The village a person belongs to, for showing and defaulting: their first village grant."""
    for grant in user.grants:
        if grant.village is not None:
            return grant.village
    return None


def home_township(user: User) -> Township | None:
    """The township a person works for or lives in."""
    for grant in user.grants:
        if grant.township is not None:
            return grant.township
    village = home_village(user)
    return village.township if village else None


def pick_own(options: list, wanted: str | None, key: Callable[[Any], str]) -> Any:
    """The one of a person's own villages or shops asked for by `key` (slug, code), the first when none is asked
    for; NotFound when the one asked for is not theirs, as for one that does not exist."""
    if not wanted:
        return options[0]
    for option in options:
        if key(option) == wanted:
            return option
    raise NotFound()


def village_by_slug(slug: str) -> Village:
    """Find a village by slug (its township with it: every page names both) or raise NotFound."""
    village = db.session.execute(sa.select(Village).options(joinedload(Village.township))
                                 .where(Village.slug == slug)).scalar_one_or_none()
    if village is None:
        raise NotFound("没有找到这个村，请检查二维码或链接。")
    return village


# --- the rules -----------------------------------------------------------------------------


@rule("village.clerk")
def _clerk_of_village(user: User, village: Village) -> bool:
    """Publish and edit a village's disclosures, cadres and power list: its clerk or township staff."""
    return holds(user, "clerk", village=village) or holds(user, "township", village=village)


@rule("village.committee")
def _committee_of_village(user: User, village: Village) -> bool:
    """Handle a village's village-level cases: its committee."""
    return holds(user, "committee", village=village)


@rule("village.inspect")
def _inspector_of_village(user: User, village: Village) -> bool:
    """See a village as the township's inspectors do."""
    return holds(user, "inspector", village=village)


@rule("village.oversee")
def _overseer_of_village(user: User, village: Village) -> bool:
    """Township staff or inspectors of the village's township."""
    return holds(user, "township", village=village) or holds(user, "inspector", village=village)


@rule("township.staff")
def _township_staff(user: User, township: Township) -> bool:
    """Township staff: rules, shops, codes, settlements."""
    return holds(user, "township", township=township)


@rule("township.oversee")
def _township_overseer(user: User, township: Township) -> bool:
    """Township staff and inspectors: the overview of every village."""
    return holds(user, "township", township=township) or holds(user, "inspector", township=township)


@rule("account.self")
def _self(user: User, other: User) -> bool:
    """A person's own account."""
    return user.id == other.id
