"""Background jobs of the notify area: delivering one step message, and one handler's daily digest."""
from accounts.authz import home_township
from accounts.models import User
from extensions import db
from jobs.queue import task
from notify.models import OutboundMessage, StaffDigest


def _township_of_person(row) -> int | None:
    """The township of the person a message is for (the failed-jobs list shows it to that township)."""
    township = home_township(db.session.get(User, row.user_id)) if row else None
    return township.id if township else None


def _township_of_message(message_id: int) -> int | None:
    return _township_of_person(db.session.get(OutboundMessage, message_id))


def _township_of_digest(digest_id: int) -> int | None:
    return _township_of_person(db.session.get(StaffDigest, digest_id))


@task("进度通知（微信/短信）", retries=6, retry_delay=30, retry_backoff=2, scope=_township_of_message)
def deliver_step_message(message_id: int) -> str:
    """Send one queued step message; WeChat or SMS down, slow or garbled: retried after 30 s, 1, 2, 4, 8, 16 min."""
    from notify.steps import deliver

    return deliver(message_id)


@task("每日待办提醒（微信/短信）", retries=6, retry_delay=30, retry_backoff=2, scope=_township_of_digest)
def deliver_staff_digest(digest_id: int) -> str:
    """Send one handler's daily digest; retried like a step message, then listed."""
    from notify.digests import deliver

    return deliver(digest_id)
