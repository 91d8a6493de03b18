"""Issue 11, items 4 and 19: an anonymous reporter's rows and files keep their time only to the minute, and
half-written uploads left by a crash are cleared when the app starts."""
import os
import time
from datetime import datetime, timezone

import sqlalchemy as sa

import clock
from citizen.reports.lifecycle import message_as_reporter
from citizen.reports.models import Report, ReportEvent, ReportMessage, ReportPhoto
from tests.citizen.conftest import form_token, jpeg_bytes

MOMENT = datetime(2026, 11, 12, 6, 43, 27, 254123, tzinfo=timezone.utc)


def _filed(client, anonymous: str):
    import io

    data = {"category": "其他", "content": "村口的路灯坏了一个月了，晚上看不见路。", "anonymous": anonymous,
            "form_token": form_token(client), "photos": [(io.BytesIO(jpeg_bytes()), "a.jpg")]}
    return client.post("/v/hexi/report", data=data, content_type="multipart/form-data")


def test_an_anonymous_report_is_stored_to_the_minute_with_its_photos_events_and_files(app, client, demo, session):
    from storage import photo_store

    clock.freeze(MOMENT)
    try:
        assert _filed(client, "1").status_code == 302
        report = session.execute(sa.select(Report).order_by(Report.id.desc())).scalars().first()
        message_as_reporter(report, "补充：是东头那一盏。")
        session.flush()
    finally:
        clock.freeze(None)
    minute = MOMENT.replace(second=0, microsecond=0)
    assert report.anonymous and report.created_at == minute
    assert {e.at for e in session.execute(sa.select(ReportEvent).filter_by(report_id=report.id)).scalars()} == {minute}
    assert {m.at for m in session.execute(sa.select(ReportMessage).filter_by(report_id=report.id)).scalars()} == {minute}
    photos = session.execute(sa.select(ReportPhoto).filter_by(report_id=report.id)).scalars().all()
    assert photos and {p.created_at for p in photos} == {minute}
    with app.app_context():
        path = photo_store().path(photos[0].storage_key)
    assert os.stat(path).st_mtime == minute.timestamp() == os.stat(path.parent).st_mtime


def test_a_named_report_keeps_its_exact_time(client, demo, session, login_as, people):
    login_as(people["villager"])
    clock.freeze(MOMENT)
    try:
        assert _filed(client, "0").status_code == 302
    finally:
        clock.freeze(None)
    report = session.execute(sa.select(Report).order_by(Report.id.desc())).scalars().first()
    assert not report.anonymous and report.created_at == MOMENT


def test_half_written_uploads_from_a_crash_are_removed_at_start(tmp_path):
    from app import create_app

    uploads = tmp_path / "uploads"
    (uploads / "ab").mkdir(parents=True)
    old, fresh, kept = uploads / "ab" / "x.jpg.part", uploads / "ab" / "y.jpg.part", uploads / "ab" / "z.jpg"
    for path in (old, fresh, kept):
        path.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(kept, (two_hours_ago, two_hours_ago))
    create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db",
                "UPLOAD_DIR": str(uploads)})
    assert not old.exists() and fresh.exists() and kept.exists()  # a fresh .part may be a request still running
