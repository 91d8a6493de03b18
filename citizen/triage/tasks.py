"""Background jobs of the triage area: the handlers' webhook, the hourly desk reminders, the daily digest."""
from huey import crontab

from citizen.triage import digests, notify, webhook
from jobs.queue import periodic_task, task


@task("工作台通知（Webhook）", scope=webhook.township_of_notice)
def post_webhook(notification_id: int) -> str:
    """POST one notice event to TRIAGE_WEBHOOK_URL; down, slow or 5xx: retried after 30 s, 1, 2, 4, 8 min, then listed."""
    return webhook.deliver(notification_id)


@periodic_task("即将到期提醒（工作台）", crontab(minute="5"))
def remind_handlers() -> int:
    """Hourly at :05: an in-app notice on the desk for each case due within 24 hours, once per case."""
    return notify.remind_due_soon()


@periodic_task("每日待办汇总", crontab(minute="30", hour="0"))
def send_staff_digests() -> int:
    """08:30 Shanghai (00:30 UTC): each handler's one digest of cases due within 24 hours and overdue."""
    return digests.send_digests()
