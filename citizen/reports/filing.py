"""一键监督: filing a report, and what its reporter may add afterwards (information, photos, a rating)."""
from dataclasses import dataclass


import clock
from accounts.models import User, Village
from citizen.reports import deadlines, lifecycle, routing, signals, subjects, tracking
from citizen.reports.models import Report, ReportEvent, ReportMessage, ReportPhoto
from citizen.reports.photos import CleanPhoto
from storage import Batch
from errors import Unauthorized
from extensions import db

OPEN_STATUSES = lifecycle.OPEN


@dataclass
class Submission:
    """A filed report and the tracking code to show once; `repeated` when a double tap sent it again."""

    report: Report
    tracking_code: str
    repeated: bool = False


def submit_report(village: Village, data: dict, photos: list[CleanPhoto], batch: Batch,
                  user: User | None, form_token: str) -> Submission:
    """File a report from validated `data`; stage its photos in `batch`. Flushes, never commits.

    `data` holds category, content, anonymous, allow_public, subject ((type, id) or None), cadre_id.
    An anonymous report keeps no account even when the sender is logged in.
    """
    earlier = tracking.find_by_form_token(form_token)
    if earlier is not None:
        return Submission(earlier, tracking.code_for_token(form_token), repeated=True)
    anonymous = bool(data.get("anonymous", True))
    if not anonymous and user is None:
        raise Unauthorized("实名反映要先登录；不想登录可以选“匿名”。")
    subject = subjects.resolve_subject(village, data.get("subject"))
    cadre = subjects.find_cadre(village, data.get("cadre_id"))
    if cadre is None and subject is not None and data["subject"][0] == "cadre":
        cadre = subject
    level = routing.route_level(village, cadre, subject)
    code = tracking.code_for_token(form_token)
    now = clock.now()
    report = Report(
        village_id=village.id, level=level, status="submitted", category=data["category"],
        content=data["content"], anonymous=anonymous, allow_public=bool(data.get("allow_public")),
        user_id=None if anonymous else user.id,
        subject_type=data["subject"][0] if subject is not None else None,
        subject_id=data["subject"][1] if subject is not None else None,
        cadre_id=cadre.id if cadre else None,
        tracking_hash=tracking.tracking_hash(code), form_token=tracking.token_hash(form_token),
        created_at=now, due_at=deadlines.acceptance_due(village, now),
    )
    db.session.add(report)
    db.session.flush()
    _attach_photos(report, photos, batch)
    text = "涉及村主要干部或村监会成员，直接交镇纪委办理。" if level == "township" else None
    db.session.add(ReportEvent(report_id=report.id, at=now, actor_role="reporter",
                               actor_id=None if anonymous else user.id, action="submit",
                               to_status="submitted", to_level=level, text=text))
    db.session.flush()
    signals.report_submitted.send(report, actor=None)
    return Submission(report, code)


def _attach_photos(report: Report, photos: list[CleanPhoto], batch: Batch, message: ReportMessage | None = None):
    """Stage each cleaned photo and its thumbnail, and record them."""
    for photo in photos:
        db.session.add(ReportPhoto(
            report_id=report.id, message_id=message.id if message else None,
            storage_key=batch.stage(photo.data), thumb_key=batch.stage(photo.thumb),
            width=photo.width, height=photo.height, size_bytes=len(photo.data), created_at=clock.now()))
    db.session.flush()


def add_reporter_message(report: Report, text: str, photos: list[CleanPhoto], batch: Batch) -> ReportMessage:
    """The reporter adds information or answers a question, with photos; the lifecycle decides when they may."""
    message = lifecycle.message_as_reporter(report, text)
    db.session.flush()
    _attach_photos(report, photos, batch, message)
    return message
