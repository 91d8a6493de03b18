"""Test cases for the triage tests, filed through the real citizen.reporting.submit_report."""
import secrets

import pytest
from datetime import timedelta

import clock
from citizen.reports.models import Report
from citizen.reports.filing import submit_report
from storage import Batch
from extensions import db


def make_report(village, *, content="村里的路灯坏了三个月没人修。", category="其他", anonymous=True,
                allow_public=True, user=None, cadre=None, created_at=None, route=True) -> Report:
    """A freshly submitted case in `village`, filed at `created_at` (default now).

    route=False files the case without naming anyone, then records `cadre` on it: the case of a
    cadre who joined the committee after a report about them was filed, which stays at village level.
    """
    data = {"category": category, "content": content, "anonymous": anonymous, "allow_public": allow_public,
            "subject": ("cadre", cadre.id) if cadre and route else None, "cadre_id": cadre.id if cadre and route else None}
    with clock.at(created_at or clock.now()):
        report = submit_report(village, data, [], Batch(), user, secrets.token_urlsafe(16)).report
    if cadre and not route:
        report.cadre_id = report.subject_id = cadre.id
        report.subject_type = "cadre"
        db.session.flush()
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
