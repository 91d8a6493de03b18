"""Handlers' daily digest: one message a day of the cases due within 24 hours and overdue, by WeChat or SMS.

Instead of a message per case, the triage area counts each handler's cases once a day
(citizen/triage/digests.py) and calls `queue_digest()`; a job sends it after the commit. A digest
names only the counts and links to the desk, which asks for login as usual. At most one per person
and Shanghai day (UNIQUE user_id, day): a second run of the day's job sends nothing more.
"""
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

import clock
from accounts.models import User
from extensions import db
from jobs.queue import enqueue_after_commit
from notify import delivery
from notify.models import STEPS, StaffDigest
from notify.preferences import channel_of

KIND = "due_soon"  # the template (WECHAT_TEMPLATE_DUE_SOON, SMS_TEMPLATE_DUE_SOON) and the consent a digest uses


def summary(due_soon: int, overdue: int) -> str:
    """The counts in words, at most 20 characters (WeChat's thing field): 2件将到期、1件已超期."""
    parts = ([f"{due_soon}件将到期"] if due_soon else []) + ([f"{overdue}件已超期"] if overdue else [])
    return "、".join(parts)[:20]


def desk_link() -> str:
    """Where a digest leads: the handler's desk."""
    return current_app.config["BASE_URL"] + "/desk"


def digest_text(due_soon: int, overdue: int) -> str:
    """The digest written out (the SMS text and the dev outbox): counts and the link, nothing about any case."""
    return f"【村务码上监督】您有{summary(due_soon, overdue)}的反映待办，请登录查看：{desk_link()}"


def queue_digest(user: User, day: date, due_soon: int, overdue: int) -> StaffDigest | None:
    """Queue the day's digest for `user`; None when there is nothing to tell, no channel, or it was queued already."""
    if due_soon + overdue <= 0 or not user.active:
        return None
    channel = channel_of(user)
    if channel == "none":
        return None
    if db.session.execute(sa.select(StaffDigest.id).filter_by(user_id=user.id, day=day)).first() is not None:
        return None
    try:
        with db.session.begin_nested():
            row = StaffDigest(user_id=user.id, day=day, due_soon=due_soon, overdue=overdue, channel=channel)
            db.session.add(row)
    except IntegrityError:  # another run of the job got there first
        return None
    from notify.tasks import deliver_staff_digest

    enqueue_after_commit(deliver_staff_digest, row.id)
    return row


def _finish(row: StaffDigest, status: str, note: str | None = None) -> None:
    """Close a digest: sent, refused or skipped (with why)."""
    row.status, row.note = status, note
    if status == "sent":
        row.sent_at = clock.now()
    db.session.flush()


def prepare(digest_id: int) -> dict | None:
    """What the send needs, as plain values; None when there is nothing to send (and why is recorded)."""
    row = db.session.get(StaffDigest, digest_id)
    if row is None or row.status != "queued":
        return None
    user = db.session.get(User, row.user_id)
    if row.channel == "sms":
        return delivery.sms_facts(user, KIND, digest_text(row.due_soon, row.overdue),
                                  {"step": summary(row.due_soon, row.overdue), "link": desk_link()})
    obstacle = delivery.wechat_obstacle(user, KIND)
    if obstacle:
        _finish(row, "skipped", obstacle)
        return None
    return delivery.wechat_facts(user, KIND, summary(row.due_soon, row.overdue), STEPS[KIND], clock.now(),
                                 desk_link())


def deliver(digest_id: int) -> str:
    """Send one queued digest (its reads committed before the network call); returns what became of it."""
    facts = prepare(digest_id)
    db.session.commit()  # no lock is held while WeChat or the SMS provider answers
    if facts is None:
        return "nothing to send"
    outcome = delivery.send(facts)
    status = {"sent": "sent", "refused": "refused"}.get(outcome, "skipped")
    _finish(db.session.get(StaffDigest, digest_id), status, delivery.OUTCOME_NOTES.get(outcome))
    return outcome
