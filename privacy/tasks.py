"""Background jobs of the privacy area: the daily purge of what each township's policy says has expired."""
from huey import crontab

from jobs.queue import periodic_task
from privacy.retention import run_retention
from storage import remove_staged


@periodic_task("过期个人信息清理", crontab(minute="10", hour="20"))
def purge_expired() -> int:
    """Delete expired cases, photos, counts and login codes (04:10 Shanghai, 20:10 UTC); safe to run twice."""
    cases = run_retention().cases
    remove_staged()  # uploads of requests that died before committing (an object store has no start-up sweep)
    return cases
