"""The demo cases: every colour, the wall, the escalated one; seeding twice changes nothing."""
import sqlalchemy as sa

from citizen.reports import deadlines
from citizen.wall.entries import wall_query
from citizen.reports.models import Report


def test_demo_cases_cover_the_desk_and_the_wall(demo, session):
    from citizen.reports.tracking import find_by_form_token
    from citizen.triage.seed import DEMO_CASES, _token

    reports = [find_by_form_token(_token(case[0])) for case in DEMO_CASES]
    colours = {deadlines.report_colour(r) for r in reports}
    assert {"red", "yellow", "green"} <= colours
    senior = find_by_form_token(_token("senior"))
    assert senior.level == "township" and senior.events[0].to_level == "township"
    wall = [r for r in session.execute(wall_query(demo.villages["hexi"])).scalars() if r in reports]
    assert len(wall) == 3 and {r.rating for r in wall} == {"satisfied", "basic", None}
    assert "138****0001" not in "".join(r.public_text or "" for r in wall)  # the red case is not answered


def test_seeding_twice_changes_nothing(demo, session):
    from accounts.cli import run_seeders

    count = session.execute(sa.select(sa.func.count()).select_from(Report)).scalar_one()
    run_seeders()
    assert session.execute(sa.select(sa.func.count()).select_from(Report)).scalar_one() == count
