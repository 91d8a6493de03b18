"""Background jobs of the privacy area: the daily purge of what each township's policy says has expired."""
from huey import crontab

from jobs.queue import periodic_task
from privacy.retention import run_retention


@periodic_task("过期个人信息清理", crontab(minute="10", hour="20"))
def purge_expired() -> int:
    """Delete expired cases, photos, counts and login codes (04:10 Shanghai, 20:10 UTC); safe to run twice."""
    return run_retention().cases
