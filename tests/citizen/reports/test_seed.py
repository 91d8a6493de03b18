"""The demo seed of the report area: codes for every village and a dozen 河西村 reports, idempotent."""
import sqlalchemy as sa

from citizen.codes.models import QrCode
from citizen.reports.models import Report


def test_seed_twice_gives_the_same_data(demo, session):
    from accounts.cli import run_seeders

    counts = (session.scalar(sa.select(sa.func.count(QrCode.id))), session.scalar(sa.select(sa.func.count(Report.id))))
    again = run_seeders()
    assert counts == (session.scalar(sa.select(sa.func.count(QrCode.id))),
                      session.scalar(sa.select(sa.func.count(Report.id))))
    assert again.tracking_codes == demo.tracking_codes


def test_demo_has_codes_per_village_and_reports_in_every_state(demo, session):
    for village in demo.villages.values():
        labels = set(session.scalars(sa.select(QrCode.label).where(QrCode.village_id == village.id)))
        assert f"{village.name}村委会公开栏" in labels and f"{village.name}文化广场项目工地" in labels
    kinds = set(session.scalars(sa.select(QrCode.kind)))
    assert {"village", "cadre", "shop"} <= kinds
    hexi = demo.villages["hexi"]
    reports = session.scalars(sa.select(Report).where(Report.village_id == hexi.id)).all()
    assert len(reports) >= 12
    assert {r.status for r in reports} == {"submitted", "accepted", "answered", "closed", "rejected"}
    assert {r.level for r in reports} == {"village", "township"}
