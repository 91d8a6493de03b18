"""Pages of the committee's and inspectors' desks: queue, case, actions, notices."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

import clock
from accounts.authz import allowed, authorize
from citizen.reports import lifecycle
from citizen.triage import desk_case, notify, queues
from citizen.reports.models import Report, STATUSES
from citizen.triage.forms import ActionForm
from citizen.triage.models import Notification
from errors import Invalid, NotFound
from extensions import db
from jsonapi import keyset_page, page_of
from webforms import REFUSALS, refusal, row_id

PER_PAGE = 20
COLOURS = ("red", "yellow", "green")
DONE_WORDS = {"accept": "已受理，答复期限已开始计算。", "reject": "已不予受理，理由会告诉反映人。",
              "answer": "已答复。", "escalate": "已提级到镇纪委。", "message": "留言已发给反映人。",
              "duplicate": "已合并为重复件。", "take_over": "已由镇纪委接手。"}


def unread_notices() -> dict:
    """The unread notice count on the staff navigation."""
    if current_user and current_user.is_authenticated and current_user.roles() & {"committee", "inspector"}:
        return {"unread_count": notify.unread_count(current_user)}
    return {}


def _desk_user():
    """The logged-in committee member or inspector (401 / 404 otherwise)."""
    authorize("triage.desk", current_user._get_current_object() if current_user.is_authenticated else None)
    return current_user._get_current_object()


def _int_arg(name: str, default: int = 1) -> int:
    """A positive integer query argument; nonsense falls back to the default."""
    try:
        return max(1, int(request.args.get(name, default)))
    except ValueError:
        return default


def queue():
    """The desk's queue, most urgent first, with status and colour filters and counts on the tabs."""
    user = _desk_user()
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    colour = request.args.get("colour") if request.args.get("colour") in COLOURS else None
    level = request.args.get("level") if request.args.get("level") in ("village", "township") else None
    page = _int_arg("page")
    now = clock.now()
    query = queues.desk_query(user, status=status, colour=colour, level=level, now=now)
    rows, more = page_of(query.options(selectinload(Report.village)), page, PER_PAGE)
    return render_template("triage/queue.html", rows=[desk_case.queue_row(r, now) for r in rows],
                           counts=queues.desk_counts(user, now), status=status, colour=colour, level=level,
                           page=page, more=more, inspector="inspector" in user.roles(),
                           sent_up_count=queues.sent_up_count(user) if "committee" in user.roles() else None)


def sent_up():
    """Cases the committee's villages sent up to the township: read-only history, newest first."""
    user = _desk_user()
    now = clock.now()
    rows, older, newer = keyset_page(queues.sent_up_query(user).options(selectinload(Report.village)),
                                     Report.created_at, Report.id, request.args.get("older"),
                                     request.args.get("newer"), PER_PAGE)
    return render_template("triage/sent_up.html", rows=[desk_case.queue_row(r, now) for r in rows],
                           total=queues.sent_up_count(user), older=older, newer=newer)


def case(id: int):  # noqa: A002  (the path parameter is named `id` in the shared endpoint list)
    """One case: content, subject, photos, history, messages and the buttons that fit its status."""
    user = _desk_user()
    report = desk_case.find_case(id, user)
    template_id = row_id(request.args.get("template"))
    chosen = next((t for t in desk_case.case_view(report, user)["templates"] if t.id == template_id), None)
    return _render_case(report, user, form={"text": chosen.body} if chosen else {})


def _render_case(report, user, form=None, error=None, fields=None, status=200):
    """The case page, optionally with the typed input kept and an error shown."""
    view = desk_case.case_view(report, user)
    return render_template("triage/case.html", **view, form=form or {}, error=error, fields=fields or {}), status


def act(id: int):  # noqa: A002
    """Run one lifecycle action from the case page, commit, and come back to it (PRG)."""
    user = _desk_user()
    report = desk_case.find_case(id, user)
    form = ActionForm()
    action, text = form.action.data or "", form.text.data
    try:
        if action == "duplicate":
            main = db.session.get(Report, form.number("main_id") or 0)
            if main is None:
                raise Invalid("请填写主件的编号。", fields={"main_id": ["没有这个编号的反映。"]})
            lifecycle.mark_duplicate(report, main, user, text)
        elif action == "take_over":
            lifecycle.escalate_report(report, user, text)
        else:
            lifecycle.perform(report, user, action, text=text, public_text=form.public_text.data,
                              publish=form.publish.data, publish_photos=form.publish_photos.data)
        db.session.commit()
    except NotFound:
        raise  # a case outside this desk: the 404 page
    except REFUSALS as exc:
        db.session.rollback()
        refused = refusal(exc)
        report = desk_case.find_case(id, user)
        return _render_case(report, user, form=dict(form.posted(), action=action), error=refused.message,
                            fields=refused.fields, status=refused.status)
    flash(DONE_WORDS.get(action, "已完成。"))
    if action == "take_over" or not allowed("report.view_as_handler", report, user):
        return redirect(url_for("triage.queue"))
    return redirect(url_for("triage.case", id=report.id))


def notifications():
    """The person's notices, newest first."""
    user = _desk_user()
    rows = db.session.execute(sa.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(100)).scalars().all()
    items = [{"id": n.id, "text": n.text, "at": clock.local(n.created_at), "unread": n.read_at is None,
              "report_id": n.report_id} for n in rows]
    return render_template("triage/notifications.html", items=items)


def read_notifications():
    """Mark every notice read."""
    user = _desk_user()
    db.session.execute(sa.update(Notification).where(Notification.user_id == user.id,
                                                     Notification.read_at.is_(None)).values(read_at=clock.now()))
    db.session.commit()
    return redirect(url_for("triage.notifications"))
