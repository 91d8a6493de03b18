"""Who may list, create and withdraw codes: the codes area's rules in the accounts.authz registry."""
from accounts.authz import holds, rule
from accounts.models import User, Village


@rule("village.manage_codes")
def _code_manager(user: User, village: Village) -> bool:
    """List and print a village's QR codes: its clerk or township staff."""
    return holds(user, "clerk", village=village) or holds(user, "township", village=village)


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
