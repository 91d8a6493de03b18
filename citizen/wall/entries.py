"""The wall's rules: flags anyone can raise, and hiding or restoring an entry by a handler, with a reason."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

import clock
from accounts.authz import allowed, holds
from accounts.models import User, Village
from citizen.reports.lifecycle import record_event
from citizen.reports.models import Report
from citizen.wall.models import FLAG_REASONS, WallFlag, WallModeration
from errors import Conflict, Invalid, NotFound
from extensions import db
from jsonapi import keyset_page


def wall_entry(village: Village, report_id: int) -> Report:
    """A published wall entry of this village (hidden ones too, for moderators), or NotFound."""
    report = db.session.get(Report, report_id)
    if report is None or report.village_id != village.id or not report.published:
        raise NotFound("没有找到这条回音壁内容。")
    return report


def flag_entry(report: Report, reason: str, text: str | None) -> WallFlag:
    """Record an objection; nothing is hidden because of it, however many arrive."""
    if reason not in FLAG_REASONS:
        raise Invalid("请选择原因：不实、泄露隐私或其他。", fields={"reason": ["请选择原因：不实、泄露隐私或其他。"]})
    text = (text or "").strip()
    if len(text) > 200:
        raise Invalid("说明最多200个字。", fields={"text": ["说明最多200个字。"]})
    if reason == "other" and not text:
        raise Invalid("选择“其他”时请简单说明原因。", fields={"text": ["请简单说明原因。"]})
    if report.wall_hidden or not report.published:
        raise NotFound("没有找到这条回音壁内容。")
    flag = WallFlag(report_id=report.id, reason=reason, text=text, created_at=clock.now())
    db.session.add(flag)
    db.session.flush()
    return flag


def _moderator_role(actor: User, report: Report) -> str:
    """How the record names the moderator."""
    if holds(actor, "inspector", village=report.village):
        return "inspector"
    return "township" if holds(actor, "township", village=report.village) else "committee"


def entry_to_moderate(report_id: int, actor: User) -> Report:
    """A published wall entry this person may hide or restore, else NotFound (as for one that does not exist)."""
    report = db.session.get(Report, report_id)
    if report is None or not report.published or not allowed("wall.moderate", report, actor):
        raise NotFound()
    return report


def set_hidden(report: Report, actor: User, hidden: bool, reason: str | None) -> WallModeration:
    """Hide or restore a wall entry; the reason and the moderator go on the record, and open flags are resolved."""
    if not report.published or not allowed("wall.moderate", report, actor):
        raise NotFound()
    if report.wall_hidden == hidden:
        raise Conflict("这条内容已经撤下了。" if hidden else "这条内容已经在回音壁上了。", code="invalid_transition")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请写明理由，记录会保留。", fields={"reason": ["请写明理由。"]})
    role = _moderator_role(actor, report)
    now = clock.now()
    report.wall_hidden = hidden
    record = WallModeration(report_id=report.id, action="hide" if hidden else "restore", reason=reason[:500],
                            actor_id=actor.id, actor_role=role, at=now)
    db.session.add(record)
    db.session.execute(sa.update(WallFlag).where(WallFlag.report_id == report.id, WallFlag.resolved_at.is_(None))
                       .values(resolved_at=now))
    record_event(report, record.action, role, actor, reason[:500])
    return record


def dismiss_flags(report: Report, actor: User) -> int:
    """Mark a wall entry's open flags as looked at, keeping it up."""
    if not allowed("wall.moderate", report, actor):
        raise NotFound()
    result = db.session.execute(sa.update(WallFlag).where(WallFlag.report_id == report.id,
                                                          WallFlag.resolved_at.is_(None)).values(resolved_at=clock.now()))
    return result.rowcount


def moderation_list(user: User, village_ids: set[int]) -> list[dict]:
    """Flagged or hidden entries in these villages that this person may moderate, with their flags and record."""
    flagged = sa.select(WallFlag.report_id).where(WallFlag.resolved_at.is_(None))
    rows = db.session.execute(sa.select(Report).where(
        Report.village_id.in_(village_ids), Report.published.is_(True),
        sa.or_(Report.id.in_(flagged), Report.wall_hidden.is_(True))).order_by(Report.id.desc()).limit(100)).scalars()
    entries = []
    for report in rows:
        if not allowed("wall.moderate", report, user):
            continue
        flags = db.session.execute(sa.select(WallFlag).where(WallFlag.report_id == report.id)
                                   .order_by(WallFlag.id.desc())).scalars().all()
        record = db.session.execute(sa.select(WallModeration).where(WallModeration.report_id == report.id)
                                    .order_by(WallModeration.id.desc())).scalars().all()
        entries.append({"report": report, "flags": flags, "open_flags": sum(1 for f in flags if f.resolved_at is None),
                        "record": record})
    return entries


def wall_query(village: Village, category: str | None = None) -> sa.Select:
    """The village's wall: answered or closed cases the handler published and nobody has hidden, newest first."""
    query = sa.select(Report).options(selectinload(Report.photos)).where(
        Report.village_id == village.id, Report.published.is_(True),
                                    Report.status.in_(("answered", "closed")), Report.wall_hidden.is_(False))
    if category:
        query = query.where(Report.category == category)
    return query.order_by(Report.answered_at.desc(), Report.id.desc())


def wall_page(village: Village, category: str | None, older_than: str | None = None, newer_than: str | None = None,
              per_page: int = 20) -> tuple[list[Report], str | None, str | None]:
    """One page of the wall by keyset (jsonapi.keyset_page): (entries, cursor after, cursor before)."""
    return keyset_page(wall_query(village, category), Report.answered_at, Report.id, older_than, newer_than, per_page)


def count_entries(village: Village) -> int:
    """How many entries stand on the village's wall."""
    return db.session.execute(sa.select(sa.func.count()).select_from(
        wall_query(village).order_by(None).subquery())).scalar_one()


def forget_reports(report_ids: list[int]) -> None:
    """Retention: drop the flags and moderation records of cases about to be deleted."""
    if report_ids:
        for model in (WallFlag, WallModeration):
            db.session.execute(sa.delete(model).where(model.report_id.in_(report_ids)))
