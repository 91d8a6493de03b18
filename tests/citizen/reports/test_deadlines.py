"""Deadlines and the three colours at their boundaries, with a clock the test sets."""
from datetime import datetime, timedelta, timezone

import pytest

import clock
from citizen.reports import deadlines, lifecycle
from citizen.triage import queues
from citizen.reports.models import TriageSettings
from tests.citizen.triage_factories import frozen_clock, make_report

DUE = datetime(2026, 11, 10, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("now, expected", [
    (DUE - timedelta(hours=48, seconds=1), "green"),
    (DUE - timedelta(hours=48), "yellow"),
    (DUE - timedelta(seconds=1), "yellow"),
    (DUE, "yellow"),
    (DUE + timedelta(seconds=1), "red"),
])
def test_colour_boundaries(now, expected):
    assert deadlines.colour("submitted", DUE, now) == expected
    assert deadlines.colour("accepted", DUE, now) == expected


@pytest.mark.parametrize("status", ["answered", "closed", "rejected"])
def test_finished_cases_have_no_colour(status):
    assert deadlines.colour(status, DUE, DUE + timedelta(days=30)) is None


def test_sql_colour_matches_python_at_boundaries(demo, people, frozen_clock):
    village = demo.villages["hexi"]
    made = {}
    for hours in (-1, 0, 1, 47, 48, 49):
        report = make_report(village)
        report.due_at = frozen_clock + timedelta(hours=hours)
        made[report.id] = deadlines.report_colour(report)
    from extensions import db

    for name in ("red", "yellow", "green"):
        found = db.session.execute(queues.desk_query(people["committee"], colour=name)).scalars().all()
        assert {r.id for r in found} & made.keys() == {rid for rid, c in made.items() if c == name}


def test_new_case_due_in_3_days_and_answer_in_15(demo, people, frozen_clock):
    report = make_report(demo.villages["hexi"])
    assert report.due_at == frozen_clock + timedelta(days=3)
    clock.freeze(frozen_clock + timedelta(days=1))
    lifecycle.accept_report(report, people["committee"])
    assert report.due_at == frozen_clock + timedelta(days=16)


def test_deadlines_configurable_per_township(demo, people, session, frozen_clock):
    session.add(TriageSettings(township_id=demo.township.id, accept_days=1, answer_days=7))
    session.flush()
    report = make_report(demo.villages["hexi"])
    assert report.due_at == frozen_clock + timedelta(days=1)
    lifecycle.accept_report(report, people["committee"])
    assert report.due_at == frozen_clock + timedelta(days=7)


def test_queue_orders_red_then_yellow_then_newest(demo, people, frozen_clock):
    village = demo.villages["hexi"]
    green_old = make_report(village, created_at=frozen_clock - timedelta(hours=1))
    green_new = make_report(village)
    yellow = make_report(village, created_at=frozen_clock - timedelta(days=2))
    red = make_report(village, created_at=frozen_clock - timedelta(days=4))
    from extensions import db

    mine = {green_old.id, green_new.id, yellow.id, red.id}
    order = db.session.execute(queues.desk_query(people["committee"])).scalars().all()
    assert [r.id for r in order if r.id in mine] == [red.id, yellow.id, green_new.id, green_old.id]
    colours = [deadlines.report_colour(r) for r in order]
    assert colours == sorted(colours, key=lambda c: {"red": 0, "yellow": 1, "green": 2, None: 3}[c])
