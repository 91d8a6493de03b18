"""The overview's satisfaction reads the cases answered in the last year, so old history neither counts nor costs."""
from datetime import timedelta

import clock
from citizen.reports import lifecycle
from citizen.triage.queues import SATISFACTION_DAYS, village_figures
from tests.citizen.triage_factories import make_report


def _rated(village, people, rating: str, days_ago: int):
    """A case answered `days_ago` days ago and rated then."""
    moment = clock.now() - timedelta(days=days_ago)
    report = make_report(village, created_at=moment - timedelta(days=2))
    with clock.at(moment):
        lifecycle.accept_report(report, people["committee_chama"])
        lifecycle.answer_report(report, people["committee_chama"], "已处理。")
        lifecycle.rate_report(report, rating)
    return report


def test_satisfaction_counts_only_the_last_years_answers(demo, people, session):
    chama = demo.villages["chama"]
    before = village_figures([chama.id])[chama.id]["rated"]
    _rated(chama, people, "satisfied", 10)
    _rated(chama, people, "unsatisfied", SATISFACTION_DAYS + 30)
    figures = village_figures([chama.id])[chama.id]
    assert figures["rated"] == before + 1
