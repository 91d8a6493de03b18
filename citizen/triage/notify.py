"""Notifications to handlers: in-app by default, a webhook as the second sender. Never the reporter's identity or code."""
import json
import logging
import os
import time
import urllib.error
import urllib.request
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from flask import current_app, has_app_context

import clock
from accounts.models import User
from accounts.places import active_holders
from citizen.reports import deadlines, signals
from citizen.reports.models import Report
from citizen.triage.models import Notification
from extensions import db

log = logging.getLogger(__name__)
KIND_WORDS = {"new_case": "新反映", "escalated": "提级", "reporter_replied": "反映人回复", "due_soon": "即将到期"}


class InAppNotifier:
    """Writes one Notification row per recipient, in the request's transaction."""

    def send(self, user_ids: set[int], kind: str, report: Report, text: str) -> None:
        """Store the notice for each recipient."""
        for uid in sorted(user_ids):
            db.session.add(Notification(user_id=uid, kind=kind, report_id=report.id, text=text, created_at=clock.now()))
        db.session.flush()


class WebhookNotifier:
    """POSTs JSON to a configured URL after the transaction commits, with retries and a timeout."""

    def __init__(self, url: str, timeout: float = 3.0, retries: int = 3, opener=None):
        self.url, self.timeout, self.retries = url, timeout, retries
        self.opener = opener or urllib.request.urlopen

    def payload(self, kind: str, report: Report, text: str) -> dict:
        """What leaves the site: the case id, village, level, kind and the notice text; nothing about the reporter."""
        return {"kind": kind, "report_id": report.id, "village": report.village.slug, "level": report.level,
                "text": text, "at": clock.now().isoformat()}

    def send(self, user_ids: set[int], kind: str, report: Report, text: str) -> None:
        """Queue the POST for when the transaction commits (a rolled-back case sends nothing)."""
        db.session.info.setdefault("pending_webhooks", []).append((self, self.payload(kind, report, text)))

    def post(self, body: dict) -> bool:
        """Deliver one payload; retry with back-off; never raise."""
        data = json.dumps(body, ensure_ascii=False).encode()
        for attempt in range(self.retries):
            request = urllib.request.Request(self.url, data=data, method="POST",
                                             headers={"Content-Type": "application/json; charset=utf-8"})
            try:
                with self.opener(request, timeout=self.timeout) as response:
                    if 200 <= response.status < 300:
                        return True
            except (urllib.error.URLError, OSError, ValueError) as exc:
                log.warning("webhook attempt %d failed: %s", attempt + 1, type(exc).__name__)
            time.sleep(min(0.2 * 2 ** attempt, 2.0))
        return False


def flush_webhooks(session) -> None:
    """Send what the committed transaction queued."""
    for notifier, body in session.info.pop("pending_webhooks", []):
        notifier.post(body)


def notifiers() -> list:
    """The configured senders: in-app always, a webhook when TRIAGE_WEBHOOK_URL is set."""
    chosen: list = [InAppNotifier()]
    config = current_app.config if has_app_context() else {}
    url = config.get("TRIAGE_WEBHOOK_URL") or os.environ.get("TRIAGE_WEBHOOK_URL")
    if url:
        timeout = config.get("TRIAGE_WEBHOOK_TIMEOUT") or os.environ.get("TRIAGE_WEBHOOK_TIMEOUT") or 3.0
        chosen.append(WebhookNotifier(url, float(timeout)))
    return chosen


def handlers_of(report: Report) -> set[int]:
    """Who handles the case now: its village's committee (minus anyone it names), or the township's inspectors."""
    from citizen.reports.routing import concerned_user_ids

    if report.level == "village":
        ids = active_holders("committee", village_id=report.village_id)
    else:
        ids = active_holders("inspector", township_id=report.village.township_id)
    return ids - concerned_user_ids(report)


def notify(kind: str, report: Report, user_ids: set[int] | None = None) -> None:
    """Tell the case's handlers about it through every configured sender."""
    recipients = handlers_of(report) if user_ids is None else user_ids
    text = notice_text(kind, report)
    for sender in notifiers():
        sender.send(recipients, kind, report, text)


def notice_text(kind: str, report: Report) -> str:
    """One plain sentence: village, case number, category. No reporter, no tracking code, no content."""
    where = "镇纪委" if report.level == "township" else report.village.name
    return f"{report.village.name}第{report.id}号反映（{report.category}）：{KIND_WORDS[kind]}，请{where}及时处理。"


def remind_due_soon(now=None) -> int:
    """Notify handlers once about every open case due within 24 hours; returns how many cases."""
    now = now or clock.now()
    already = sa.select(Notification.report_id).where(Notification.kind == "due_soon")
    cases = db.session.execute(sa.select(Report).where(
        Report.status.in_(deadlines.OPEN_STATUSES), Report.due_at >= now, Report.due_at <= now + timedelta(hours=24),
        Report.id.not_in(already))).scalars().all()
    for report in cases:
        notify("due_soon", report)
    return len(cases)


def unread_count(user: User) -> int:
    """Unread in-app notices of one person."""
    return db.session.execute(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).scalar_one()


def _on_submitted(report, **_):
    notify("new_case", report)


def _on_escalated(report, **_):
    notify("escalated", report)


def _on_replied(report, **_):
    notify("reporter_replied", report)


_connected = False


def connect() -> None:
    """Subscribe to the lifecycle signals and to commits (for webhooks); safe to call more than once."""
    global _connected
    if _connected:
        return
    signals.report_submitted.connect(_on_submitted, weak=False)
    signals.report_escalated.connect(_on_escalated, weak=False)
    signals.reporter_replied.connect(_on_replied, weak=False)
    sa.event.listen(Session, "after_commit", flush_webhooks)
    _connected = True
