"""The village health colour (红黄绿三色预警) from a village's figures, the rule in one function."""
from dataclasses import dataclass

HEALTH_WORDS = {"red": "预警", "yellow": "关注", "green": "良好"}


@dataclass(frozen=True)
class Thresholds:
    """Where red and yellow start; a township may change them (TriageSettings)."""

    red_overdue_days: int = 7
    red_disclosure_days: int = 60
    yellow_disclosure_days: int = 35
    red_satisfaction: float = 0.60
    yellow_satisfaction: float = 0.80

    @classmethod
    def from_settings(cls, settings) -> "Thresholds":
        """Read a township's TriageSettings row."""
        return cls(settings.red_overdue_days, settings.red_disclosure_days, settings.yellow_disclosure_days,
                   settings.red_satisfaction_pct / 100, settings.yellow_satisfaction_pct / 100)


def health_colour(overdue: int, max_overdue_days: int, days_since_finance: int | None,
                  satisfaction: float | None, limits: Thresholds = Thresholds()) -> str:
    """red, yellow or green; a figure that is unknown (None) counts for neither."""
    if (max_overdue_days > limits.red_overdue_days
            or (days_since_finance is not None and days_since_finance > limits.red_disclosure_days)
            or (satisfaction is not None and satisfaction < limits.red_satisfaction)):
        return "red"
    if (overdue > 0
            or (days_since_finance is not None and days_since_finance > limits.yellow_disclosure_days)
            or (satisfaction is not None and satisfaction < limits.yellow_satisfaction)):
        return "yellow"
    return "green"
