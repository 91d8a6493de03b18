"""Reach: how often each disclosure is opened, counted per day in aggregate (no person, no address)."""
from datetime import date

import sqlalchemy as sa

import clock
import counters
from accounts.places import village_ids_of
from disclosure.models import DailyViews, Disclosure
from extensions import db


def record_view(disclosure: Disclosure) -> None:
    """Count one view for today (Shanghai date); buffered, so reading a page never waits on a write."""
    counters.bump(DailyViews, "count", disclosure_id=disclosure.id, day=clock.local(clock.now()).date())


def total_views(disclosure_ids: list[int]) -> dict[int, int]:
    """All-time views per disclosure id."""
    if not disclosure_ids:
        return {}
    rows = db.session.execute(sa.select(DailyViews.disclosure_id, sa.func.sum(DailyViews.count))
                              .where(DailyViews.disclosure_id.in_(disclosure_ids))
                              .group_by(DailyViews.disclosure_id))
    return {disclosure_id: int(total) for disclosure_id, total in rows}



def purge_views(township_id: int, before: date) -> int:
    """Retention: delete the daily view counts of the township's disclosures for days before `before`."""
    disclosures = sa.select(Disclosure.id).where(Disclosure.village_id.in_(village_ids_of(township_id)))
    return db.session.execute(sa.delete(DailyViews).where(DailyViews.disclosure_id.in_(disclosures),
                                                          DailyViews.day < before)).rowcount
