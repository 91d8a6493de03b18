"""Who may moderate the wall: the wall area's rules in the accounts.authz registry."""
from accounts.authz import holds, rule
from accounts.models import User
from citizen.reports.access import named_in
from citizen.reports.models import Report


@rule("wall.moderate")
def _wall_moderator(user: User, report: Report) -> bool:
    """Hide or restore a wall entry: the village's committee (unless named) or the township's staff and inspectors."""
    if holds(user, "township", village=report.village) or holds(user, "inspector", village=report.village):
        return True
    return holds(user, "committee", village=report.village) and not named_in(user, report)




@rule("wall.moderation")
def _moderation_user(user: User, target) -> bool:
    """The wall's moderation list: committees, inspectors and township staff."""
    return bool(user.roles() & {"committee", "inspector", "township"})
