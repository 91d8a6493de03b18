"""Who may open the desks: the triage area's rules in the accounts.authz registry."""
from accounts.authz import rule
from accounts.models import User


@rule("triage.desk")
def _desk_user(user: User, target) -> bool:
    """The desk is for committee members and inspectors."""
    return bool(user.roles() & {"committee", "inspector"})


@rule("triage.notices")
def _notice_reader(user: User, target) -> bool:
    """The notices list: committees, inspectors and township staff."""
    return bool(user.roles() & {"committee", "inspector", "township"})
