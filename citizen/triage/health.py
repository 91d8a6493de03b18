"""The village health colour (红黄绿三色预警) from a village's figures, the rule in one function."""
from dataclasses import dataclass

from citizen.reports.models import TriageSettings
from disclosure.freshness import default_stale_days
from extensions import column_defaults

HEALTH_WORDS = {"red": "预警", "yellow": "关注", "green": "良好"}


@dataclass(frozen=True)
class Thresholds:
    """Where red and yellow start: a township's TriageSettings, and when its finance counts as late."""

    red_overdue_days: int
    red_disclosure_days: int
    yellow_disclosure_days: int
    red_satisfaction: float
    yellow_satisfaction: float

    @classmethod
    def from_settings(cls, settings, finance_stale_days: int) -> "Thresholds":
        """Read a township's TriageSettings row and its disclosure area's lateness threshold."""
        return cls(settings.red_overdue_days, settings.red_disclosure_days, finance_stale_days,
                   settings.red_satisfaction_pct / 100, settings.yellow_satisfaction_pct / 100)


def default_thresholds() -> Thresholds:
    """The thresholds of a township that has saved none: the settings' column defaults."""
    return Thresholds.from_settings(TriageSettings(**column_defaults(TriageSettings)), default_stale_days())


def health_colour(overdue: int, max_overdue_days: int, days_since_finance: int | None,
                  satisfaction: float | None, limits: Thresholds | None = None) -> str:
    """red, yellow or green; a figure that is unknown (None) counts for neither."""
    limits = limits or default_thresholds()
    if (max_overdue_days > limits.red_overdue_days
            or (days_since_finance is not None and days_since_finance > limits.red_disclosure_days)
            or (satisfaction is not None and satisfaction < limits.red_satisfaction)):
        return "red"
    if (overdue > 0
            or (days_since_finance is not None and days_since_finance > limits.yellow_disclosure_days)
            or (satisfaction is not None and satisfaction < limits.yellow_satisfaction)):
        return "yellow"
    return "green"
