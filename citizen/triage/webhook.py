"""The handlers' webhook (TRIAGE_WEBHOOK_URL): one POST per notice event, sent by a job after the commit.

A request never waits on the receiver: the notice's job posts the JSON, and a receiver that is down,
slow or answering 5xx is tried again by the job queue with back-off (30 s, 1, 2, 4, 8 min), then
listed on the failed-jobs page. A 4xx answer will not change on another try: listed at once. The
payload carries the case number, village, level, kind and the notice's text, never anything about
the reporter. Errors name the receiver's host only (its URL may hold a key).
"""
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app

from citizen.reports.models import Report
from citizen.triage.models import Notification
from extensions import db
from jobs.queue import NoRetry

log = logging.getLogger(__name__)


class WebhookFailed(Exception):
    """The receiver could not be reached, was too slow or answered an error: the job tries again."""


class WebhookRefused(NoRetry):
    """The receiver answered 4xx: the URL or what it accepts is wrong, so another try cannot help."""


def webhook_url() -> str:
    """The configured receiver, or '' when there is none."""
    return current_app.config.get("TRIAGE_WEBHOOK_URL") or ""


def payload(notice: Notification, report: Report) -> dict:
    """What leaves the site: the case id, village, level, kind and the notice text; nothing about the reporter."""
    return {"kind": notice.kind, "report_id": report.id, "village": report.village.slug, "level": report.level,
            "text": notice.text, "at": notice.created_at.isoformat()}


def post(url: str, body: dict, timeout: float) -> None:
    """POST one payload; raise WebhookFailed (retry) or WebhookRefused (4xx) unless it answers 2xx."""
    host = urllib.parse.urlsplit(url).netloc
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WebhookFailed(f"webhook {host} unreachable: {type(reason).__name__}") from None
    if 200 <= status < 300:
        return
    if 400 <= status < 500 and status not in (408, 429):
        raise WebhookRefused(f"webhook {host} answered HTTP {status}")
    raise WebhookFailed(f"webhook {host} answered HTTP {status}")


def deliver(notification_id: int) -> str:
    """Post the payload of one notice event (the job's body); a notice deleted since, or no receiver, sends nothing."""
    notice = db.session.get(Notification, notification_id)
    report = db.session.get(Report, notice.report_id) if notice is not None and notice.report_id else None
    url = webhook_url()
    body = payload(notice, report) if report is not None and url else None
    timeout = float(current_app.config.get("TRIAGE_WEBHOOK_TIMEOUT") or 3.0)
    db.session.commit()  # no database lock is held while the receiver answers
    if body is None:
        return "nothing to send"
    post(url, body, timeout)
    return "sent"


def township_of_notice(notification_id: int) -> int | None:
    """The township a notice's case belongs to (the failed-jobs list shows it to that township)."""
    notice = db.session.get(Notification, notification_id)
    report = db.session.get(Report, notice.report_id) if notice is not None and notice.report_id else None
    return report.village.township_id if report is not None else None
