"""The queries behind the desks and the township overview: scoped, indexed, one page at a time."""
from datetime import datetime, timedelta

import sqlalchemy as sa

import clock
from accounts.authz import village_ids_for
from accounts.models import User, Village
from citizen.reports import deadlines
from citizen.reports.models import Report, ReportEvent
from disclosure import lookup
from extensions import db


def _not_naming(user: User):
    """Cases that do not name any cadre post this person holds."""
    own = lookup.cadre_ids_of(user)
    return sa.and_(sa.or_(Report.cadre_id.is_(None), Report.cadre_id.not_in(own)),
                   sa.or_(Report.subject_type.is_(None), Report.subject_type != "cadre", Report.subject_id.is_(None),
                          Report.subject_id.not_in(own)))


def desk_scope(user: User, now: datetime | None = None):
    """Every case this person may open on a desk (the same reach as the report.view_as_handler rule)."""
    now = now or clock.now()
    parts = []
    committee = village_ids_for(user, "committee")
    if committee:
        parts.append(sa.and_(Report.village_id.in_(committee), Report.level == "village", _not_naming(user)))
    inspected = village_ids_for(user, "inspector")
    if inspected:
        parts.append(sa.and_(Report.village_id.in_(inspected), Report.level == "township"))
        parts.append(sa.and_(Report.village_id.in_(inspected), Report.level == "village",
                             deadlines.colour_clause("red", now)))
    return sa.or_(*parts) if parts else sa.false()


def desk_query(user: User, status: str | None = None, colour: str | None = None, level: str | None = None,
               now: datetime | None = None) -> sa.Select:
    """A desk's queue, most urgent first; open cases (submitted, accepted, answered) unless a status is asked.

    level="township" also lists, read-only, the cases a committee member's villages sent up (sent_up_query)."""
    now = now or clock.now()
    scope = desk_scope(user, now)
    if level == "township":  # a committee's township cases are the read-only ones its villages sent up
        scope = sa.or_(scope, _sent_up_where(user))
    query = sa.select(Report).where(scope)
    if status:
        query = query.where(Report.status == status)
    else:
        query = query.where(Report.status.in_(deadlines.OPEN_STATUSES + ("answered",)))
    if colour:
        query = query.where(deadlines.colour_clause(colour, now))
    if level:
        query = query.where(Report.level == level)
    return query.order_by(*deadlines.urgency_order(now))


def _sent_up_where(user: User):
    """Township-level cases of the person's committee villages that went up from the village and do not name
    them (the same reach as the read-only village-history part of the report.view_as_handler rule)."""
    committee = village_ids_for(user, "committee")
    if not committee:
        return sa.false()
    moved_up = sa.exists().where(ReportEvent.report_id == Report.id, ReportEvent.from_level == "village",
                                 ReportEvent.to_level == "township")
    return sa.and_(Report.village_id.in_(committee), Report.level == "township", moved_up, _not_naming(user))


def sent_up_query(user: User) -> sa.Select:
    """Cases the committee's villages sent up to the township, readable but not actionable, newest first."""
    return sa.select(Report).where(_sent_up_where(user)).order_by(Report.created_at.desc(), Report.id.desc())


def sent_up_count(user: User) -> int:
    """How many cases the committee's villages sent up (for the desk's read-only tab)."""
    return db.session.execute(sa.select(sa.func.count()).select_from(Report)
                              .where(_sent_up_where(user))).scalar_one()


def desk_counts(user: User, now: datetime | None = None) -> dict:
    """Counts for the desk's tabs: per status, and per colour of the open cases, in one query."""
    now = now or clock.now()
    red = sa.func.sum(sa.case((deadlines.colour_clause("red", now), 1), else_=0))
    yellow = sa.func.sum(sa.case((deadlines.colour_clause("yellow", now), 1), else_=0))
    green = sa.func.sum(sa.case((deadlines.colour_clause("green", now), 1), else_=0))
    rows = db.session.execute(sa.select(Report.status, sa.func.count(), red, yellow, green)
                              .where(desk_scope(user, now),
                                     Report.status.in_(deadlines.OPEN_STATUSES + ("answered",)))
                              .group_by(Report.status)).all()
    counts = {"submitted": 0, "accepted": 0, "answered": 0, "red": 0, "yellow": 0, "green": 0}
    for status, total, r, y, g in rows:
        counts[status] = total
        counts["red"] += r or 0
        counts["yellow"] += y or 0
        counts["green"] += g or 0
    counts["open"] = counts["submitted"] + counts["accepted"] + counts["answered"]
    return counts


