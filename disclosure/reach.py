"""Reach: how often each disclosure is opened, counted per day in aggregate (no person, no address)."""
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import clock
from disclosure.models import DailyViews, Disclosure
from extensions import db


def record_view(disclosure: Disclosure) -> None:
    """Add one to today's count of this disclosure (an update first, an insert on the day's first view)."""
    day = clock.local(clock.now()).date()
    bump = (sa.update(DailyViews).where(DailyViews.disclosure_id == disclosure.id, DailyViews.day == day)
            .values(count=DailyViews.count + 1))
    if db.session.execute(bump).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(sa.insert(DailyViews).values(disclosure_id=disclosure.id, day=day, count=1))
    except IntegrityError:  # another request inserted the day's row first
        db.session.execute(bump)


def total_views(disclosure_ids: list[int]) -> dict[int, int]:
    """All-time views per disclosure id."""
    if not disclosure_ids:
        return {}
    rows = db.session.execute(sa.select(DailyViews.disclosure_id, sa.func.sum(DailyViews.count))
                              .where(DailyViews.disclosure_id.in_(disclosure_ids))
                              .group_by(DailyViews.disclosure_id))
    return {disclosure_id: int(total) for disclosure_id, total in rows}

