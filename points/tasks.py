"""Background jobs of the points area: the anonymous reporters' daily payout."""
from huey import crontab

from jobs.queue import periodic_task
from points.claims import pay_claims


@periodic_task("匿名举报奖励发放", crontab(minute="20"))
def pay_anonymous_claims() -> int:
    """Pay every pending claim of earlier days (runs hourly at :20; pays nothing twice, so a missed night catches up)."""
    return pay_claims()
