"""Telling a person their case moved: one message per person, step and case, by the channel they chose.

`queue_step_notice()` is what the case lifecycle calls (in its transaction); the message goes out
from a job after the commit. A message names the step and links to the case page; it never carries
the report's text, the reporter's identity or the tracking code. Anonymous reporters have no account,
so nothing here can reach them. Sending is idempotent: a message not 'queued' is never sent again.
"""
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

import clock
from accounts.models import User
from extensions import db
from jobs.queue import enqueue_after_commit
from notify import delivery
from notify.models import REPORTER_STEPS, STEPS, OutboundMessage
from notify.preferences import channel_of

MATTERS = {"reporter": "您反映的问题", "staff": "村务监督事项"}


def case_link(kind: str, report_id: int) -> str:
    """The page a message leads to: the reporter's case page, or the handler's desk page."""
    path = f"/me/reports/{report_id}" if kind in REPORTER_STEPS else f"/desk/{report_id}"
    return current_app.config["BASE_URL"] + path


def step_text(kind: str, report_id: int) -> str:
    """The message written out (the SMS text and the dev outbox): the step and the link, nothing else."""
    matter = MATTERS["reporter" if kind in REPORTER_STEPS else "staff"]
    return f"【村务码上监督】{matter}有新进展：{STEPS[kind]}。请登录查看：{case_link(kind, report_id)}"


def queue_step_notice(user: User, kind: str, report_id: int) -> OutboundMessage | None:
    """Queue one message telling `user` their case reached `kind`; None when they hear nothing. Idempotent."""
    if kind not in STEPS:
        raise ValueError(f"unknown step kind {kind!r}")
    channel = channel_of(user)
    if channel == "none":
        return None
    found = db.session.execute(sa.select(OutboundMessage).filter_by(user_id=user.id, kind=kind, report_id=report_id))
    message = found.scalar_one_or_none()
    if message is not None:
        return message
    try:
        with db.session.begin_nested():
            message = OutboundMessage(user_id=user.id, kind=kind, report_id=report_id, channel=channel)
            db.session.add(message)
    except IntegrityError:  # queued by a parallel request a moment ago
        return db.session.execute(sa.select(OutboundMessage)
                                  .filter_by(user_id=user.id, kind=kind, report_id=report_id)).scalar_one()
    from notify.tasks import deliver_step_message

    enqueue_after_commit(deliver_step_message, message.id)
    return message


def _finish(message: OutboundMessage, status: str, note: str | None = None) -> None:
    """Close a message: sent, refused by the person, or skipped (with why)."""
    message.status, message.note = status, note
    if status == "sent":
        message.sent_at = clock.now()
    db.session.flush()


def prepare(message_id: int) -> dict | None:
    """Everything the send needs, as plain values; None when there is nothing to send (and why is recorded)."""
    message = db.session.get(OutboundMessage, message_id)
    if message is None or message.status != "queued":
        return None
    user = db.session.get(User, message.user_id)
    link = case_link(message.kind, message.report_id)
    if message.channel == "sms":
        return delivery.sms_facts(user, message.kind, step_text(message.kind, message.report_id),
                                  {"step": STEPS[message.kind], "link": link})
    obstacle = delivery.wechat_obstacle(user, message.kind)
    if obstacle:
        _finish(message, "skipped", obstacle)
        return None
    matter = MATTERS["reporter" if message.kind in REPORTER_STEPS else "staff"]
    return delivery.wechat_facts(user, message.kind, matter, STEPS[message.kind], clock.now(), link)


def deliver(message_id: int) -> str:
    """Send one queued message (reads are committed before the network call); returns what became of it."""
    facts = prepare(message_id)
    db.session.commit()  # no lock is held while WeChat or the SMS provider answers
    if facts is None:
        return "nothing to send"
    outcome = delivery.send(facts)
    status = {"sent": "sent", "refused": "refused"}.get(outcome, "skipped")
    _finish(db.session.get(OutboundMessage, message_id), status, delivery.OUTCOME_NOTES.get(outcome))
    return outcome


def forget_reports(report_ids: list[int]) -> None:
    """Retention: drop the messages about cases about to be deleted."""
    if report_ids:
        db.session.execute(sa.delete(OutboundMessage).where(OutboundMessage.report_id.in_(report_ids)))
