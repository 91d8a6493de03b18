"""An anonymous report leaves no phone, address, device or clear tracking code in the database file or logs.

This test runs its own app on its own SQLite file (marked `live`), so that commits really reach the file.
"""
import io
import logging
import re
import sqlite3

import pytest

IP = "203.0.113.77"
UA = "Mozilla/5.0 MicroMessenger/8.0.49 UA-MARKER-7f3a9"
PHONE = "13912345678"


@pytest.fixture
def own_app(tmp_path):
    """A separate app whose database is a real file we can read byte by byte."""
    from app import create_app
    from extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "anon-test-key", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'anon.sqlite3'}",
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "BASE_URL": "http://testserver.local"})
    with app.app_context():
        db.create_all()
        from accounts.cli import run_seeders
        from accounts.models import RoleGrant, User

        demo = run_seeders()
        person = User(phone=PHONE, name="匿名测试村民")
        person.grants.append(RoleGrant(role="villager", village_id=demo.villages["hexi"].id))
        db.session.add(person)
        db.session.commit()
        user_id = person.id
    yield app, tmp_path, user_id
    with app.app_context():
        db.engine.dispose()


def _file_bytes(tmp_path) -> bytes:
    """Every byte of the database (after a checkpoint and vacuum) and of the uploads folder."""
    connection = sqlite3.connect(tmp_path / "anon.sqlite3")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("VACUUM")
    connection.close()
    blobs = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    return b"".join(blobs)


def _rows(tmp_path, query: str, *args) -> list[sqlite3.Row]:
    """Rows of the database file, with their columns by name."""
    connection = sqlite3.connect(tmp_path / "anon.sqlite3")
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(query, args).fetchall()
    finally:
        connection.close()


def _rows_pointing_at(tmp_path, user_id: int) -> dict[str, int]:
    """For every column that refers to an account (a foreign key to user.id), how many rows name this person."""
    from extensions import db

    columns = [(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns
               if any(fk.column.table.name == "user" for fk in column.foreign_keys)]
    assert ("report", "user_id") in columns and ("report_event", "actor_id") in columns
    return {f"{table}.{column}": _rows(tmp_path, f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?', user_id)[0][0]
            for table, column in columns}


@pytest.mark.live
def test_anonymous_report_leaves_no_trace(own_app, caplog):
    from tests.citizen.conftest import code_on_page, jpeg_bytes

    app, tmp_path, user_id = own_app
    phone_before = _file_bytes(tmp_path).count(PHONE.encode())
    pointing_before = _rows_pointing_at(tmp_path, user_id)
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": IP, "HTTP_USER_AGENT": UA})
    with client.session_transaction() as sess:  # the sender is logged in, and still chooses 匿名
        sess["_user_id"] = f"{user_id}:1"
        sess["_fresh"] = True
    page = client.get("/v/hexi/report").get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post("/v/hexi/report", content_type="multipart/form-data", data={
        "category": "三资管理", "content": "集体土地出租的钱没有入账，请村监会核查。", "anonymous": "1",
        "form_token": token, "photos": [(io.BytesIO(jpeg_bytes()), "gps.jpg")]})
    assert response.status_code == 302
    code = code_on_page(client.get(response.headers["Location"]).get_data(as_text=True))
    assert client.get(f"/t/{code}").status_code == 200

    data = _file_bytes(tmp_path)
    for secret in (IP, UA, "UA-MARKER", code, code.replace("-", ""), token):
        assert secret.encode() not in data, secret
    assert data.count(PHONE.encode()) == phone_before  # only the account row, never the report
    assert b"SECRET-COMMENT" not in data and b"TestPhone" not in data

    report = _rows(tmp_path, "SELECT * FROM report ORDER BY id DESC LIMIT 1")[0]
    assert report["user_id"] is None and report["anonymous"] == 1
    events = _rows(tmp_path, "SELECT * FROM report_event WHERE report_id = ?", report["id"])
    assert [(e["action"], e["actor_role"], e["actor_id"]) for e in events] == [("submit", "reporter", None)]
    assert all(m["author_id"] is None for m in _rows(tmp_path, "SELECT * FROM report_message WHERE report_id = ?",
                                                     report["id"]))
    assert _rows_pointing_at(tmp_path, user_id) == pointing_before  # no row anywhere gained a link to the person

    logs = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (IP, PHONE, code, code.replace("-", ""), "UA-MARKER"):
        assert secret not in logs, secret
