"""How long a township keeps what villagers leave behind: the policy, its limits, and the one-time codes' purge.

The other areas purge their own rows (citizen.reports.retention, disclosure.reach, citizen.codes.qrcodes);
privacy.retention runs them all, once a day.
"""
from datetime import datetime

import sqlalchemy as sa

from accounts.models import OneTimeCode, RetentionPolicy
from errors import Invalid
from extensions import column_defaults, db

LIMITS = {
    # field: (label, min days, max days)
    "closed_case_days": ("已办结的反映（含记录）保存天数", 30, 10 * 365),
    "photo_days": ("已办结反映的照片保存天数", 7, 10 * 365),
    "code_days": ("短信验证码记录保存天数", 1, 30),
    "counter_days": ("浏览、扫码次数保存天数", 30, 10 * 365),
}


def policy_for(township_id: int) -> RetentionPolicy:
    """The township's policy, or an unsaved one holding the defaults (reading never writes)."""
    row = db.session.get(RetentionPolicy, township_id)
    return row if row is not None else RetentionPolicy(township_id=township_id, **column_defaults(RetentionPolicy))


def save_policy(township_id: int, values: dict) -> RetentionPolicy:
    """Township staff set the periods; every field checked before any is saved; photos never outlive their case."""
    clean = {}
    for field, (label, low, high) in LIMITS.items():
        raw = str(values.get(field, "")).strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise Invalid(f"{label}要填{low}到{high}之间的整数。", fields={field: [f"请填{low}到{high}之间的整数。"]})
        clean[field] = int(raw)
    if clean["photo_days"] > clean["closed_case_days"]:
        raise Invalid("照片的保存天数不能比反映本身更长。", fields={"photo_days": ["不能超过反映的保存天数。"]})
    row = db.session.get(RetentionPolicy, township_id)
    if row is None:
        row = RetentionPolicy(township_id=township_id)
        db.session.add(row)
    for field, value in clean.items():
        setattr(row, field, value)
    db.session.flush()
    return row


def shortest_code_days() -> int:
    """Login codes are not tied to a township: they go after the shortest period in force (the default included)."""
    chosen = db.session.execute(sa.select(sa.func.min(RetentionPolicy.code_days))).scalar_one_or_none()
    return min(chosen or column_defaults(RetentionPolicy)["code_days"], column_defaults(RetentionPolicy)["code_days"])


def purge_codes(before: datetime) -> int:
    """Delete one-time login codes created before `before`; returns how many."""
    return db.session.execute(sa.delete(OneTimeCode).where(OneTimeCode.created_at < before)).rowcount
