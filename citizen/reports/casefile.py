"""A case as its reporter sees it: the parcel-style timeline, reply, messages and what they may do next."""
from flask import url_for

import clock
from disclosure import lookup
from citizen.reports.models import Report
from citizen.reports.lifecycle import RATING_WORDS, can_appeal
from citizen.reports.filing import OPEN_STATUSES

STEPS = ("已提交", "已受理", "办理中", "已答复", "已办结")
STATUS_WORDS = {"submitted": "已提交", "accepted": "办理中", "answered": "已答复", "closed": "已办结",
                "rejected": "不予受理"}
DONE_STEPS = {"submitted": 1, "accepted": 3, "answered": 4, "closed": 5}
LEVEL_WORDS = {"village": "村监会", "township": "镇纪委"}
ACTION_WORDS = {"submit": "提交了反映", "accept": "已受理", "reject": "不予受理", "answer": "已答复",
                "escalate": "转交镇纪委", "message": "留言", "rate": "评价", "appeal": "申请复核", "close": "已办结",
                "ask": "提出问题", "reopen": "重新办理"}


def shown_time(moment) -> str:
    """A stored moment as Shanghai local time text."""
    return clock.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def timeline(report: Report) -> list[dict]:
    """The steps like a parcel's, each done or not; a rejected case ends at 不予受理."""
    if report.status == "rejected":
        return [{"label": "已提交", "done": True}, {"label": "不予受理", "done": True, "bad": True}]
    done = DONE_STEPS.get(report.status, 1)
    return [{"label": label, "done": number < done, "current": number == done - 1}
            for number, label in enumerate(STEPS)]


def case_view(report: Report, photo_endpoint: str = "reports.photo") -> dict:
    """Everything the reporter's case page shows, as ready values."""
    subject = None
    if report.subject_type and report.subject_id:
        obj = lookup.find_subject(report.village, report.subject_type, report.subject_id)
        subject = lookup.describe_subject(obj) if obj is not None else None
    reject_reason = next((e.text for e in reversed(report.events) if e.action == "reject"), None)
    appealed = any(e.action == "appeal" for e in report.events)
    return {
        "status": report.status,
        "status_word": STATUS_WORDS.get(report.status, report.status),
        "level_word": LEVEL_WORDS.get(report.level, report.level),
        "village": report.village.name,
        "category": report.category,
        "content": report.content,
        "anonymous": report.anonymous,
        "subject": subject,
        "created": shown_time(report.created_at),
        "due": shown_time(report.due_at) if report.status in ("submitted", "accepted") else "",
        "steps": timeline(report),
        "reject_reason": reject_reason if report.status == "rejected" else None,
        "appealed": appealed and report.status != "rejected",
        "reply": report.reply if report.status != "rejected" else None,  # a rejection's reply is its reason
        "rating_word": RATING_WORDS.get(report.rating) if report.rating else None,
        "events": [{"at": shown_time(e.at), "text": ACTION_WORDS.get(e.action, e.action) +
                    (f"：{e.text}" if e.text and e.action not in ("message",) else "")} for e in report.events],
        "messages": [{"at": shown_time(m.at), "mine": m.author == "reporter",
                      "who": "我" if m.author == "reporter" else LEVEL_WORDS.get(report.level, "办理人"),
                      "text": m.text} for m in report.messages],
        "photos": [{"url": url_for(photo_endpoint, photo_id=p.id),
                    "thumb": url_for(photo_endpoint, photo_id=p.id, size="thumb")} for p in report.photos],
        "can_add": report.status in OPEN_STATUSES,
        "can_rate": report.status == "answered" and not report.rating,
        "can_appeal": can_appeal(report),
    }


def api_case(report: Report) -> dict:
    """The reporter's case for the JSON API (ReporterCaseSchema)."""
    return {
        "status": report.status, "level": report.level, "category": report.category,
        "content": report.content, "created_at": report.created_at, "due_at": report.due_at,
        "events": [{"at": e.at, "action": e.action, "text": e.text} for e in report.events],
        "messages": [{"at": m.at, "author": m.author, "text": m.text} for m in report.messages],
        "reply": report.reply, "rating": report.rating,
    }
