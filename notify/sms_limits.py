"""The per-phone daily cap on texts: counted per Shanghai day against a keyed hash of the phone."""
import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

import clock
from extensions import db
from notify.models import SmsDailyCount
from notify.sms_errors import SmsCapReached


def phone_hash(phone: str) -> str:
    """HMAC of the phone with the app's secret: the count table holds no phone number."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), f"sms:{phone}".encode(), hashlib.sha256).hexdigest()


def _take(session, key: str, day, cap: int) -> bool:
    """One conditional increment (or the first row of the day); True when a text was still allowed."""
    bumped = session.execute(sa.update(SmsDailyCount)
                             .where(SmsDailyCount.phone_hash == key, SmsDailyCount.day == day, SmsDailyCount.sent < cap)
                             .values(sent=SmsDailyCount.sent + 1).execution_options(synchronize_session=False))
    if bumped.rowcount:
        return True
    if session.get(SmsDailyCount, (key, day)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SmsDailyCount(phone_hash=key, day=day, sent=1))
    except IntegrityError:  # another sender created the row first: count on it
        return _take(session, key, day, cap)
    return cap >= 1


def take_sms_slot(phone: str) -> None:
    """Count one text to `phone` today, or raise SmsCapReached when SMS_DAILY_CAP were already sent.

    Counted in the caller's transaction when one is open (a request sending a login code), else in
    its own short write, so a job holds no lock while it then waits on the provider.
    """
    from transactions import own_transaction

    cap = int(current_app.config["SMS_DAILY_CAP"])
    key, day = phone_hash(phone), clock.local(clock.now()).date()
    if db.session().in_transaction():
        allowed = _take(db.session, key, day, cap)
        db.session.flush()
    else:
        with own_transaction() as session:
            allowed = _take(session, key, day, cap)
    if not allowed:
        raise SmsCapReached()
