"""The daily purge: each township's expired cases, photos, counts and login codes, by its own policy.

Each area deletes its own rows; this runs them in order (other areas' rows about a case before the
case), commits, and only then removes the photo files, so a failure leaves nothing half-deleted.
"""
from dataclasses import dataclass, field
from datetime import timedelta

import clock
from accounts.places import all_townships
from accounts.retention import policy_for, purge_codes, shortest_code_days
from citizen.codes.qrcodes import purge_scans
from citizen.reports import retention as reports
from citizen.triage.notify import forget_reports as forget_notices
from citizen.wall.entries import forget_reports as forget_wall
from disclosure.reach import purge_views
from extensions import db
from notify.steps import forget_reports as forget_messages
from storage import photo_store


@dataclass
class Purged:
    """What one run deleted."""

    cases: int = 0
    photos: int = 0
    counts: int = 0
    codes: int = 0
    files: list[str] = field(default_factory=list)


def run_retention() -> Purged:
    """Delete everything past its township's period, commit, then remove the photo files; returns the tally."""
    now, done = clock.now(), Purged()
    today = clock.local(now).date()
    for township in all_townships():
        policy = policy_for(township.id)
        expired = reports.expired_cases(township.id, now - timedelta(days=policy.closed_case_days))
        forget_wall(expired)
        forget_notices(expired)
        forget_messages(expired)
        case_files = reports.delete_cases(expired)
        photo_files = reports.delete_photos_of_finished(township.id, now - timedelta(days=policy.photo_days))
        done.cases += len(expired)
        done.photos += len(photo_files) // 2
        done.files += case_files + photo_files
        before_day = today - timedelta(days=policy.counter_days)
        done.counts += purge_views(township.id, before_day) + purge_scans(township.id, before_day)
    done.codes = purge_codes(now - timedelta(days=shortest_code_days()))
    db.session.commit()
    store = photo_store()
    for key in done.files:
        store.discard(key)
    return done