def _days_between(start, end):
    """Days from `start` to `end` as a number, in SQL that SQLite and PostgreSQL both run."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.func.julianday(end) - sa.func.julianday(start)
    return sa.extract("epoch", end - start) / 86400.0


SATISFACTION_DAYS = 365


def village_figures(village_ids: list[int], now: datetime | None = None) -> dict[int, dict]:
    """Per village: open, overdue, oldest overdue days, average days to answer (90 days), satisfaction (a year)."""
    now = now or clock.now()
    figures = {vid: {"open": 0, "overdue": 0, "max_overdue_days": 0, "avg_answer_days": None,
                     "satisfaction": None, "rated": 0} for vid in village_ids}
    if not village_ids:
        return figures
    in_villages = Report.village_id.in_(village_ids)
    open_rows = db.session.execute(
        sa.select(Report.village_id, sa.func.count(),
                  sa.func.sum(sa.case((Report.due_at < now, 1), else_=0)), sa.func.min(Report.due_at))
        # level IN (both) lets the (village_id, level, status, due_at) index seek straight to open cases.
        .where(in_villages, Report.level.in_(("village", "township")), Report.status.in_(deadlines.OPEN_STATUSES))
        .group_by(Report.village_id)).all()
    for vid, total, overdue, oldest_due in open_rows:
        fig = figures[vid]
        fig["open"], fig["overdue"] = total, overdue or 0
        if oldest_due is not None and oldest_due.replace(tzinfo=now.tzinfo) < now:
            fig["max_overdue_days"] = (now - oldest_due.replace(tzinfo=now.tzinfo)).days
    since = now - timedelta(days=90)
    answered = db.session.execute(
        sa.select(Report.village_id, sa.func.avg(_days_between(Report.created_at, Report.answered_at)))
        .where(in_villages, Report.answered_at >= since).group_by(Report.village_id)).all()
    for vid, days in answered:
        figures[vid]["avg_answer_days"] = round(float(days), 1) if days is not None else None
    # Satisfaction over the cases answered in the last year: a window, so the figure says how a village
    # does now and reading it costs the same in the tenth year as in the first.
    rated = db.session.execute(
        sa.select(Report.village_id, Report.rating, sa.func.count())
        .where(in_villages, Report.answered_at >= now - timedelta(days=SATISFACTION_DAYS), Report.rating.is_not(None))
        .group_by(Report.village_id, Report.rating)).all()
    tallies: dict[int, list[int]] = {}
    for vid, rating, total in rated:
        good_all = tallies.setdefault(vid, [0, 0])
        good_all[1] += total
        if rating in ("satisfied", "basic"):
            good_all[0] += total
    for vid, (good, total) in tallies.items():
        figures[vid]["satisfaction"] = good / total if total else None
        figures[vid]["rated"] = total
    return figures


def monthly_trend(village: Village, months: int = 12, now: datetime | None = None) -> list[dict]:
    """Cases submitted and answered per month (Asia/Shanghai), the last `months` months, oldest first."""
    now = clock.local(now or clock.now())
    keys = []
    year, month = now.year, now.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    start = datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=clock.SHANGHAI)
    buckets = {key: {"month": key, "submitted": 0, "answered": 0} for key in keys}
    rows = db.session.execute(sa.select(Report.created_at, Report.answered_at).where(
        Report.village_id == village.id, sa.or_(Report.created_at >= start, Report.answered_at >= start))).all()
    for created, answered in rows:
        for moment, field in ((created, "submitted"), (answered, "answered")):
            if moment is not None:
                key = clock.local(moment).strftime("%Y-%m")
                if key in buckets:
                    buckets[key][field] += 1
    return list(buckets.values())
