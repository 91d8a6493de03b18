"""What the points pages share: the caller, the staff member's township, the clock face."""
from flask_login import current_user

import clock
from accounts.authz import township_ids_for
from accounts.models import Township
from accounts.places import township_by_id
from errors import NotFound, Unauthorized


def person():
    """The logged-in person, or Unauthorized (pages turn it into the login redirect)."""
    if not current_user or not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()


def staff_township() -> Township:
    """The township the logged-in staff member works for, or 404."""
    ids = sorted(township_ids_for(person(), "township"))
    if not ids:
        raise NotFound()
    return township_by_id(ids[0])


def hhmm(moment) -> str:
    """A time of day in Shanghai, as the counter reads it."""
    return clock.local(moment).strftime("%H:%M")


def day_time(moment) -> str:
    """A date and time in Shanghai."""
    return clock.local(moment).strftime("%m-%d %H:%M")
