"""THE report lifecycle: every status change of a case, by handlers and reporters, in one place.

Each function checks who may act and from which status, changes the case, appends one ReportEvent,
sends the matching citizen.signals signal, flushes and never commits (the caller commits once).
"""
from datetime import datetime

import sqlalchemy as sa

import clock
from accounts.authz import allowed, holds
from accounts.models import User
from citizen.reports import deadlines, signals
from citizen.reports.models import RATINGS, Report, ReportEvent, ReportMessage
from citizen.reports.redaction import redact
from errors import Conflict, Invalid, NotFound
from extensions import db

OPEN = ("submitted", "accepted", "answered")
RATING_WORDS = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
STATUS_WORDS = {"submitted": "已提交", "accepted": "已受理", "answered": "已答复", "closed": "已办结",
                "rejected": "未受理"}
ACTION_WORDS = {"submit": "提交", "accept": "受理", "reject": "不予受理", "answer": "答复", "rate": "评价",
                "escalate": "提级到镇纪委", "appeal": "申请复核", "message": "留言", "duplicate": "合并为重复件",
                "close_duplicate": "随主件办结", "hide": "撤下回音壁", "restore": "恢复上墙"}
MAX_TEXT = 2000


@sa.event.listens_for(ReportEvent, "before_update")
def _events_never_change(mapper, connection, target) -> None:
    """A case's history is appended, never edited: refuse any UPDATE of an event row."""
    raise Conflict("办理记录只能追加，不能修改。", code="event_immutable")


@sa.event.listens_for(ReportEvent, "before_delete")
def _events_never_go(mapper, connection, target) -> None:
    """Nor deleted."""
    raise Conflict("办理记录不能删除。", code="event_immutable")


def handler_role(actor: User, report: Report) -> str:
    """'inspector' for township inspectors, else 'committee'."""
    return "inspector" if holds(actor, "inspector", village=report.village) else "committee"


def reporter_moment(report: Report) -> datetime:
    """Now, as the reporter's rows keep it: to the minute for an anonymous report (enough for every deadline).

    A finer time could be matched against named records of the same moment elsewhere (docs/SECURITY.md).
    """
    return clock.to_minute(clock.now()) if report.anonymous else clock.now()


def record_event(report: Report, action: str, role: str, actor: User | None, text: str | None = None,
            from_status: str | None = None, from_level: str | None = None) -> ReportEvent:
    """Append one immutable event describing the step just taken."""
    event = ReportEvent(at=reporter_moment(report) if role == "reporter" else clock.now(), actor_role=role,
                        actor_id=actor.id if actor is not None else None, action=action,
                        from_status=from_status or report.status, to_status=report.status,
                        from_level=from_level or report.level, to_level=report.level, text=text)
    report.events.append(event)
    db.session.flush()
    return event


def _require_text(text: str | None, field: str, message: str) -> str:
    """A required text, trimmed, at most MAX_TEXT characters."""
    text = (text or "").strip()
    if not text:
        raise Invalid(message, fields={field: [message]})
    if len(text) > MAX_TEXT:
        raise Invalid(f"最多{MAX_TEXT}个字。", fields={field: [f"最多{MAX_TEXT}个字。"]})
    return text


def _require_status(report: Report, statuses: tuple[str, ...], message: str) -> None:
    """409 with a Chinese message when the case is not in one of `statuses`."""
    if report.status not in statuses:
        raise Conflict(f"{message}（当前状态：{STATUS_WORDS.get(report.status, report.status)}）",
                       code="invalid_transition")


def _require_handler(report: Report, actor: User) -> str:
    """The actor must handle cases at this case's level; otherwise the case does not exist for them."""
    if not allowed("report.handle", report, actor):
        raise NotFound()
    return handler_role(actor, report)


def accept_report(report: Report, actor: User, text: str | None = None) -> ReportEvent:
    """submitted → accepted; the answer clock starts."""
    role = _require_handler(report, actor)
    _require_status(report, ("submitted",), "只有刚提交的反映才能受理")
    now = clock.now()
    report.status, report.accepted_at = "accepted", now
    report.due_at = deadlines.answer_due(report.village, now)
    event = record_event(report, "accept", role, actor, (text or "").strip() or None, from_status="submitted")
    signals.report_accepted.send(report, actor=actor)
    return event


