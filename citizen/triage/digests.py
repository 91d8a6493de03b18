"""Counting each handler's cases due within 24 hours and overdue, for the daily digest (notify.digests).

One digest a day replaces a message per case: the hourly in-app reminder (notify.remind_due_soon)
still writes a notice per case on the desk, but WeChat and SMS carry one summary a day. The handlers
of a case are those who handle it at its level now, never a person it names (notify.handlers_of).
"""
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa

import clock
from accounts.models import User
from citizen.reports import deadlines
from citizen.reports.models import Report
from citizen.triage.notify import handlers_of
from extensions import db
from notify.digests import queue_digest

WINDOW = timedelta(hours=24)


def due_counts(now: datetime | None = None) -> dict[int, tuple[int, int]]:
    """Each handler's (due within 24 hours, overdue) counts over every open case with a deadline by then."""
    now = now or clock.now()
    cases = db.session.execute(sa.select(Report).where(
        Report.status.in_(deadlines.OPEN_STATUSES), Report.due_at.is_not(None), Report.due_at <= now + WINDOW,
        Report.duplicate_of_id.is_(None))).scalars()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for report in cases:
        column = 0 if report.due_at >= now else 1
        for user_id in handlers_of(report):
            counts[user_id][column] += 1
    return {user_id: (soon, late) for user_id, (soon, late) in counts.items()}


def send_digests(now: datetime | None = None) -> int:
    """Queue today's digest for every handler with something due or overdue; returns how many were queued."""
    now = now or clock.now()
    day = clock.local(now).date()
    queued = 0
    for user_id, (soon, late) in sorted(due_counts(now).items()):
        if queue_digest(db.session.get(User, user_id), day, soon, late) is not None:
            queued += 1
    return queued
