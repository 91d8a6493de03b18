"""How fresh a village's finance disclosure is, and the one setting of when it counts as late (公开不及时).

The village home, the clerk's desk and the township overview (its yellow health colour) read it; township
staff set it on the township settings page.
"""
from datetime import datetime

import sqlalchemy as sa

import clock
from accounts.models import Township, Village
from disclosure.models import Disclosure, DisclosureSettings
from errors import Invalid
from extensions import column_defaults, db

def last_finance_published_at(village: Village) -> datetime | None:
    """When the village last put a finance disclosure on the board (withdrawn ones do not count)."""
    return db.session.execute(
        sa.select(sa.func.max(Disclosure.published_at)).where(
            Disclosure.village_id == village.id, Disclosure.category == "finance",
            Disclosure.status == "published")).scalar_one()


def days_since_finance(village: Village, now: datetime | None = None) -> int | None:
    """Whole days (Asia/Shanghai calendar) since the last finance disclosure; None if there never was one."""
    last = last_finance_published_at(village)
    if last is None:
        return None
    today = clock.local(now or clock.now()).date()
    return (today - clock.local(last).date()).days


def stale_days(township_id: int) -> int:
    """The township's threshold in days after which finance counts as late."""
    value = db.session.execute(sa.select(DisclosureSettings.finance_stale_days)
                               .where(DisclosureSettings.township_id == township_id)).scalar_one_or_none()
    return value if value is not None else default_stale_days()


def default_stale_days() -> int:
    """The threshold of a township that has set none (the column default)."""
    return column_defaults(DisclosureSettings)["finance_stale_days"]


def set_stale_days(township: Township, days: int | str) -> DisclosureSettings:
    """Set the township's threshold (7 to 120 days; typed text is read as a whole number)."""
    if isinstance(days, str):
        days = int(days.strip()) if days.strip().isdigit() else None
    if not isinstance(days, int) or isinstance(days, bool) or not 7 <= days <= 120:
        raise Invalid("天数请填7到120之间的整数。", fields={"finance_stale_days": ["请填7到120之间的整数。"]})
    row = db.session.execute(sa.select(DisclosureSettings)
                             .where(DisclosureSettings.township_id == township.id)).scalar_one_or_none()
    if row is None:
        row = DisclosureSettings(township_id=township.id)
        db.session.add(row)
    row.finance_stale_days = days
    db.session.flush()
    return row


def freshness_warning(village: Village, now: datetime | None = None) -> str | None:
    """公开不及时 text when finance is older than the township's threshold (or was never published)."""
    days = days_since_finance(village, now)
    if days is None:
        return "公开不及时：财务还没有公开过"
    if days > stale_days(village.township_id):
        return f"公开不及时：财务已{days}天未公开"
    return None


def days_since_finance_by_village(village_ids: list[int], now: datetime | None = None) -> dict[int, int | None]:
    """days_since_finance for many villages in one query (the township overview's column)."""
    if not village_ids:
        return {}
    rows = db.session.execute(
        sa.select(Disclosure.village_id, sa.func.max(Disclosure.published_at))
        .where(Disclosure.village_id.in_(village_ids), Disclosure.category == "finance",
               Disclosure.status == "published").group_by(Disclosure.village_id))
    today = clock.local(now or clock.now()).date()
    last = dict(rows.all())
    return {vid: (today - clock.local(last[vid]).date()).days if last.get(vid) else None for vid in village_ids}
