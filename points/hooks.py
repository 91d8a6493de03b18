"""Connects the points area to the report lifecycle's signals (see citizen/signals.py)."""
from citizen import signals
from points.earning import earn_for_report


def _accepted(report, actor=None, **_):
    """实名举报被受理."""
    earn_for_report(report, "report_accepted", actor)


def _published(report, actor=None, **_):
    """上回音壁."""
    earn_for_report(report, "report_published", actor)


def _rated(report, actor=None, **_):
    """评价答复."""
    earn_for_report(report, "report_rated", actor)


def connect() -> None:
    """Subscribe the earn rules to report events; called once by create_app (weak=False keeps them alive)."""
    signals.report_accepted.connect(_accepted, weak=False)
    signals.report_published.connect(_published, weak=False)
    signals.report_rated.connect(_rated, weak=False)
