"""Who may edit a village's disclosures and set the township's: the disclosure area's rules in accounts.authz."""
from typing import Any

from accounts.authz import holds, rule
from accounts.models import Township, User, Village


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
