"""The one place that answers "may this person do this here".

Every view and API endpoint asks `authorize(action, target)`. A refusal for a logged-in person is
a 404 (NotFound), so nobody learns that something exists outside their scope; a refusal for someone
not logged in is a 401. Areas add their rules here, with `@rule("area.action")`, so the whole policy
reads in one file.
"""
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask_login import current_user

from accounts.models import RoleGrant, Township, User, Village
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


def village_by_slug(slug: str) -> Village:
    """Find a village by slug or raise NotFound."""
    village = db.session.execute(sa.select(Village).where(Village.slug == slug)).scalar_one_or_none()
    if village is None:
        raise NotFound("没有找到这个村，请检查二维码或链接。")
    return village


def grants_of(role: str, village: Village) -> sa.Select:
    """A query of users holding a village role there (for notification lists and tests)."""
    return sa.select(User).join(RoleGrant).where(RoleGrant.role == role, RoleGrant.village_id == village.id)


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


@rule("village.manage_codes")
def _code_manager(user: User, village: Village) -> bool:
    """List and print a village's QR codes: its clerk or township staff."""
    return holds(user, "clerk", village=village) or holds(user, "township", village=village)


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


# --- triage rules ---------------------------------------------------------------------------


def _named_in(user: User, report) -> bool:
    """Is this person one of the cadres the case names?"""
    from citizen.reports.routing import concerned_user_ids

    return user.id in concerned_user_ids(report)


@rule("report.handle")
def _report_handler(user: User, report) -> bool:
    """Act on a case: its village's committee for village-level cases (never one it names), inspectors above."""
    if report.level == "village":
        return holds(user, "committee", village=report.village) and not _named_in(user, report)
    return holds(user, "inspector", village=report.village)


@rule("report.take_over")
def _report_take_over(user: User, report) -> bool:
    """An inspector may take an overdue village case up to the township."""
    from citizen.reports.deadlines import is_overdue

    return report.level == "village" and holds(user, "inspector", village=report.village) and is_overdue(report)


def _village_history(user: User, report) -> bool:
    """A case the village handled before it went up stays readable (not actionable) by its committee."""
    return (report.level == "township" and holds(user, "committee", village=report.village)
            and not _named_in(user, report)
            and any(e.from_level == "village" and e.to_level == "township" for e in report.events))


@rule("report.view_as_handler")
def _report_desk_view(user: User, report) -> bool:
    """Open a case on a desk: its handlers; read-only, inspectors for overdue village cases and the
    village's committee for cases it handled before they went up to the township."""
    return _report_handler(user, report) or _report_take_over(user, report) or _village_history(user, report)


@rule("wall.moderate")
def _wall_moderator(user: User, report) -> bool:
    """Hide or restore a wall entry: the village's committee (unless named) or the township's staff and inspectors."""
    if holds(user, "township", village=report.village) or holds(user, "inspector", village=report.village):
        return True
    return holds(user, "committee", village=report.village) and not _named_in(user, report)


@rule("triage.desk")
def _desk_user(user: User, target) -> bool:
    """The desk is for committee members and inspectors."""
    return bool(user.roles() & {"committee", "inspector"})


@rule("triage.moderation")
def _moderation_user(user: User, target) -> bool:
    """The wall's moderation list: committees, inspectors and township staff."""
    return bool(user.roles() & {"committee", "inspector", "township"})

# --- reports rules ---------------------------------------------------------------------------


@rule("report.view")
def _report_viewer(user: User, report) -> bool:
    """See a report and its photos: its named reporter, or whoever may open it on a desk."""
    if report.user_id is not None and report.user_id == user.id:
        return True
    return _report_desk_view(user, report)


@rule("qr.create")
def _qr_creator(user: User, target) -> bool:
    """Create a code: township staff any kind; a village clerk only disclosure codes of that village."""
    village, kind = target
    if holds(user, "township", village=village):
        return True
    return kind == "disclosure" and holds(user, "clerk", village=village)


@rule("qr.manage")
def _qr_manager(user: User, village: Village) -> bool:
    """Relabel or revoke a village's codes: township staff."""
    return holds(user, "township", village=village)

# --- disclosure rules ---


@rule("disclosure.manage")
def _disclosure_manager(user: User, target: Any) -> bool:
    """Edit a village's disclosures, power list, cadres or categories (a village or a row of one): its clerk
    or township staff of its township."""
    village = target if isinstance(target, Village) else target.village
    return holds(user, "clerk", village=village) or holds(user, "township", village=village)


@rule("disclosure.settings")
def _disclosure_settings(user: User, township: Township) -> bool:
    """Set a township's disclosure settings (when finance counts as late): its staff."""
    return holds(user, "township", township=township)

# --- points rules --------------------------------------------------------------------------


def _shop_township_id(shop) -> int:
    """The township a shop belongs to (through its village)."""
    return shop.village.township_id


@rule("points.pay_shop")
def _pay_shop(user: User, shop) -> bool:
    """A villager pays in points only at shops of their own township."""
    return any(g.role == "villager" and g.village is not None
               and g.village.township_id == _shop_township_id(shop) for g in user.grants)


@rule("points.keep_shop")
def _keep_shop(user: User, shop) -> bool:
    """A shop keeper sees only their own shop's redemptions and statements."""
    return holds(user, "shopkeeper", shop_id=shop.id)


@rule("points.manage_shop")
def _manage_shop(user: User, shop) -> bool:
    """Township staff manage the shops of their own township."""
    return any(g.role == "township" and g.township_id == _shop_township_id(shop) for g in user.grants)


@rule("points.see_statement")
def _see_statement(user: User, statement) -> bool:
    """A statement is seen by its shop's keepers and its township's staff."""
    return _keep_shop(user, statement.shop) or _manage_shop(user, statement.shop)


@rule("points.own_redemption")
def _own_redemption(user: User, redemption) -> bool:
    """A villager sees the confirmation page of their own redemption only."""
    return redemption.user_id == user.id


@rule("points.manage_redemption")
def _manage_redemption(user: User, redemption) -> bool:
    """Township staff reverse redemptions made at their township's shops."""
    return _manage_shop(user, redemption.shop)
