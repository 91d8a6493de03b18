"""Connects the points area to the signals of the report lifecycle and of finance disclosures."""
import counters
from citizen import signals
from disclosure.signals import finance_read
from points.earning import earn_finance_read_later, earn_for_report
from points.periods import today


def _accepted(report, actor=None, **_):
    """实名举报被受理."""
    earn_for_report(report, "report_accepted", actor)


def _published(report, actor=None, **_):
    """上回音壁."""
    earn_for_report(report, "report_published", actor)


def _rated(report, actor=None, **_):
    """评价答复."""
    earn_for_report(report, "report_rated", actor)


def _finance_read(disclosure, user=None, **_):
    """阅读当月财务公开: deferred, so no named row is written while the villager reads (see counters)."""
    counters.defer(earn_finance_read_later, user.id, disclosure.village_id, disclosure.period,
                   today().isoformat())


def connect() -> None:
    """Subscribe the earn rules to report events; called once by create_app (weak=False keeps them alive)."""
    signals.report_accepted.connect(_accepted, weak=False)
    signals.report_published.connect(_published, weak=False)
    signals.report_rated.connect(_rated, weak=False)
    finance_read.connect(_finance_read, weak=False)
