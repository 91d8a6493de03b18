"""Step messages outside the site (WeChat or SMS, as each person chose), following the lifecycle's signals.

A named reporter hears of each step of their case: accepted, a question asked, answered, sent up.
The handlers of a new case (or of a case just sent up to them) hear that it arrived. Each message
names the step and links to the case page (notify.steps); it carries no report text, identity or
tracking code. Anonymous reporters have no account, so nothing here can reach them, and a person a
report names is never among its handlers (routing.concerned_user_ids, through notify.handlers_of).
"""
from accounts.models import User
from citizen.reports import signals
from citizen.reports.models import Report
from citizen.triage.notify import handlers_of
from extensions import db
from notify.steps import queue_step_notice


def tell_reporter(report: Report, kind: str) -> None:
    """Queue a step message for the case's named reporter; an anonymous case has nobody to tell."""
    if report.anonymous or report.user_id is None:
        return
    reporter = db.session.get(User, report.user_id)
    if reporter is not None and reporter.active:
        queue_step_notice(reporter, kind, report.id)


def tell_handlers(report: Report) -> None:
    """Queue a new-case message for everyone who handles the case at its level now."""
    for user_id in sorted(handlers_of(report)):
        queue_step_notice(db.session.get(User, user_id), "new_case", report.id)


def _submitted(report, **_):
    tell_handlers(report)


def _accepted(report, **_):
    tell_reporter(report, "accepted")


def _asked(report, **_):
    tell_reporter(report, "question")


def _answered(report, **_):
    tell_reporter(report, "answered")


def _escalated(report, action=None, **_):
    """Sent up: the township's handlers get a new case; the reporter hears of it unless they asked for it."""
    if action == "escalate":  # a rating or an appeal was the reporter's own doing
        tell_reporter(report, "sent_up")
    tell_handlers(report)


def connect() -> None:
    """Subscribe to the lifecycle's signals; safe to call more than once (blinker keeps one of each)."""
    signals.report_submitted.connect(_submitted, weak=False)
    signals.report_accepted.connect(_accepted, weak=False)
    signals.handler_messaged.connect(_asked, weak=False)
    signals.report_answered.connect(_answered, weak=False)
    signals.report_escalated.connect(_escalated, weak=False)
