"""A township's points settings and earn rules: the columns' defaults (DEFAULT_RULES per rule) until staff save."""
import sqlalchemy as sa

from accounts.models import Township
from errors import Invalid
from extensions import column_defaults, db
from points.models import EarnRule, PointsSettings

# key: (name villagers read, points, per-day cap, per-month cap)
DEFAULT_RULES = {
    "report_accepted": ("实名举报被受理", 10, 30, 100),
    "report_published": ("举报上回音壁", 5, 15, 50),
    "report_rated": ("评价答复", 1, 3, 10),
    "finance_read": ("阅读当月财务公开", 1, 2, 5),
    "event_checkin": ("参加群众说事日", 5, 5, 20),
}
RULE_NAMES = {key: value[0] for key, value in DEFAULT_RULES.items()}

SETTING_LIMITS = {
    # field: (label, min, max)
    "rate_fen": ("每分兑换（分钱）", 0, 10_000),
    "max_points_per_redemption": ("每次最多用积分", 1, 100_000),
    "max_redemptions_per_day": ("每人每店每天最多次数", 1, 100),
    "few_villagers_min_redemptions": ("集中预警：当月至少笔数", 1, 100_000),
    "few_villagers_count": ("集中预警：少数几人", 1, 100),
    "few_villagers_share_pct": ("集中预警：占比（%）", 1, 100),
    "drain_repeats": ("清空预警：次数", 1, 1000),
    "burst_count": ("扎堆预警：笔数", 2, 1000),
    "burst_minutes": ("扎堆预警：分钟内", 1, 1440),
}


def settings_for(township: Township | int) -> PointsSettings:
    """The township's settings row, or an unsaved one holding the column defaults (reading never writes)."""
    township_id = township if isinstance(township, int) else township.id
    row = db.session.execute(sa.select(PointsSettings).where(PointsSettings.township_id == township_id)
                             ).scalar_one_or_none()
    return row if row is not None else PointsSettings(township_id=township_id, **column_defaults(PointsSettings))


def rule_for(township: Township | int, key: str) -> EarnRule:
    """One earn rule of the township, or an unsaved one holding its default (reading never writes)."""
    township_id = township if isinstance(township, int) else township.id
    if key not in DEFAULT_RULES:
        raise Invalid("没有这种积分规则。", fields={"key": ["不认识的规则。"]})
    row = db.session.execute(sa.select(EarnRule).filter_by(township_id=township_id, key=key)).scalar_one_or_none()
    if row is None:
        _, points, daily, monthly = DEFAULT_RULES[key]
        row = EarnRule(township_id=township_id, key=key, points=points, daily_cap=daily, monthly_cap=monthly,
                       **column_defaults(EarnRule))
    return row


def rules_for(township: Township) -> list[EarnRule]:
    """Every earn rule of the township, in the fixed order (saved rows in one statement, defaults for the rest)."""
    saved = {row.key: row for row in db.session.execute(
        sa.select(EarnRule).where(EarnRule.township_id == township.id)).scalars()}
    rules = []
    for key, (_, points, daily, monthly) in DEFAULT_RULES.items():
        rules.append(saved.get(key) or EarnRule(township_id=township.id, key=key, points=points, daily_cap=daily,
                                                monthly_cap=monthly, **column_defaults(EarnRule)))
    return rules


def _whole(value, label: str, low: int, high: int, field: str) -> int:
    """A whole number within bounds, or Invalid naming the field."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid(f"{label}要填整数。", fields={field: ["请填整数。"]}) from None
    if not low <= number <= high:
        raise Invalid(f"{label}要在{low}到{high}之间。", fields={field: [f"请填{low}到{high}之间的数。"]})
    return number


def update_rule(township: Township, key: str, points, daily_cap, monthly_cap, enabled: bool) -> EarnRule:
    """Township staff change a rule's amount, caps or switch."""
    rule = rule_for(township, key)
    name = RULE_NAMES[key]
    values = {
        "points": _whole(points, f"{name}的积分", 1, 1000, "points"),
        "daily_cap": _whole(daily_cap, f"{name}的每日上限", 0, 100_000, "daily_cap"),
        "monthly_cap": _whole(monthly_cap, f"{name}的每月上限", 0, 1_000_000, "monthly_cap"),
    }
    if values["daily_cap"] > values["monthly_cap"]:
        raise Invalid("每日上限不能大于每月上限。", fields={"daily_cap": ["不能大于每月上限。"]})
    for field, value in values.items():
        setattr(rule, field, value)
    rule.enabled = bool(enabled)
    _keep(rule)
    return rule


def update_settings(township: Township, values: dict) -> PointsSettings:
    """Township staff change the rate, limits or fraud thresholds; all checked before any is saved."""
    row = settings_for(township)
    clean = {field: _whole(values[field], *SETTING_LIMITS[field], field)
             for field in SETTING_LIMITS if field in values}
    for field, value in clean.items():
        setattr(row, field, value)
    _keep(row)
    return row


def _keep(row) -> None:
    """Store a row that was read as defaults (the first save of a township's settings) and flush."""
    if row not in db.session:
        db.session.add(row)
    db.session.flush()