def reject_report(report: Report, actor: User, reason: str | None) -> ReportEvent:
    """submitted → rejected, with a reason the reporter reads."""
    role = _require_handler(report, actor)
    _require_status(report, ("submitted",), "只有刚提交的反映才能不予受理")
    reason = _require_text(reason, "text", "请写明不予受理的理由，反映人会看到。")
    report.status, report.due_at, report.closed_at = "rejected", None, clock.now()
    report.reply = reason
    return record_event(report, "reject", role, actor, reason, from_status="submitted")


def answer_report(report: Report, actor: User, reply: str | None, public_text: str | None = None,
                  publish: bool = False, publish_photos: bool = False) -> ReportEvent:
    """accepted → answered; optionally onto the wall with a masked public text. Duplicates close with it."""
    role = _require_handler(report, actor)
    _require_status(report, ("accepted",), "请先受理，再答复")
    reply = _require_text(reply, "text", "请填写答复内容。")
    if publish and not report.allow_public:
        raise Invalid("反映人没有同意公开，不能上回音壁。", fields={"publish": ["反映人没有同意公开。"]})
    now = clock.now()
    report.status, report.reply, report.answered_at, report.due_at = "answered", reply, now, None
    if publish:
        report.public_text = redact((public_text or "").strip() or report.content)[:MAX_TEXT]
        report.published = True
        for photo in report.photos if publish_photos else ():
            photo.public = True  # the handler looked at them and chose to show them
    event = record_event(report, "answer", role, actor, reply, from_status="accepted")
    signals.report_answered.send(report, actor=actor)
    _close_duplicates(report, actor, role)
    if publish:
        signals.report_published.send(report, actor=actor)
    return event


def _close_duplicates(main: Report, actor: User, role: str) -> None:
    """The main case's answer closes every open duplicate of it, with the same reply."""
    rows = db.session.execute(sa.select(Report).where(Report.duplicate_of_id == main.id,
                                                      Report.status.in_(OPEN))).scalars()
    for dup in rows:
        before = dup.status
        dup.status, dup.reply, dup.due_at = "closed", main.reply, None
        dup.answered_at = dup.closed_at = clock.now()
        record_event(dup, "close_duplicate", role, actor, f"与第{main.id}号反映一并答复：{main.reply}", from_status=before)
        signals.report_answered.send(dup, actor=actor)


def escalate_report(report: Report, actor: User | None, reason: str | None) -> ReportEvent:
    """submitted/accepted at village → submitted at township: by the committee, an inspector's takeover, or the system."""
    if actor is None:
        role = "system"
    elif allowed("report.handle", report, actor):
        role = handler_role(actor, report)
    elif allowed("report.take_over", report, actor):
        role = "inspector"
    else:
        raise NotFound()
    _require_status(report, ("submitted", "accepted"), "只有未答复的反映才能提级")
    if report.level == "township":
        raise Conflict("这件反映已经在镇纪委办理。", code="invalid_transition")
    reason = _require_text(reason, "text", "请写明提级的理由。") if actor is not None else (reason or "")
    return _send_up(report, "escalate", role, actor, reason or None)


def _send_up(report: Report, action: str, role: str, actor: User | None, text: str | None) -> ReportEvent:
    """Move a case to the township as a new submission there, due for acceptance again."""
    before_status, before_level = report.status, report.level
    now = clock.now()
    report.status, report.level = "submitted", "township"
    report.due_at = deadlines.acceptance_due(report.village, now)
    report.accepted_at = None
    event = record_event(report, action, role, actor, text, from_status=before_status, from_level=before_level)
    signals.report_escalated.send(report, actor=actor, action=action)
    return event


def message_as_handler(report: Report, actor: User, text: str | None) -> ReportMessage:
    """A handler asks or tells the reporter something; the case stays where it is."""
    role = _require_handler(report, actor)
    _require_status(report, OPEN, "已办结或未受理的反映不能再留言")
    text = _require_text(text, "text", "请填写要对反映人说的话。")
    message = ReportMessage(at=clock.now(), author="handler", author_role=role, author_id=actor.id, text=text)
    report.messages.append(message)
    record_event(report, "message", role, actor, text)
    signals.handler_messaged.send(report, actor=actor)
    return message


def message_as_reporter(report: Report, text: str | None) -> ReportMessage:
    """The reporter adds information or answers a question (anonymous reporters too)."""
    _require_status(report, OPEN, "已办结或未受理的反映不能再留言")
    text = _require_text(text, "text", "请填写要补充的内容。")
    message = ReportMessage(at=reporter_moment(report), author="reporter", author_role="reporter", text=text)
    report.messages.append(message)
    record_event(report, "message", "reporter", None, text)
    signals.reporter_replied.send(report, actor=None)
    return message


