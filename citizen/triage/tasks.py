"""Background jobs of the triage area: the handlers' webhook."""
from citizen.triage import webhook
from jobs.queue import task


@task("工作台通知（Webhook）", scope=webhook.township_of_notice)
def post_webhook(notification_id: int) -> str:
    """POST one notice event to TRIAGE_WEBHOOK_URL; down, slow or 5xx: retried after 30 s, 1, 2, 4, 8 min, then listed."""
    return webhook.deliver(notification_id)
