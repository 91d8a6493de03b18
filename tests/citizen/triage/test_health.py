"""The village health colour rule at its thresholds."""
import pytest

from citizen.triage.health import Thresholds, health_colour


@pytest.mark.parametrize("overdue, max_days, finance, satisfaction, expected", [
    (0, 0, None, None, "green"),
    (0, 0, 35, 0.80, "green"),
    (1, 0, 10, 0.95, "yellow"),           # anything overdue
    (1, 7, 10, 0.95, "yellow"),           # overdue exactly 7 days is not yet red
    (1, 8, 10, 0.95, "red"),              # overdue by more than 7 days
    (0, 0, 36, 0.95, "yellow"),           # disclosure more than 35 days old
    (0, 0, 60, 0.95, "yellow"),
    (0, 0, 61, 0.95, "red"),              # more than 60 days old
    (0, 0, 10, 0.79, "yellow"),           # satisfaction below 80%
    (0, 0, 10, 0.60, "yellow"),
    (0, 0, 10, 0.59, "red"),              # below 60%
    (0, 0, None, 0.5, "red"),             # unknown disclosure age does not hide a bad rate
])
def test_health_colour_thresholds(overdue, max_days, finance, satisfaction, expected):
    assert health_colour(overdue, max_days, finance, satisfaction) == expected


def test_thresholds_are_configurable():
    strict = Thresholds(red_overdue_days=2, red_disclosure_days=30, yellow_disclosure_days=20,
                        red_satisfaction=0.9, yellow_satisfaction=0.95)
    assert health_colour(1, 3, None, None, strict) == "red"
    assert health_colour(0, 0, 25, None, strict) == "yellow"
    assert health_colour(0, 0, None, 0.85, strict) == "red"


def test_overview_uses_township_settings(demo, session):
    from citizen.triage import overview
    from citizen.reports.models import TriageSettings
    from tests.citizen.triage_factories import ago, make_report

    from accounts.models import Village

    quiet = Village(township_id=demo.township.id, name="新村", slug="xincun")  # no demo cases of its own
    session.add(quiet)
    session.flush()
    make_report(quiet, created_at=ago(days=5, hours=1))  # overdue by about 2 days
    rows = {r["slug"]: r for r in overview.township_rows(demo.township)}
    assert rows["xincun"]["health"] == "yellow" and rows["xincun"]["max_overdue_days"] == 2
    session.add(TriageSettings(township_id=demo.township.id, red_overdue_days=1))
    session.flush()
    rows = {r["slug"]: r for r in overview.township_rows(demo.township)}
    assert rows["xincun"]["health"] == "red"
