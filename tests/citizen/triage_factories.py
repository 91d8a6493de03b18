"""Test cases for the triage tests.

STAND-IN: `make_report` inserts a Report row the way citizen.reporting.submit_report will once the
reports branch is merged (random tracking hash, acceptance deadline, a 'submit' event, the
report_submitted signal, routing of cases that name senior cadres). Replace its body with a call to
submit_report after the merge.
"""
import secrets

import pytest
from datetime import timedelta

import clock
from citizen import deadlines, lifecycle, signals
from citizen.models import Report, ReportEvent
from extensions import db


def make_report(village, *, content="村里的路灯坏了三个月没人修。", category="其他", anonymous=True,
                allow_public=True, user=None, cadre=None, created_at=None, route=True) -> Report:
    """A freshly submitted case in `village` (stand-in for submit_report)."""
    now = created_at or clock.now()
    report = Report(village_id=village.id, village=village, level="village", status="submitted", category=category,
                    content=content, anonymous=anonymous, allow_public=allow_public,
                    user_id=None if anonymous else user.id, cadre_id=cadre.id if cadre else None,
                    subject_type="cadre" if cadre else None, subject_id=cadre.id if cadre else None,
                    tracking_hash=secrets.token_hex(32), created_at=now,
                    due_at=deadlines.acceptance_due(village, now))
    db.session.add(report)
    db.session.flush()
    report.events.append(ReportEvent(at=now, actor_role="reporter", action="submit",
                               to_status="submitted", to_level="village"))
    db.session.flush()
    # Routing first, so the committee is never told about a case it must not see.
    if not (route and lifecycle.route_if_senior(report)):
        signals.report_submitted.send(report, actor=None)
    return report


def cadre_named(village, *, secretary_chair=False, committee=False, user_id=None):
    """The first demo cadre of the village with these flags."""
    import sqlalchemy as sa

    from disclosure.models import Cadre

    query = sa.select(Cadre).where(Cadre.village_id == village.id)
    if secretary_chair:
        query = query.where(Cadre.secretary_chair.is_(True))
    if committee:
        query = query.where(Cadre.committee.is_(True))
    if user_id is not None:
        query = query.where(Cadre.user_id == user_id)
    return db.session.execute(query.order_by(Cadre.id)).scalars().first()


def ago(**delta):
    """A moment in the past."""
    return clock.now() - timedelta(**delta)


@pytest.fixture
def frozen_clock():
    """A clock the test sets (import this fixture into the test module); unfrozen afterwards."""
    from datetime import datetime, timezone

    moment = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    clock.freeze(moment)
    yield moment
    clock.freeze(None)


@pytest.fixture
def people(demo):
    """The demo accounts the triage tests use, by role."""
    u = demo.users
    return {"committee": u["13900000012"], "committee_chama": u["13900000022"], "inspector": u["13900000002"],
            "township": u["13900000001"], "clerk": u["13900000011"], "villager": u["13900000101"]}


def client_for(app, user):
    """Another test client logged in as `user`, for tests where two people act."""
    from tests.conftest import _FreshContextClient

    app.test_client_class = _FreshContextClient  # each request in its own app context, as in production
    fresh = app.test_client()
    with fresh.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return fresh


def reloaded(*rows):
    """Read rows again after requests changed them through their own sessions."""
    for row in rows:
        db.session.refresh(row)
    return rows[0] if len(rows) == 1 else rows
