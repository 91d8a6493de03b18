"""Notifications to handlers: in-app, and a webhook posted by a job (citizen.triage.webhook). Never the reporter's identity or code."""
import logging
from datetime import timedelta

import sqlalchemy as sa

import clock
from accounts.models import User
from accounts.places import active_holders
from citizen.reports import deadlines, signals
from citizen.reports.models import Report
from citizen.triage.models import Notification
from citizen.triage.webhook import webhook_url
from extensions import db
from jobs.queue import enqueue_after_commit

log = logging.getLogger(__name__)
KIND_WORDS = {"new_case": "新反映", "escalated": "提级", "reporter_replied": "反映人回复", "due_soon": "即将到期"}


def store_notices(user_ids: set[int], kind: str, report: Report, text: str) -> list[Notification]:
    """One in-app notice per recipient, in the caller's transaction; returns the rows, flushed."""
    rows = [Notification(user_id=uid, kind=kind, report_id=report.id, text=text, created_at=clock.now())
            for uid in sorted(user_ids)]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def handlers_of(report: Report) -> set[int]:
    """Who handles the case now: its village's committee (minus anyone it names), or the township's inspectors."""
    from citizen.reports.routing import concerned_user_ids

    if report.level == "village":
        ids = active_holders("committee", village_id=report.village_id)
    else:
        ids = active_holders("inspector", township_id=report.village.township_id)
    return ids - concerned_user_ids(report)


def notify(kind: str, report: Report, user_ids: set[int] | None = None) -> None:
    """Tell the case's handlers in the app; with TRIAGE_WEBHOOK_URL set, a job posts the event after the commit."""
    recipients = handlers_of(report) if user_ids is None else user_ids
    text = notice_text(kind, report)
    notices = store_notices(recipients, kind, report, text)
    if not notices:
        log.warning("case %d has nobody to tell of %s", report.id, kind)
    elif webhook_url():
        from citizen.triage.tasks import post_webhook

        enqueue_after_commit(post_webhook, notices[0].id)


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
    """Subscribe to the lifecycle signals; safe to call more than once."""
    global _connected
    if _connected:
        return
    signals.report_submitted.connect(_on_submitted, weak=False)
    signals.report_escalated.connect(_on_escalated, weak=False)
    signals.reporter_replied.connect(_on_replied, weak=False)
    _connected = True


def forget_reports(report_ids: list[int]) -> None:
    """Retention: drop the notices about cases about to be deleted."""
    if report_ids:
        db.session.execute(sa.delete(Notification).where(Notification.report_id.in_(report_ids)))