def rate_report(report: Report, rating: str, comment: str | None = None) -> ReportEvent:
    """answered → closed; 不满意 sends a village case up to the township once, and closes it the second time."""
    if rating not in RATINGS:
        raise Invalid("请选择：满意、基本满意或不满意。", fields={"rating": ["请选择：满意、基本满意或不满意。"]})
    _require_status(report, ("answered",), "答复之后才能评价")
    comment = (comment or "").strip()[:500] or None
    report.rating, report.rating_comment = rating, comment
    text = RATING_WORDS[rating] + (f"：{comment}" if comment else "")
    if rating == "unsatisfied" and report.level == "village":
        event = _send_up(report, "rate", "reporter", None, text + "（提级到镇纪委重新办理）")
    else:
        report.status, report.closed_at = "closed", reporter_moment(report)
        event = record_event(report, "rate", "reporter", None, text, from_status="answered")
    signals.report_rated.send(report, actor=None)
    return event


def can_appeal(report: Report) -> bool:
    """May the reporter still appeal? Only a case the village committee rejected, and only once."""
    return (report.status == "rejected" and report.level == "village"
            and not any(e.action == "appeal" for e in report.events))


def appeal_report(report: Report, reason: str | None) -> ReportEvent:
    """rejected → submitted at township, once, by the reporter (申请镇纪委复核)."""
    _require_status(report, ("rejected",), "只有不予受理的反映才能申请复核")
    if not can_appeal(report):
        raise Conflict("这件反映已经由镇纪委办理过，不能再申请复核。", code="invalid_transition")
    reason = _require_text(reason, "text", "请写明为什么应该受理，镇纪委复核时会看到。")
    report.closed_at = report.reply = None  # the rejection's reason stays in the case's history
    return _send_up(report, "appeal", "reporter", None, reason)


def mark_duplicate(report: Report, main: Report, actor: User, note: str | None) -> ReportEvent:
    """Link a case to an earlier open case of the same village; the main case's answer will close both."""
    role = _require_handler(report, actor)
    _require_status(report, ("submitted", "accepted"), "只有未答复的反映才能合并")
    if main.village_id != report.village_id or main.id == report.id or not allowed("report.view_as_handler", main, actor):
        raise Invalid("只能合并到本村的另一件反映。", fields={"main_id": ["只能合并到本村的另一件反映。"]})
    if main.created_at > report.created_at or main.duplicate_of_id is not None or main.status not in OPEN:
        raise Invalid("主件必须是更早提交、仍在办理的反映。", fields={"main_id": ["主件必须是更早提交、仍在办理的反映。"]})
    if report.duplicate_of_id is not None:
        raise Conflict("这件反映已经合并过了。", code="invalid_transition")
    note = _require_text(note, "text", "请写一句合并的说明。")
    report.duplicate_of_id = main.id
    return record_event(report, "duplicate", role, actor, f"与第{main.id}号反映重复：{note}")


def tracked_case(report: Report) -> Report:
    """The case whose progress a reporter follows: the main case for a duplicate, else the case itself."""
    if report.duplicate_of_id and report.status in OPEN:
        return db.session.get(Report, report.duplicate_of_id) or report
    return report


HANDLER_ACTIONS = ("accept", "reject", "answer", "escalate", "message")


def perform(report: Report, actor: User, action: str, text: str | None = None, public_text: str | None = None,
            publish: bool = False, publish_photos: bool = False):
    """One entry point for the desk's action buttons and the API's actions endpoint."""
    if action == "accept":
        return accept_report(report, actor, text)
    if action == "reject":
        return reject_report(report, actor, text)
    if action == "answer":
        return answer_report(report, actor, text, public_text, publish, publish_photos)
    if action == "escalate":
        return escalate_report(report, actor, text)
    if action == "message":
        return message_as_handler(report, actor, text)
    raise Invalid("不认识的操作。", fields={"action": [f"只能是：{'、'.join(HANDLER_ACTIONS)}。"]})


def count_open(village) -> int:
    """How many cases of the village are still open (submitted, accepted or answered)."""
    return db.session.execute(sa.select(sa.func.count()).select_from(Report).where(
        Report.village_id == village.id, Report.status.in_(OPEN))).scalar_one()
