"""What a desk shows about one case: subject in context, history, messages, photos, the actions on offer."""
import sqlalchemy as sa
from flask import url_for

import clock
from accounts.authz import allowed
from accounts.models import ROLE_NAMES, User
from citizen.reports import deadlines, lifecycle
from citizen.reports.models import Report
from citizen.reports.redaction import redact
from citizen.triage.models import ReplyTemplate
from disclosure import lookup
from extensions import db

ROLE_WORDS = dict(ROLE_NAMES, reporter="反映人", system="系统", committee="村监会", inspector="镇纪委")
LEVEL_WORDS = {"village": "村监会办理", "township": "镇纪委办理"}


def find_case(report_id: int, user: User) -> Report:
    """A case this person may open on a desk, or NotFound (also for cases that name them)."""
    from accounts.authz import authorize

    report = db.session.get(Report, report_id)
    authorize("report.view_as_handler", report, user)
    return report


def describe_subject(report: Report) -> str | None:
    """The named cadre and the linked finance line, power item or cadre, in words."""
    parts = []
    if report.cadre_id and not (report.subject_type == "cadre" and report.subject_id == report.cadre_id):
        cadre = lookup.find_cadre(report.village, report.cadre_id)
        parts.append(f"点名干部：{cadre.name}（{cadre.post}）")
    if report.subject_type and report.subject_id:
        subject = lookup.find_subject(report.village, report.subject_type, report.subject_id)
        parts.append(lookup.describe_subject(subject) if subject is not None else "所指的内容已撤回或不再公开")
    return "；".join(parts) or None


def photo_links(report: Report) -> list[dict]:
    """Photo URLs through the guarded photo view (the same login is needed to open them)."""
    return [{"url": url_for("reports.photo", photo_id=p.id), "thumb_url": url_for("reports.photo", photo_id=p.id,
                                                                                  size="thumb")}
            for p in report.photos]


def timeline(report: Report) -> list[dict]:
    """Events ready to show: when, who (role), what, status and level moves, text."""
    return [{"at": clock.local(e.at), "role": ROLE_WORDS.get(e.actor_role, e.actor_role),
             "action": lifecycle.ACTION_WORDS.get(e.action, e.action),
             "to_status": lifecycle.STATUS_WORDS.get(e.to_status, ""),
             "moved_up": e.from_level == "village" and e.to_level == "township", "text": e.text}
            for e in report.events]


def case_view(report: Report, user: User) -> dict:
    """Everything the case page and the API's case body need."""
    can_handle = allowed("report.handle", report, user)
    status = report.status
    main = db.session.get(Report, report.duplicate_of_id) if report.duplicate_of_id else None
    templates = db.session.execute(sa.select(ReplyTemplate).where(
        ReplyTemplate.township_id == report.village.township_id).order_by(ReplyTemplate.title)).scalars().all()
    return {
        "report": report, "colour": deadlines.report_colour(report), "subject": describe_subject(report),
        "status_word": lifecycle.STATUS_WORDS[status], "level_word": LEVEL_WORDS[report.level],
        "events": timeline(report), "messages": report.messages, "photos": photo_links(report),
        "created_at": clock.local(report.created_at),
        "due_at": clock.local(report.due_at) if report.due_at else None,
        "main": main, "templates": templates, "public_default": redact(report.content),
        "can_accept": can_handle and status == "submitted", "can_reject": can_handle and status == "submitted",
        "can_answer": can_handle and status == "accepted",
        "can_escalate": can_handle and report.level == "village" and status in ("submitted", "accepted"),
        "can_take_over": not can_handle and allowed("report.take_over", report, user),
        "can_message": can_handle and status in lifecycle.OPEN,
        "can_duplicate": can_handle and status in ("submitted", "accepted") and report.duplicate_of_id is None,
        "can_publish": report.allow_public, "read_only": not can_handle,
        # Read-only at township level can only be the committee reading what its village sent up.
        "village_history": not can_handle and report.level == "township",
        "rating_word": lifecycle.RATING_WORDS.get(report.rating or "", None),
    }


def queue_row(report: Report, now=None) -> dict:
    """One row of a queue."""
    return {"id": report.id, "category": report.category, "content": report.content[:60],
            "status_word": lifecycle.STATUS_WORDS[report.status], "colour": deadlines.report_colour(report, now),
            "level": report.level, "village": report.village.name, "created_at": clock.local(report.created_at),
            "due_at": clock.local(report.due_at) if report.due_at else None,
            "duplicate": report.duplicate_of_id is not None}
