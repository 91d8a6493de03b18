"""The one clock the app reads; tests set it to check deadlines at their boundaries."""
from contextlib import contextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

SHANGHAI = ZoneInfo("Asia/Shanghai")
_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time as an aware UTC datetime (or the frozen test time)."""
    return _frozen or datetime.now(timezone.utc)


def freeze(moment: datetime | None) -> None:
    """Freeze the clock at an aware datetime, or unfreeze it with None (tests only)."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = moment.astimezone(timezone.utc) if moment else None


def to_minute(moment: datetime) -> datetime:
    """The moment with seconds and microseconds dropped: what an anonymous reporter's rows keep."""
    return moment.replace(second=0, microsecond=0)


def local(moment: datetime) -> datetime:
    """Show a stored UTC moment in Asia/Shanghai."""
    return moment.astimezone(SHANGHAI)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware, on SQLite and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes: they are the usual source of eight-hour errors."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        """Attach UTC to what SQLite gives back naive."""
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


@contextmanager
def at(moment: datetime):
    """Act as if at `moment` (demo data with realistic ages, tests), then go back to the clock before."""
    before = _frozen
    freeze(moment)
    try:
        yield moment
    finally:
        freeze(before)
