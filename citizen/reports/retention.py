"""What the reports area deletes when a township's retention period has passed: closed cases, then their photos.

Rows go first, files after the commit (privacy.retention), so a failed purge never leaves a case whose
photos are already gone. A case still open is never touched, however old.
"""
from datetime import datetime

import sqlalchemy as sa

from accounts.places import village_ids_of
from citizen.reports.models import Report, ReportEvent, ReportMessage, ReportPhoto
from extensions import db

FINISHED = ("closed", "rejected")


def expired_cases(township_id: int, before: datetime) -> list[int]:
    """Ids of the township's closed or rejected cases that ended before `before`."""
    return list(db.session.execute(sa.select(Report.id).where(
        Report.village_id.in_(village_ids_of(township_id)), Report.status.in_(FINISHED),
        Report.closed_at.is_not(None), Report.closed_at < before)).scalars())


def delete_cases(report_ids: list[int]) -> list[str]:
    """Delete these cases with their history, messages and photo rows; returns the photo files to remove.

    The other areas' rows about them (wall flags, notices) must be gone first.
    """
    if not report_ids:
        return []
    keys = _photo_keys(ReportPhoto.report_id.in_(report_ids))
    db.session.execute(sa.update(Report).where(Report.duplicate_of_id.in_(report_ids)).values(duplicate_of_id=None))
    for model in (ReportPhoto, ReportMessage, ReportEvent):
        db.session.execute(sa.delete(model).where(model.report_id.in_(report_ids)))
    db.session.execute(sa.delete(Report).where(Report.id.in_(report_ids)))
    return keys


def delete_photos_of_finished(township_id: int, before: datetime) -> list[str]:
    """Delete the photos of cases that ended before `before` (the case itself stays); returns their files."""
    finished = sa.select(Report.id).where(
        Report.village_id.in_(village_ids_of(township_id)), Report.status.in_(FINISHED),
        Report.closed_at.is_not(None), Report.closed_at < before)
    keys = _photo_keys(ReportPhoto.report_id.in_(finished))
    db.session.execute(sa.delete(ReportPhoto).where(ReportPhoto.report_id.in_(finished)))
    return keys


def _photo_keys(condition) -> list[str]:
    """The stored file keys (full size and thumbnail) of the photos matching `condition`."""
    rows = db.session.execute(sa.select(ReportPhoto.storage_key, ReportPhoto.thumb_key).where(condition))
    return [key for pair in rows for key in pair]
