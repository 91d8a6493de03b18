"""`flask backup` then `flask restore` into a fresh install gives back every row and every file.

Two real installs on committed databases of their own (SQLite, or PostgreSQL on a PostgreSQL run;
marker `live`): the demo seeded, a report filed with a photo and a disclosure attachment uploaded,
then backed up, restored into a new empty database and upload folder, and compared.
"""
import base64
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.databases import fresh_database

pytestmark = pytest.mark.live
SECRET = "backup-test-secret"


def _install(tmp_path: Path, name: str, secret: str = SECRET):
    """A new app on its own empty database and upload folder, as a fresh install has."""
    from app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": secret, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": fresh_database(tmp_path, name),
                       "UPLOAD_DIR": str(tmp_path / f"{name}-uploads"), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})


def _flask(app, *args: str):
    """Run one `flask --app app …` command against this install (stdout and stderr apart)."""
    return app.test_cli_runner().invoke(args=list(args))


def _photo() -> str:
    """A small JPEG as a data URI, as the report form's JSON twin takes it."""
    image = Image.new("RGB", (640, 480), (90, 140, 60))
    for x in range(0, 640, 32):
        image.paste((x % 255, 30, 120), (x, 0, x + 16, 480))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def _everything(app) -> tuple[dict, dict]:
    """Every table's rows (sorted) and every uploaded file's bytes, by name."""
    from extensions import db

    with app.app_context():
        with db.engine.connect() as conn:  # one connection: a command's transaction takes SQLite's write lock
            inspector = sa.inspect(conn)
            tables = {}
            for name in sorted(inspector.get_table_names()):
                columns = [sa.column(column["name"]) for column in inspector.get_columns(name)]
                tables[name] = sorted(tuple(row) for row in conn.execute(sa.select(sa.table(name, *columns))).all())
        db.engine.dispose()
    root = Path(app.config["UPLOAD_DIR"])
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return tables, files


@pytest.fixture
def source(tmp_path):
    """The demo install with a report and its photo, a tracking code, and an attachment on disk."""
    from accounts.models import User
    from disclosure.models import Disclosure
    from extensions import db

    app = _install(tmp_path, "source")
    assert _flask(app, "db", "upgrade").exit_code == 0
    assert _flask(app, "seed-demo").exit_code == 0
    client = app.test_client()
    filed = client.post("/api/v1/villages/hexi/reports", json={
        "category": "其他", "content": "村口路灯坏了一个月，晚上老人出门看不见路。", "anonymous": True,
        "photos": [_photo()]})
    assert filed.status_code == 201, filed.get_json()
    with app.app_context():  # a disclosure attachment lives in another folder of UPLOAD_DIR
        from disclosure.attachments import add_attachment
        from disclosure.publishing import start_correction

        clerk = db.session.execute(sa.select(User).where(User.phone == "13900000011")).scalar_one()
        disclosure = db.session.execute(sa.select(Disclosure).where(Disclosure.status == "published")
                                        .order_by(Disclosure.id).limit(1)).scalar_one()
        from storage import Batch, disclosure_store

        start_correction(disclosure, clerk)
        files = Batch(disclosure_store())
        add_attachment(disclosure, clerk, "公示照片.jpg", base64.b64decode(_photo().split(",")[1]), files)
        files.publish()
        db.session.commit()
        db.session.remove()
    yield app, filed.get_json()["tracking_code"]
    with app.app_context():
        db.engine.dispose()


def test_backup_and_restore_give_back_every_row_and_file(source, tmp_path):
    app, tracking_code = source
    archive = tmp_path / "backups" / "cunwu.tar.gz"
    made = _flask(app, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "SECRET_KEY" in made.stderr and "查询码" in made.stderr
    before_tables, before_files = _everything(app)
    assert sum(len(rows) for rows in before_tables.values()) > 500 and len(before_files) >= 2

    restored = _install(tmp_path, "restored")
    done = _flask(restored, "restore", str(archive))
    assert done.exit_code == 0, done.output + done.stderr
    after_tables, after_files = _everything(restored)
    assert list(after_tables) == list(before_tables)
    for name in before_tables:
        assert after_tables[name] == before_tables[name], name
    assert after_files == before_files

    client = restored.test_client()
    assert client.get(f"/api/v1/track/{tracking_code}").status_code == 200  # same SECRET_KEY: codes still work
    again = client.post("/api/v1/villages/hexi/reports", json={
        "category": "其他", "content": "恢复以后再提交一条反映，编号要接着往下排。", "anonymous": True})
    assert again.status_code == 201, again.get_json()  # sequences came back too


def test_restore_refuses_an_install_that_is_not_empty(source, tmp_path):
    app, _ = source
    archive = tmp_path / "b.tar.gz"
    assert _flask(app, "backup", str(archive)).exit_code == 0
    refused = _flask(app, "restore", str(archive))
    assert refused.exit_code != 0 and "不是空的" in refused.output + refused.stderr


def test_backup_never_overwrites_and_restore_warns_about_another_secret_key(source, tmp_path):
    app, _ = source
    archive = tmp_path / "c.tar.gz"
    assert _flask(app, "backup", str(archive)).exit_code == 0
    second = _flask(app, "backup", str(archive))
    assert second.exit_code != 0 and "已存在" in second.output + second.stderr
    other = _install(tmp_path, "other-key", secret="another-secret")
    done = _flask(other, "restore", str(archive))
    assert done.exit_code == 0 and "另一个 SECRET_KEY" in done.stderr
